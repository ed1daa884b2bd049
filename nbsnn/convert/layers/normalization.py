"""Converter for ``BatchNormalization``, folded into a per-channel affine map.

At inference a batch-normalisation layer computes
``gamma * (x - moving_mean) / sqrt(moving_variance + epsilon) + beta``, a scale and
an offset per channel; it becomes a diagonal transform and a bias.
"""

from __future__ import annotations

import keras
import numpy as np
import scipy.sparse

from ..converter import Converter, LayerConverter, LinearMap

__all__ = ["BatchNormalizationConverter"]


@Converter.register(keras.layers.BatchNormalization)
class BatchNormalizationConverter(LayerConverter):
    """Inference-mode batch normalisation on the channels-last axis."""

    def convert(self, inputs, output_shape):
        (x,) = inputs
        layer = self.layer
        if layer.axis not in (-1, len(x.shape)):
            self.error(
                f"argument axis={layer.axis!r} is not supported",
                "normalise the last (channels) axis, axis=-1 (the Keras default)",
            )
        n_ch = x.shape[-1]
        gamma = layer.gamma.numpy() if layer.scale else np.ones(n_ch)
        beta = layer.beta.numpy() if layer.center else np.zeros(n_ch)
        mean = layer.moving_mean.numpy()
        var = layer.moving_variance.numpy()
        scale = np.asarray(gamma, dtype=float) / np.sqrt(var.astype(float) + layer.epsilon)
        offset = beta - mean * scale
        positions = int(np.prod(x.shape[:-1]))
        matrix = scipy.sparse.diags(np.tile(scale, positions)).tocsr()
        return self.converter.add_layer(
            layer, [(x, LinearMap(matrix))], output_shape, bias=offset
        )
