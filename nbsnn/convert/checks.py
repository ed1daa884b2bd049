"""Argument checks at the converter's entry points: a wrong model, option or data
shape is refused with an error that names it, before any work is done (Keras'
``predict`` refuses mismatched inputs too; without these, some gave a number)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..arguments import finite
from ..exceptions import ConversionError, InvalidArgumentError

__all__ = ["check_converter_args", "check_data"]


def _check_model(model):
    import keras

    if not isinstance(model, keras.Model):
        raise ConversionError(
            f"Converter needs a Keras model (keras.Model or keras.Sequential), got "
            f"{type(model).__name__} {model!r:.60}. Load one with keras.models.load_model(path).")


def _check_scale(scale, model):
    if scale is None:
        return
    if not isinstance(scale, Mapping):
        finite(scale, "scale_firing_rates", positive=True)
        return
    names = {layer.name for layer in model.layers}
    for key, value in scale.items():
        known = key in names if isinstance(key, str) else any(key is layer for layer in model.layers)
        if not known:
            raise InvalidArgumentError(
                f"scale_firing_rates has a key {key!r} that is not a layer of model "
                f"{model.name!r}; its layers are {sorted(names)}.")
        finite(value, f"scale_firing_rates[{key!r}]", positive=True)


#: Activation names the converter knows besides Keras' own (its QCFS layers').
CONVERTER_ACTIVATIONS = frozenset({"qcfs"})


def _check_swap(swap):
    import keras

    for key in swap or {}:
        if isinstance(key, str) and key not in CONVERTER_ACTIVATIONS:
            try:
                keras.activations.get(key)
            except (ValueError, TypeError):
                raise InvalidArgumentError(
                    f"swap_activations has a key {key!r} that is not a Keras activation; use "
                    "a name such as 'relu' or 'qcfs', an activation such as keras.activations.relu, or "
                    "a neuron type such as nengo.RectifiedLinear().") from None


def check_converter_args(model, swap_activations, scale_firing_rates):
    """Refuse a ``model`` that is not a Keras model, a firing-rate scale that is not
    a finite number > 0, and dict keys that match no layer or activation."""
    _check_model(model)
    _check_scale(scale_firing_rates, model)
    _check_swap(swap_activations)


def check_data(model, x, y=None):
    """Refuse inputs whose shape is not ``(n_samples, *model input shape)`` and labels
    whose count differs from the inputs'."""
    _check_model(model)
    if len(model.inputs) != 1:
        return  # the entry points refuse several inputs themselves
    expected = tuple(model.inputs[0].shape[1:])
    shape = np.shape(x)
    fits = len(shape) == len(expected) + 1 and all(
        want is None or got == want for got, want in zip(shape[1:], expected))
    if not fits:
        raise InvalidArgumentError(
            f"x has shape {shape}, but model {model.name!r} takes inputs of shape "
            f"(n_samples, {', '.join(map(str, expected))}); reshape x (one row per sample).")
    if y is not None and len(y) != shape[0]:
        raise InvalidArgumentError(
            f"x has {shape[0]} samples but y has {len(y)} labels; give one label per sample.")
