"""Converter for `nbsnn.convert.QCFS`: quantised rate neurons or integrate-and-fire."""

from __future__ import annotations

import numpy as np
from nengo.dists import Choice

from ...neurons import QCFSRate
from ..converter import Converter, LayerConverter, _replace
from ..qcfs import QCFS

__all__ = ["QCFSConverter"]


@Converter.register(QCFS)
class QCFSConverter(LayerConverter):
    """``QCFS`` layer: neurons with threshold ``threshold`` reached in one step.

    The neurons receive ``x / (threshold * dt)`` (voltage ``x / threshold`` per step,
    threshold 1), emit unit outputs (``amplitude = dt``) and the connections leaving
    them multiply by ``threshold``. By default they are `QCFSRate` neurons (exactly
    the layer); the activation name ``"qcfs"`` (or a `QCFSRate` instance) in
    ``swap_activations`` replaces them, e.g. by `nbsnn.neurons.IntegrateAndFire`, whose
    initial voltage is then ``shift`` unless given. ``scale_firing_rates`` does not
    apply to these layers: their rate is set by the threshold.
    """

    def convert(self, inputs, output_shape):
        (x,) = inputs
        layer, converter = self.layer, self.converter
        dt = converter.dt
        theta = np.maximum(np.asarray(layer.threshold.numpy(), dtype=float), 1e-6)
        theta = np.broadcast_to(theta, output_shape).reshape(-1)
        neuron_type = converter.neuron_type_for(
            "qcfs", layer, default=QCFSRate(levels=layer.levels, shift=layer.shift))
        if hasattr(neuron_type, "amplitude"):
            neuron_type = _replace(neuron_type, amplitude=dt)
        initial = dict(neuron_type.initial_state or {})
        if "voltage" in neuron_type.state and "voltage" not in initial:
            initial["voltage"] = Choice([layer.shift])
            neuron_type = _replace(neuron_type, initial_state=initial)
        return converter.add_neurons(layer, [(x, None)], output_shape, neuron_type,
                                     input_scale=1.0 / (theta * dt), output_gain=theta)
