"""Names the ``%%snn`` language knows: neuron types, units, defaults, reserved names."""

from __future__ import annotations

import inspect

import nengo

from ..learning.neurons import AdaptiveThresholdLIF

__all__ = [
    "NEURON_TYPES", "TIME_UNITS", "FREQUENCY_UNITS", "RESERVED_NAMES",
    "TIME_PARAMETERS", "SOLVERS", "PYTHON_HINTS", "PYTHON_WORDS",
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

#: Neuron parameters that are times: they take a unit (``tau_rc=20ms``).
TIME_PARAMETERS = frozenset({"tau_rc", "tau_ref", "tau_n", "tau_theta"})

#: Decoder solvers by name, as in ``solver=LstsqL2(weights=True)``.
SOLVERS = {
    name: getattr(nengo.solvers, name)
    for name in ("Lstsq", "LstsqNoise", "LstsqMultNoise", "LstsqL2", "LstsqL2nz",
                 "LstsqL1", "LstsqDrop", "Nnls", "NnlsL2", "NnlsL2nz", "NoSolver")
}

#: Python (Nengo) names -> how a ``%%snn`` cell writes them.
PYTHON_HINTS = {
    "Ensemble": "a = ensemble 100 LIF dims=1 rates=40..60",
    "Node": "stim = input sin(2*pi*t), or s = input passthrough(dims=2)",
    "Connection": "a -> b : x**2 synapse=5ms",
    "Probe": "probe b synapse=10ms",
    "Network": "sub = network: (its statements follow, indented)",
    "LIF": "a = ensemble 100 LIF(tau_rc=20ms, tau_ref=2ms)",
    "PES": "c = a -> b : 0 learn=pes(error, rate=1e-4)",
    "Simulator": "%snn run NAME 1s (in a line of its own, after the cell)",
    "networks": "arr = 4 x ensemble 50 LIF, or bg = BasalGanglia(dims=3)",
    "nengo": "NAME = ensemble ..., NAME = input ..., a -> b, probe b",
}
#: Python statements -> how a ``%%snn`` cell does without them.
PYTHON_WORDS = {
    "import": "no imports: a %%snn cell knows Nengo's objects by name",
    "from": "no imports: a %%snn cell knows Nengo's objects by name",
    "def": "a function written after ':' on a connection, e.g. a -> b : x[0] * x[1]",
    "lambda": "a function written after ':' on a connection, e.g. a -> b : x**2",
    "with": "sub = network: (its statements follow, indented)",
    "return": "a function written after ':' on a connection, e.g. a -> b : x**2",
    "for": "an array of ensembles, e.g. arr = 4 x ensemble 50 LIF",
    "print": "%snn show NAME to print a network",
}

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
