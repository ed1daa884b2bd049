"""Default mapping from Keras activation functions to Nengo neuron types."""

from __future__ import annotations

import nengo

from ..exceptions import ConversionError

__all__ = ["activation_name", "default_neuron_type"]


def activation_name(activation) -> str:
    """Return the name of a Keras activation (function or string); ``linear`` for None."""
    if activation is None:
        return "linear"
    if isinstance(activation, str):
        return activation
    return getattr(activation, "__name__", repr(activation))


def default_neuron_type(activation, layer) -> nengo.neurons.NeuronType | None:
    """Return the rate neuron type that computes ``activation`` exactly.

    ``None`` stands for the identity (``linear``). The rate neurons are used with unit
    gain and the layer's bias, so ``relu`` becomes `nengo.RectifiedLinear`, ``sigmoid``
    `nengo.Sigmoid` and ``tanh`` `nengo.Tanh` (both with ``tau_ref=1``).

    Raises
    ------
    ConversionError
        For activations with no Nengo neuron equivalent; names ``layer``.
    """
    name = activation_name(activation)
    if name == "linear":
        return None
    if name == "relu":
        return nengo.RectifiedLinear()
    if name == "sigmoid":
        return nengo.Sigmoid(tau_ref=1.0)
    if name == "tanh":
        return nengo.Tanh(tau_ref=1.0)
    raise ConversionError(
        f"Cannot convert layer '{layer.name}' ({type(layer).__name__}): activation "
        f"'{name}' has no Nengo neuron equivalent. Options: pass "
        f"swap_activations={{'{name}': <nengo neuron type>}}, or use relu/sigmoid/tanh/"
        f"linear (e.g. a linear output layer and apply '{name}' to the probed output)."
    )
