"""Names the ``%%snn`` language knows: neuron types, units, defaults, reserved names."""

from __future__ import annotations

import inspect

import nengo

from ..learning.neurons import AdaptiveThresholdLIF

__all__ = [
    "NEURON_TYPES", "TIME_UNITS", "FREQUENCY_UNITS", "RESERVED_NAMES",
    "neuron_parameters", "default_probe_name", "neuron_type_name",
]

#: Neuron type names -> Nengo classes.
NEURON_TYPES = {
    "LIF": nengo.LIF,
    "LIFRate": nengo.LIFRate,
    "AdaptiveLIF": nengo.AdaptiveLIF,
    "AdaptiveLIFRate": nengo.AdaptiveLIFRate,
    "ReLU": nengo.RectifiedLinear,
    "SpikingReLU": nengo.SpikingRectifiedLinear,
    "Sigmoid": nengo.Sigmoid,
    "Tanh": nengo.Tanh,
    "Izhikevich": nengo.Izhikevich,
    "Direct": nengo.Direct,
    "AdaptiveThresholdLIF": AdaptiveThresholdLIF,  # nbsnn.learning
}

#: Time units -> number of them in a second.
TIME_UNITS = {"s": 1.0, "ms": 1e3, "us": 1e6}
#: Frequency units -> hertz.
FREQUENCY_UNITS = {"Hz": 1.0, "kHz": 1e3}

#: Attribute names of `nengo.Network` that objects of a cell cannot take.
RESERVED_NAMES = frozenset(
    name for name in dir(nengo.Network) if not name.startswith("__")
) | {"label", "seed"}


def neuron_type_name(neuron_type: nengo.neurons.NeuronType) -> str | None:
    """Return the language's name for a neuron type's class, or None."""
    for name, cls in NEURON_TYPES.items():
        if type(neuron_type) is cls:
            return name
    return None


def neuron_parameters(cls) -> list[str]:
    """List the constructor parameters of a neuron type that the language can set."""
    params = inspect.signature(cls.__init__).parameters
    return [p for p in params if p not in ("self", "initial_state")]


def default_probe_name(target: str, kind: str) -> str:
    """Return the name given to an unnamed probe: ``b_probe``, ``a_spikes``, ``sub_c_probe``."""
    base = target.replace(".", "_")
    return f"{base}_probe" if kind == "value" else f"{base}_{kind}"
