"""Conversion-aware training: the QCFS activation of Bu et al. (ICLR 2022).

`QCFS` is a Keras layer to use in place of ReLU::

    y = threshold / L * clip(floor(x * L / threshold + shift), 0, L)

with ``L`` quantisation levels, a trainable ``threshold`` (one per layer or one per
channel) and ``shift = 0.5``. Gradients pass the floor straight through (the
gradient of ``clip(x * L / threshold + shift, 0, L)``), so the threshold learns too.

`Converter` maps a `QCFS` layer to neurons that, fed ``x`` for ``L`` steps, emit
exactly ``y * L / threshold`` spikes of size ``threshold``: rate neurons
`nbsnn.neurons.QCFSRate` by default (the converted network equals the Keras model),
or, with ``swap_activations={"qcfs": nbsnn.neurons.IntegrateAndFire()}``,
reset-by-subtraction integrate-and-fire neurons with threshold ``threshold`` and
initial membrane ``shift * threshold``. Such a network is accurate in a few steps
with the mean read-out (``evaluate(..., readout="mean")``) and no synapse.

`to_qcfs` turns a trained ReLU model into a QCFS one to fine-tune.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

__all__ = ["QCFS", "to_qcfs"]


@keras.saving.register_keras_serializable(package="nbsnn")
class QCFS(keras.layers.Layer):
    """Quantisation-clip-floor-shift activation with a trainable threshold.

    Parameters
    ----------
    levels : int
        Quantisation levels L: the output takes the values ``threshold * k / L``,
        ``k = 0..L``.
    threshold : float
        Initial threshold (the clip level); trained with the rest of the model.
    per_channel : bool
        One threshold per channel (last axis) instead of one for the layer.
    shift : float
        Added before the floor; 0.5 makes the expected conversion error zero.
    """

    def __init__(self, levels=8, threshold=1.0, per_channel=False, shift=0.5, **kwargs):
        super().__init__(**kwargs)
        if int(levels) < 1:
            raise ValueError(f"levels must be >= 1, got {levels}")
        self.levels = int(levels)
        self.initial_threshold = float(threshold)
        self.per_channel = bool(per_channel)
        self.shift = float(shift)

    def build(self, input_shape):
        """Create the threshold: a scalar, or one per channel."""
        shape = (input_shape[-1],) if self.per_channel else ()
        self.threshold = self.add_weight(
            name="threshold", shape=shape,
            initializer=keras.initializers.Constant(self.initial_threshold),
            constraint=keras.constraints.NonNeg(),
        )

    def call(self, x):
        """Quantise ``x``; the floor's gradient is the identity (straight through)."""
        L = float(self.levels)
        theta = ops.maximum(self.threshold, 1e-6)
        z = ops.clip(x * (L / theta) + self.shift, 0.0, L)
        q = ops.clip(ops.floor(x * (L / theta) + self.shift), 0.0, L)
        # forward: q exactly (z - z == 0); backward: the gradient of z
        return (ops.stop_gradient(q) + (z - ops.stop_gradient(z))) * (theta / L)

    def compute_output_shape(self, input_shape):
        """Same shape as the input."""
        return input_shape

    def get_config(self):
        """Return the constructor arguments (for saving)."""
        return {**super().get_config(), "levels": self.levels,
                "threshold": self.initial_threshold, "per_channel": self.per_channel,
                "shift": self.shift}


def to_qcfs(model, levels=8, x=None, percentile=99.9, per_channel=False, shift=0.5):
    """Return a copy of a ReLU model with every ReLU replaced by a `QCFS` layer.

    Layers with ``activation="relu"`` get a linear activation followed by a new
    `QCFS` layer named ``<layer>_qcfs``; ``ReLU`` layers become `QCFS` layers. The
    weights are copied, so the result can be fine-tuned (``compile`` and ``fit``).

    Parameters
    ----------
    model : keras.Model
        A built functional or Sequential model using ReLUs.
    levels, per_channel, shift
        Passed to every `QCFS` layer.
    x : ndarray, optional
        Training inputs: each threshold starts at the ``percentile`` of the ReLU's
        positive output on ``x`` (per channel with ``per_channel``), else at 1.
    percentile : float
        Percentile (0-100) for the initial thresholds.

    Returns
    -------
    keras.Model
    """
    relus = [layer for layer in model.layers
             if isinstance(layer, keras.layers.ReLU) or _activation(layer) == "relu"]
    thresholds = {}
    if x is not None and relus:
        probe = keras.Model(_single_input(model), [layer.output for layer in relus])
        acts = [np.concatenate(a) for a in zip(*(
            [np.asarray(out) for out in keras.tree.flatten(probe(x[i:i + 256]))]
            for i in range(0, len(x), 256)))]
        for layer, act in zip(relus, acts):
            act = np.asarray(act).reshape(-1, act.shape[-1])
            thresholds[layer.name] = np.array(
                [_percentile(act[:, c], percentile) for c in range(act.shape[1])]
                if per_channel else _percentile(act.ravel(), percentile))

    def clone(layer):
        config = layer.get_config()
        if isinstance(layer, keras.layers.ReLU):
            return QCFS(levels, 1.0, per_channel, shift, name=layer.name)
        if layer in relus:
            config["activation"] = "linear"
        return type(layer).from_config(config)

    def adds_qcfs(layer):
        return layer in relus and not isinstance(layer, keras.layers.ReLU)

    def call(layer, *args, **kwargs):
        out = layer(*args, **kwargs)
        if adds_qcfs(model.get_layer(layer.name)):
            out = QCFS(levels, 1.0, per_channel, shift, name=f"{layer.name}_qcfs")(out)
        return out

    if isinstance(model, keras.Sequential):  # clone_model cannot insert layers there
        stack = [keras.Input(_single_input(model).shape[1:])]
        for layer in model.layers:
            stack.append(clone(layer))
            if adds_qcfs(layer):
                stack.append(QCFS(levels, 1.0, per_channel, shift, name=f"{layer.name}_qcfs"))
        new = keras.Sequential(stack, name=model.name)
    else:
        new = keras.models.clone_model(model, clone_function=clone, call_function=call)
    for layer in model.layers:
        if layer.weights:
            new.get_layer(layer.name).set_weights(layer.get_weights())
    for name, theta in thresholds.items():
        qcfs = new.get_layer(name if isinstance(model.get_layer(name), keras.layers.ReLU)
                             else f"{name}_qcfs")
        qcfs.threshold.assign(np.broadcast_to(theta, qcfs.threshold.shape).astype("float32"))
    return new


def _single_input(model):
    """The input tensor of a one-input model (Sequential models have no ``.input``)."""
    (tensor,) = model.inputs
    return tensor


def _activation(layer):
    activation = getattr(layer, "activation", None)
    return getattr(activation, "__name__", activation)


def _percentile(values, percentile):
    positive = values[values > 0]
    return float(np.percentile(positive, percentile)) if positive.size else 1.0
