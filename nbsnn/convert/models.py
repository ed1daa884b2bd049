"""The small Keras models used by the tutorial, tests and benchmarks."""

from __future__ import annotations

import keras

from .qcfs import QCFS

__all__ = ["digits_cnn", "digits_deep_cnn"]


def _activation(x, name, levels, per_channel):
    """ReLU (``levels=None``) or a `QCFS` layer named ``<name>_qcfs`` after ``x``."""
    if levels is None:
        return x
    return QCFS(levels, threshold=1.0, per_channel=per_channel, name=f"{name}_qcfs")(x)


def digits_cnn(activity_regularizer=None, levels=None, per_channel=False) -> keras.Model:
    """Return the anchor CNN for 8x8 digits (functional API, untrained).

    ``Conv2D(16, 3, relu) -> Conv2D(32, 3, strides=2, relu) -> Flatten -> Dense(10)``,
    the model of ``shared/anchors/nengodl_digits.md``. Layers are named ``conv0``,
    ``conv1``, ``flatten`` and ``dense``.

    Parameters
    ----------
    activity_regularizer : keras.regularizers.Regularizer, optional
        Attached to both convolution layers (e.g. a `FiringRateRegularizer`).
    levels : int, optional
        Replace each ReLU by a `QCFS` layer with this many levels (threshold 1,
        named ``conv0_qcfs``, ``conv1_qcfs``; the convolutions become linear).
    per_channel : bool
        One `QCFS` threshold per channel.
    """
    act = None if levels else "relu"
    inp = keras.Input((8, 8, 1), name="input")
    x = keras.layers.Conv2D(16, 3, activation=act, name="conv0",
                            activity_regularizer=activity_regularizer)(inp)
    x = _activation(x, "conv0", levels, per_channel)
    x = keras.layers.Conv2D(32, 3, strides=2, activation=act, name="conv1",
                            activity_regularizer=activity_regularizer)(x)
    x = _activation(x, "conv1", levels, per_channel)
    x = keras.layers.Flatten(name="flatten")(x)
    out = keras.layers.Dense(10, name="dense")(x)
    return keras.Model(inp, out, name="digits_cnn")


def digits_deep_cnn(size=16, levels=None, per_channel=False) -> keras.Model:
    """Return a five-layer CNN for digits upsampled to ``size`` x ``size``.

    ``Conv2D(16, 3) -> Conv2D(32, 3, strides=2) -> Conv2D(32, 3) -> Conv2D(64, 3,
    strides=2) -> Flatten -> Dense(10)``, ReLUs (or `QCFS` layers with ``levels``)
    after every convolution; layers ``conv0`` .. ``conv3``, ``flatten``, ``dense``.
    """
    act = None if levels else "relu"
    inp = keras.Input((size, size, 1), name="input")
    x = inp
    for i, (filters, strides) in enumerate([(16, 1), (32, 2), (32, 1), (64, 2)]):
        x = keras.layers.Conv2D(filters, 3, strides=strides, activation=act,
                                name=f"conv{i}")(x)
        x = _activation(x, f"conv{i}", levels, per_channel)
    x = keras.layers.Flatten(name="flatten")(x)
    out = keras.layers.Dense(10, name="dense")(x)
    return keras.Model(inp, out, name="digits_deep_cnn")
