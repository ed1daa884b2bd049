"""Keras-native firing-rate regularisation and data-based rate normalisation.

`FiringRateRegularizer` is a Keras activity regulariser: attached to a layer it
adds ``weight * mean((activity * scale - target)**2)`` to the training loss,
pulling the layer's activity (read as a firing rate in Hz once the network is
converted with ``scale_firing_rates=scale``) toward ``target``. This is the
NengoDL tutorial's rate loss, expressed in plain Keras so ``model.fit`` trains it.

`rate_scales_from_data` goes further: it measures each neuron layer's activity on
data and returns per-layer ``scale_firing_rates`` factors that put a chosen
percentile of the activity at a chosen firing rate.
"""

from __future__ import annotations

import keras
import numpy as np

__all__ = ["FiringRateRegularizer", "rate_scales_from_data"]


@keras.saving.register_keras_serializable(package="nbsnn")
class FiringRateRegularizer(keras.regularizers.Regularizer):
    """Penalise the squared distance of layer activity from a target firing rate.

    Parameters
    ----------
    target : float
        Target rate (Hz) for every neuron of the layer.
    weight : float
        Weight of the loss term.
    scale : float
        Activity-to-rate factor (the ``scale_firing_rates`` the model will be
        converted with); 1 reads the activity directly as Hz.

    Notes
    -----
    Choose ``scale`` so that ``target / scale`` is of the order of the layer's
    present activity, and convert with ``scale_firing_rates=scale``. Training
    cannot move activity far: Adam moves each parameter by about its learning rate
    per step, so a layer whose activity is 0.5 (inputs in [0, 1]) pulled toward
    100 reaches 1.8 Hz after 15 epochs at lr 1e-2 (the weight is not the cause: at
    100 times the weight it climbs about 2 Hz per epoch while the classifier dies;
    at lr 0.1 most of its ReLUs die instead). With ``scale=100`` the same target
    (activity 1) is reached within 5 epochs (docs/converter.md).
    """

    def __init__(self, target=250.0, weight=1e-3, scale=1.0):
        self.target = float(target)
        self.weight = float(weight)
        self.scale = float(scale)

    def __call__(self, x):
        """Return the loss for activity ``x`` (first axis: batch).

        Keras 3 divides activity-regulariser losses by the batch size, so the sum
        over the batch of per-sample means is returned: the loss seen in training
        is then ``weight * mean((x * scale - target)**2)`` for any batch size.
        """
        err = keras.ops.square(x * self.scale - self.target)
        per_sample = keras.ops.mean(keras.ops.reshape(err, (keras.ops.shape(err)[0], -1)), axis=1)
        return self.weight * keras.ops.sum(per_sample)

    def get_config(self):
        """Return the constructor arguments (for saving)."""
        return {"target": self.target, "weight": self.weight, "scale": self.scale}


def rate_scales_from_data(model, x, target_rate=100.0, percentile=99.9, batch_size=256):
    """Per-layer ``scale_firing_rates`` that put activity percentiles at a target rate.

    For every layer with a ``relu`` activation (or a ReLU/Activation layer), the
    ``percentile`` of its positive activity over ``x`` is mapped to
    ``target_rate`` Hz. Layers that are weakly active get a large factor and
    strongly active ones a small one, so every layer fires in a useful range
    instead of one global factor serving all.

    Parameters
    ----------
    model : keras.Model
        The model to be converted.
    x : ndarray
        Representative inputs (e.g. part of the training set).
    target_rate : float
        Rate in Hz for the chosen activity percentile.
    percentile : float
        Percentile (0-100) of the positive activity of each layer.
    batch_size : int
        Batch size of the activity read-out.

    Returns
    -------
    dict
        Keras layer -> scale factor, to pass as ``Converter(scale_firing_rates=...)``.
    """
    layers = [
        layer for layer in model.layers
        if getattr(getattr(layer, "activation", None), "__name__", None) == "relu"
        or isinstance(layer, keras.layers.ReLU)
    ]
    probe = keras.Model(model.inputs, [layer.output for layer in layers])
    acts = probe.predict(x, batch_size=batch_size, verbose=0)
    acts = acts if isinstance(acts, list) else [acts]
    scales = {}
    for layer, act in zip(layers, acts):
        positive = np.asarray(act)[np.asarray(act) > 0]
        level = np.percentile(positive, percentile) if positive.size else 1.0
        scales[layer] = float(target_rate / level)
    return scales
