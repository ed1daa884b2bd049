"""Converters for ``Conv1D`` and ``Conv2D`` (strides, valid/same/causal padding, channels-last).

For a single sample the layer becomes a `nengo.Convolution` transform (what
Nengo's builder runs as a convolution). For a minibatch, or where Nengo has no
equivalent (causal padding), the same map is built as a sparse matrix that is
replicated on the diagonal.
"""

from __future__ import annotations

import keras
import nengo
import numpy as np
import scipy.sparse

from ..converter import Converter, LayerConverter, LinearMap

__all__ = ["ConvConverter", "conv_matrix", "sliding_windows"]


def sliding_windows(in_spatial, kernel_size, strides, padding):
    """Index every (output position, kernel offset) pair that reads a real input.

    Parameters
    ----------
    in_spatial, kernel_size, strides : tuple of int
        Input spatial shape, window shape and strides (same length).
    padding : {"valid", "same", "causal"}
        Keras padding mode (``same`` pads like TensorFlow, extra on the far side).

    Returns
    -------
    out_spatial : tuple of int
        Output spatial shape.
    out_idx, k_idx, in_idx : ndarray of int
        Flat output position, flat kernel offset and flat input position of
        every valid pair.
    """
    in_spatial = np.asarray(in_spatial)
    kernel_size = np.asarray(kernel_size)
    strides = np.asarray(strides)
    if padding == "valid":
        out_spatial = (in_spatial - kernel_size) // strides + 1
        pad = np.zeros_like(in_spatial)
    elif padding == "same":
        out_spatial = -(-in_spatial // strides)
        pad = np.maximum((out_spatial - 1) * strides + kernel_size - in_spatial, 0) // 2
    elif padding == "causal":
        out_spatial = -(-in_spatial // strides)
        pad = kernel_size - 1
    else:
        raise ValueError(f"unknown padding {padding!r}")
    grid = lambda shape: np.stack(  # noqa: E731
        np.meshgrid(*[np.arange(n) for n in shape], indexing="ij"), -1
    ).reshape(-1, len(shape))
    out_pos, k_pos = grid(out_spatial), grid(kernel_size)
    in_pos = out_pos[:, None, :] * strides - pad + k_pos[None, :, :]
    valid = np.all((in_pos >= 0) & (in_pos < in_spatial), axis=-1)
    out_idx, k_idx = np.nonzero(valid)
    in_idx = np.ravel_multi_index(tuple(in_pos[out_idx, k_idx].T), tuple(in_spatial))
    return tuple(int(n) for n in out_spatial), out_idx, k_idx, in_idx


def conv_matrix(kernel, in_shape, strides, padding):
    """Sparse ``(n_out, n_in)`` matrix of a channels-last convolution (no bias).

    Parameters
    ----------
    kernel : ndarray
        Keras kernel, shape ``(*kernel_size, in_channels, filters)``.
    in_shape : tuple of int
        Input shape of one sample, ``(*spatial, in_channels)``.
    strides : tuple of int
        Strides per spatial axis.
    padding : {"valid", "same", "causal"}
        Keras padding mode.
    """
    *ksize, n_in, n_out = kernel.shape
    out_sp, out_idx, k_idx, in_idx = sliding_windows(in_shape[:-1], ksize, strides, padding)
    kernel = kernel.reshape(-1, n_in, n_out)
    rows = out_idx[:, None, None] * n_out + np.arange(n_out)[None, None, :]
    cols = in_idx[:, None, None] * n_in + np.arange(n_in)[None, :, None]
    rows, cols = np.broadcast_arrays(rows, cols)
    vals = kernel[k_idx]
    shape = (int(np.prod(out_sp)) * n_out, int(np.prod(in_shape)))
    return scipy.sparse.csr_matrix((vals.ravel(), (rows.ravel(), cols.ravel())), shape=shape)


@Converter.register(keras.layers.Conv1D)
@Converter.register(keras.layers.Conv2D)
class ConvConverter(LayerConverter):
    """``Conv1D``/``Conv2D`` with any strides and padding, channels-last, no dilation."""

    unsupported_args = (
        ("data_format", ("channels_last",)),
        ("dilation_rate", ((1,), (1, 1))),
        ("groups", (1,)),
    )

    def convert(self, inputs, output_shape):
        (x,) = inputs
        layer = self.layer
        kernel = np.asarray(layer.kernel.numpy(), dtype=float)
        matrix = conv_matrix(kernel, x.shape, layer.strides, layer.padding)
        transform = None
        if layer.padding in ("valid", "same"):
            transform = nengo.Convolution(
                n_filters=layer.filters,
                input_shape=x.shape,
                kernel_size=tuple(layer.kernel_size),
                strides=tuple(layer.strides),
                padding=layer.padding,
                channels_last=True,
                init=kernel,
            )
        bias = layer.bias.numpy() if layer.use_bias else None
        return self.converter.add_layer(
            layer, [(x, LinearMap(matrix, transform))], output_shape, bias, layer.activation
        )
