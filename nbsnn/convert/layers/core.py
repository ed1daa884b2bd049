"""Converters for Dense, Activation/ReLU and the reshaping or inference no-op layers."""

from __future__ import annotations

import keras
import numpy as np
import scipy.sparse

from ..converter import Converter, LayerConverter, LinearMap, Tensor

__all__ = ["ActivationConverter", "DenseConverter", "IdentityConverter", "ReLUConverter"]


@Converter.register(keras.layers.Dense)
class DenseConverter(LayerConverter):
    """``Dense``: a matrix on the last axis, bias, then the activation."""

    def convert(self, inputs, output_shape):
        (x,) = inputs
        kernel = np.asarray(self.layer.kernel.numpy(), dtype=float)
        positions = int(np.prod(x.shape[:-1]))
        matrix = kernel.T
        if positions > 1:
            matrix = scipy.sparse.kron(scipy.sparse.identity(positions), kernel.T).tocsr()
        bias = self.layer.bias.numpy() if self.layer.use_bias else None
        return self.converter.add_layer(
            self.layer, [(x, LinearMap(matrix))], output_shape, bias, self.layer.activation
        )


@Converter.register(keras.layers.Activation)
class ActivationConverter(LayerConverter):
    """``Activation``: neurons fed one to one from the previous layer."""

    def convert(self, inputs, output_shape):
        (x,) = inputs
        return self.converter.add_layer(
            self.layer, [(x, None)], output_shape, activation=self.layer.activation
        )


@Converter.register(keras.layers.ReLU)
class ReLUConverter(LayerConverter):
    """``ReLU`` layer with its default arguments (plain rectification)."""

    unsupported_args = (
        ("max_value", (None,)),
        ("negative_slope", (0, 0.0)),
        ("threshold", (0, 0.0)),
    )

    def convert(self, inputs, output_shape):
        (x,) = inputs
        return self.converter.add_layer(
            self.layer, [(x, None)], output_shape, activation="relu"
        )


@Converter.register(keras.layers.Flatten)
@Converter.register(keras.layers.Reshape)
@Converter.register(keras.layers.Dropout)
@Converter.register(keras.layers.SpatialDropout1D)
@Converter.register(keras.layers.SpatialDropout2D)
@Converter.register(keras.layers.GaussianNoise)
@Converter.register(keras.layers.GaussianDropout)
class IdentityConverter(LayerConverter):
    """Layers that leave the channels-last flat vector unchanged at inference.

    Flatten and Reshape keep the C-order of the values; dropout and noise layers
    do nothing at inference. The output is the input object itself.
    """

    def check(self):
        data_format = getattr(self.layer, "data_format", "channels_last")
        if data_format not in (None, "channels_last"):
            self.error(
                f"argument data_format={data_format!r} is not supported",
                "use data_format='channels_last' (the Keras default)",
            )

    def convert(self, inputs, output_shape):
        (x,) = inputs
        return Tensor(x.obj, output_shape, x.gain)
