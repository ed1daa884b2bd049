"""Running a converted network on data, one minibatch at a time.

A network converted with ``minibatch_size=B`` holds ``B`` samples side by side,
so one simulator step advances a whole minibatch. `run_batches` presents each
minibatch for ``n_steps`` (the input held constant, the state reset in
between, as NengoDL does with ``stateful=False``) and collects outputs and
neuron activity.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import nengo
import numpy as np

from ..exceptions import ConversionError
from .checks import check_data

if TYPE_CHECKING:
    from .converter import Converter

__all__ = ["run_batches"]


def run_batches(converter: Converter, x, n_steps: int, probe_neurons=False,
                simulator=None, seed=0, dt=None) -> dict:
    """Run ``x`` through a converted network, one minibatch at a time.

    The input node's output is replaced by a function returning the current
    minibatch (padded with zeros at the end of the data).

    Parameters
    ----------
    converter : Converter
        A converter with a single input; its ``minibatch_size`` sets the batch.
    x : ndarray
        Inputs, shape ``(n_samples, *input_shape)``.
    n_steps : int
        Steps each minibatch is presented for.
    probe_neurons : bool
        Also record every neuron layer (needed for firing rates).
    simulator : class, optional
        Simulator class; `nbsnn.simulator.Simulator` by default.
    seed : int
        Simulator seed (each minibatch starts from ``reset(seed)``).
    dt : float, optional
        Simulator time step; the converter's ``dt`` by default.

    Returns
    -------
    dict
        ``output`` (``(n_samples, n_steps, n_out)``), ``neurons`` (layer name ->
        ``(n_samples, n_steps, n)`` array of neuron outputs over amplitude),
        ``build_time`` and ``run_time``.
    """
    check_data(converter.model, x)
    if simulator is None:
        from ..simulator import Simulator as simulator
    dt = converter.dt if dt is None else dt
    if len(converter.inputs) != 1 or len(converter.outputs) != 1:
        raise ConversionError("batched evaluation supports one model input and one output")
    (node,) = converter.inputs.values()
    (out_probe,) = converter.outputs.values()
    B = converter.minibatch_size
    x = np.asarray(x, dtype=float).reshape(len(x), -1)
    current = np.zeros(node.size_out)
    node.output = lambda t: current
    probes = {}
    if probe_neurons:
        with converter.net:
            for layer, ens in converter.neuron_layers.items():
                probes[layer.name] = (nengo.Probe(ens.neurons, synapse=None),
                                      getattr(ens.neuron_type, "amplitude", 1.0))
    t0 = time.perf_counter()
    sim = simulator(converter.net, dt=dt, seed=seed, progress_bar=False)
    build_time = time.perf_counter() - t0
    outputs, neurons = [], {name: [] for name in probes}
    t0 = time.perf_counter()
    with sim:
        for start in range(0, len(x), B):
            batch = x[start:start + B]
            current[:] = 0
            current[:batch.size] = batch.ravel()
            sim.reset(seed=seed)
            sim.run_steps(n_steps)
            out = sim.data[out_probe].reshape(n_steps, B, -1)[:, :len(batch)]
            outputs.append(out.transpose(1, 0, 2))
            for name, (probe, amplitude) in probes.items():
                data = sim.data[probe].reshape(n_steps, B, -1)[:, :len(batch)]
                neurons[name].append(data.transpose(1, 0, 2) / amplitude)
    run_time = time.perf_counter() - t0
    return {
        "output": np.concatenate(outputs),
        "neurons": {name: np.concatenate(v) for name, v in neurons.items()},
        "build_time": build_time,
        "run_time": run_time,
        "spiking": {layer.name: ens.neuron_type.spiking
                    for layer, ens in converter.neuron_layers.items()},
    }
