"""Post-hoc bias calibration of converted QCFS networks (Li et al., ICML 2021).

A spiking network converted from `QCFS` layers runs a handful of steps, and each
layer's mean output then differs from the Keras layer's by a systematic amount per
channel (spikes that have not arrived yet, residual membrane). `calibrate_biases`
measures that difference on calibration data, layer by layer from the input, and adds
it to the bias of the layer feeding each `QCFS` layer: no retraining, only forward
passes of the Keras model and of the spiking network.
"""

from __future__ import annotations

import keras
import numpy as np

from ..exceptions import ConversionError
from .batches import run_batches
from .converter import Converter
from .qcfs import QCFS, _single_input

__all__ = ["calibrate_biases"]


def calibrate_biases(model, x, n_steps, swap_activations=None, minibatch_size=60, dt=0.001,
                     seed=0):
    """Return a copy of ``model`` whose biases correct the spiking network's mean error.

    For each `QCFS` layer in order, the network is converted (with
    ``swap_activations``, e.g. ``{"qcfs": IntegrateAndFire()}``) and run on ``x`` for
    ``n_steps``; the per-channel mean of the layer's spiking output over images,
    positions and steps is subtracted from that of the original Keras layer, and the difference
    is added to the bias of the ``Conv``/``Dense`` layer feeding it. Later layers are
    measured after earlier ones are corrected.

    Parameters
    ----------
    model : keras.Model
        A model with `QCFS` layers, each fed by a layer with a bias.
    x : ndarray
        Calibration inputs (training data; a few hundred images suffice).
    n_steps : int
        Steps the network will run for (the error depends on them).
    swap_activations, minibatch_size, dt, seed
        As for `Converter` / `run_batches`.

    Returns
    -------
    keras.Model
        The calibrated copy (the original is unchanged).
    """
    calibrated = keras.models.clone_model(model)
    calibrated.set_weights(model.get_weights())
    qcfs_layers = [layer for layer in calibrated.layers if isinstance(layer, QCFS)]
    x = np.asarray(x)
    # targets: the original model's layer outputs
    probe = keras.Model(_single_input(model), [model.get_layer(layer.name).output
                                      for layer in qcfs_layers])
    targets = keras.tree.flatten(probe(x))
    for layer, keras_out in zip(qcfs_layers, targets):
        feeder = layer._inbound_nodes[0].input_tensors[0]._keras_history.operation
        if getattr(feeder, "bias", None) is None:
            raise ConversionError(
                f"Cannot calibrate layer '{layer.name}' (QCFS): the layer feeding it, "
                f"'{feeder.name}', has no bias. Options: give it use_bias=True.")
        channels = keras_out.shape[-1]
        ann = np.asarray(keras_out).reshape(-1, channels).mean(axis=0)
        converter = Converter(calibrated, swap_activations=swap_activations,
                              minibatch_size=min(minibatch_size, len(x)), seed=seed, dt=dt)
        res = run_batches(converter, x, n_steps, probe_neurons=True, seed=seed, dt=dt)
        theta = np.broadcast_to(np.asarray(layer.threshold.numpy(), dtype=float), (channels,))
        spikes = res["neurons"][layer.name] * dt  # (n, steps, neurons): spikes per step
        snn = spikes.reshape(-1, channels).mean(axis=0) * theta
        feeder.bias.assign((feeder.bias.numpy() + (ann - snn)).astype(feeder.bias.dtype))
    return calibrated
