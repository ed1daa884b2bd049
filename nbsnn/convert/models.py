"""The small Keras models used by the tutorial, tests and benchmarks."""

from __future__ import annotations

import keras

__all__ = ["digits_cnn"]


def digits_cnn(activity_regularizer=None) -> keras.Model:
    """Return the anchor CNN for 8x8 digits (functional API, untrained).

    ``Conv2D(16, 3, relu) -> Conv2D(32, 3, strides=2, relu) -> Flatten -> Dense(10)``,
    the model of ``shared/anchors/nengodl_digits.md``. Layers are named ``conv0``,
    ``conv1``, ``flatten`` and ``dense``.

    Parameters
    ----------
    activity_regularizer : keras.regularizers.Regularizer, optional
        Attached to both convolution layers (e.g. a `FiringRateRegularizer`).
    """
    inp = keras.Input((8, 8, 1), name="input")
    x = keras.layers.Conv2D(16, 3, activation="relu", name="conv0",
                            activity_regularizer=activity_regularizer)(inp)
    x = keras.layers.Conv2D(32, 3, strides=2, activation="relu", name="conv1",
                            activity_regularizer=activity_regularizer)(x)
    x = keras.layers.Flatten(name="flatten")(x)
    out = keras.layers.Dense(10, name="dense")(x)
    return keras.Model(inp, out, name="digits_cnn")
