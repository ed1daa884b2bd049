"""Converters for average pooling, max pooling (as average pooling) and global pooling.

Pooling is linear per channel, so each layer is a pass-through Node fed by a
sparse matrix. Max pooling has no linear equivalent: it is refused unless
``max_to_avg_pool=True`` asks for the average instead (as NengoDL does).
"""

from __future__ import annotations

import keras
import numpy as np
import scipy.sparse

from ..converter import Converter, LayerConverter, LinearMap
from .conv import sliding_windows

__all__ = ["GlobalPoolingConverter", "PoolingConverter", "pool_matrix"]

_MAX_POOLS = (
    keras.layers.MaxPooling1D,
    keras.layers.MaxPooling2D,
    keras.layers.GlobalMaxPooling1D,
    keras.layers.GlobalMaxPooling2D,
)


def pool_matrix(in_shape, pool_size, strides, padding):
    """Sparse ``(n_out, n_in)`` matrix averaging each window per channel.

    Windows are averaged over their valid (unpadded) entries only, as TensorFlow
    does for ``padding="same"``.
    """
    n_ch = in_shape[-1]
    out_sp, out_idx, _, in_idx = sliding_windows(in_shape[:-1], pool_size, strides, padding)
    counts = np.bincount(out_idx, minlength=int(np.prod(out_sp)))
    rows = (out_idx[:, None] * n_ch + np.arange(n_ch)).ravel()
    cols = (in_idx[:, None] * n_ch + np.arange(n_ch)).ravel()
    vals = np.repeat(1.0 / counts[out_idx], n_ch)
    shape = (int(np.prod(out_sp)) * n_ch, int(np.prod(in_shape)))
    return scipy.sparse.csr_matrix((vals, (rows, cols)), shape=shape)


class _PoolingBase(LayerConverter):
    unsupported_args = (("data_format", ("channels_last",)),)

    def check(self):
        super().check()
        if isinstance(self.layer, _MAX_POOLS) and not self.converter.max_to_avg_pool:
            self.error(
                "max pooling is not a linear operation and has no neuron equivalent",
                "pass max_to_avg_pool=True to convert it to average pooling (check "
                "accuracy with verify on a model retrained with AveragePooling), or "
                "replace it by AveragePooling in the Keras model",
            )


@Converter.register(keras.layers.AveragePooling1D)
@Converter.register(keras.layers.AveragePooling2D)
@Converter.register(keras.layers.MaxPooling1D)
@Converter.register(keras.layers.MaxPooling2D)
class PoolingConverter(_PoolingBase):
    """Windowed pooling with any pool size, strides and valid/same padding."""

    def convert(self, inputs, output_shape):
        (x,) = inputs
        layer = self.layer
        matrix = pool_matrix(x.shape, layer.pool_size, layer.strides, layer.padding)
        return self.converter.add_layer(layer, [(x, LinearMap(matrix))], output_shape)


@Converter.register(keras.layers.GlobalAveragePooling1D)
@Converter.register(keras.layers.GlobalAveragePooling2D)
@Converter.register(keras.layers.GlobalMaxPooling1D)
@Converter.register(keras.layers.GlobalMaxPooling2D)
class GlobalPoolingConverter(_PoolingBase):
    """Global pooling: the mean of each channel over all positions."""

    def convert(self, inputs, output_shape):
        (x,) = inputs
        positions = int(np.prod(x.shape[:-1]))
        n_ch = x.shape[-1]
        matrix = scipy.sparse.hstack([scipy.sparse.identity(n_ch)] * positions) / positions
        return self.converter.add_layer(
            self.layer, [(x, LinearMap(matrix.tocsr()))], output_shape
        )
