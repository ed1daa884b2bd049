"""Converters for ``Add`` and ``Concatenate``."""

from __future__ import annotations

import keras
import numpy as np
import scipy.sparse

from ..converter import Converter, LayerConverter, LinearMap

__all__ = ["AddConverter", "ConcatenateConverter"]


@Converter.register(keras.layers.Add)
class AddConverter(LayerConverter):
    """``Add``: every input connects one to one into a pass-through Node."""

    def convert(self, inputs, output_shape):
        for x in inputs:
            if x.shape != tuple(output_shape):
                self.error(
                    f"broadcasting an input of shape {x.shape} to {tuple(output_shape)} "
                    f"is not supported",
                    "give every input of Add the same shape",
                )
        return self.converter.add_layer(self.layer, [(x, None) for x in inputs], output_shape)


@Converter.register(keras.layers.Concatenate)
class ConcatenateConverter(LayerConverter):
    """``Concatenate`` along any axis: each input maps into its slots by a 0/1 matrix."""

    def convert(self, inputs, output_shape):
        axis = self.layer.axis  # counts the batch axis when positive
        axis = axis - 1 if axis > 0 else axis % len(output_shape)
        index = np.arange(int(np.prod(output_shape))).reshape(output_shape)
        bounds = np.cumsum([0] + [x.shape[axis] for x in inputs])
        linear = []
        for x, start, stop in zip(inputs, bounds[:-1], bounds[1:]):
            rows = np.take(index, np.arange(start, stop), axis=axis).ravel()
            matrix = scipy.sparse.csr_matrix(
                (np.ones(rows.size), (rows, np.arange(rows.size))),
                shape=(index.size, rows.size),
            )
            linear.append((x, LinearMap(matrix)))
        return self.converter.add_layer(self.layer, linear, output_shape)
