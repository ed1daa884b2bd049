"""Fused operators (`nbsnn.backend.fusion`): an LIF population's bias copy, encoder
product and neuron step run as one kernel call with exactly the unfused numbers."""

import nengo
import numpy as np
import pytest

import nbsnn
from nbsnn.backend import fusion
from nbsnn.kernels import opcodes


def _chain(n_ensembles=4, n_neurons=60, seed=2):
    """B2's shape: 1-D ensembles in a chain (merged into one block-sparse encoder)."""
    with nengo.Network(seed=seed) as net:
        prev = nengo.Node(lambda t: np.sin(6 * t))
        for _ in range(n_ensembles):
            ens = nengo.Ensemble(n_neurons, 1)
            nengo.Connection(prev, ens)
            prev = ens
        nengo.Probe(prev, synapse=0.01)
        nengo.Probe(ens.neurons)
        nengo.Probe(ens.neurons, "voltage")
        nengo.Probe(ens.neurons, "input")
    return net


def _recurrent(seed=1):
    """B1's shape: one recurrent 1-D ensemble (a dense encoder product)."""
    with nengo.Network(seed=seed) as net:
        stim = nengo.Node(lambda t: np.sin(2 * np.pi * t))
        a = nengo.Ensemble(1500, 1)  # two blocks of the LIF kernel
        nengo.Connection(stim, a, transform=0.1, synapse=0.1)
        nengo.Connection(a, a, synapse=0.1)
        nengo.Probe(a, synapse=0.01)
        nengo.Probe(a.neurons)
        nengo.Probe(a.neurons, "refractory_time")
    return net


def _opcodes(sim):
    code, starts = sim._runner.arrays["code"], sim._runner.arrays["starts"]
    return [int(code[p]) for p in starts]


def _run(net, fused, monkeypatch, duration=0.3):
    monkeypatch.setattr(fusion, "ENABLED", fused)
    with nbsnn.Simulator(net, seed=3, progress_bar=False) as sim:
        sim.run(duration)
    return sim


@pytest.mark.parametrize("make", [_chain, _recurrent])
def test_fused_is_bit_identical_to_unfused_and_to_nengo(make, monkeypatch, compare):
    net = make()
    fused, unfused = _run(net, True, monkeypatch), _run(net, False, monkeypatch)
    assert opcodes.LIF_ENCODED in _opcodes(fused)
    assert opcodes.LIF_ENCODED not in _opcodes(unfused)
    for probe in net.all_probes:
        np.testing.assert_array_equal(fused.data[probe], unfused.data[probe], err_msg=str(probe))
    compare(net, 0.3, seed=3)


def test_neuron_to_neuron_input_is_not_fused_and_stays_exact(compare):
    """A third writer of J (a connection onto the neurons) keeps the ops apart."""
    with nengo.Network(seed=4) as net:
        stim = nengo.Node(lambda t: np.cos(5 * t))
        a = nengo.Ensemble(50, 1)
        b = nengo.Ensemble(40, 1)
        nengo.Connection(stim, a)
        nengo.Connection(a, b)
        nengo.Connection(a.neurons, b.neurons, transform=np.full((40, 50), -1e-3))
        nengo.Probe(b.neurons)
        nengo.Probe(b, synapse=0.01)
    _, sim = compare(net, 0.3)
    assert opcodes.LIF in _opcodes(sim)  # b's neurons (merged with a's or not)


def test_learned_encoders_are_read_when_the_neurons_step(compare):
    """Voja updates the encoders after the neurons: fusing keeps that order."""
    with nengo.Network(seed=5) as net:
        stim = nengo.Node(lambda t: [np.sin(4 * t), np.cos(4 * t)])
        a = nengo.Ensemble(30, 2)
        conn = nengo.Connection(stim, a, learning_rule_type=nengo.Voja(learning_rate=1e-2))
        nengo.Probe(a.neurons)
        nengo.Probe(conn.learning_rule, "scaled_encoders")
    compare(net, 0.3)


def test_chains_of_first_order_filters_run_as_one_record(compare):
    """B2's ten 1-element Lowpass synapses follow each other in the step order."""
    net = _chain(n_ensembles=6)
    with net:
        nengo.Probe(net.ensembles[2], synapse=nengo.Alpha(0.005))  # not first-order
    _, sim = compare(net, 0.3)
    codes = _opcodes(sim)
    assert opcodes.FIRST_ORDER_FILTERS in codes
    batched = sum(len(op.ops) for op in sim._runner.program.ops
                  if isinstance(op, fusion.FirstOrderFilters))
    assert batched >= 2 and codes.count(opcodes.LTI) < 6


def test_reset_replays_the_filters_random_draws():
    """Each filter's process draws a seed at reset (Nengo's order); noise after them
    in the step order gets the same numbers."""
    with nengo.Network(seed=6) as net:
        a = nengo.Ensemble(40, 1)
        b = nengo.Ensemble(40, 1)
        nengo.Connection(a, b)
        nengo.Connection(b, a)
        noise = nengo.Node(nengo.processes.WhiteNoise(seed=None), size_out=1)
        nengo.Connection(noise, a)
        nengo.Probe(noise)
        nengo.Probe(a, synapse=0.01)
    with nengo.Simulator(net, progress_bar=False) as ref, \
            nbsnn.Simulator(net, progress_bar=False) as sim:
        assert opcodes.FIRST_ORDER_FILTERS in _opcodes(sim)
        for simulator in (ref, sim):
            simulator.run(0.1)
            simulator.reset(seed=9)
            simulator.run(0.1)
        for probe in net.all_probes:
            np.testing.assert_allclose(sim.data[probe], ref.data[probe], rtol=1e-7, atol=1e-9)
