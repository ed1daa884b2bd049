"""Label assignment and classification from spike counts; a small Diehl & Cook run."""

import nengo
import numpy as np

import nbsnn
from nbsnn.learning import (
    DiehlCook,
    PoissonSpikes,
    assign_labels,
    predict,
    spike_counts,
)


def test_spike_counts_skip_rest_and_split_presentations():
    enc = PoissonSpikes(np.zeros((2, 3)), presentation_time=0.003, rest_time=0.002)
    spikes = np.zeros((10, 3))
    spikes[[0, 2, 3, 5, 9], [0, 1, 2, 2, 0]] = 1000.0  # steps 3 and 9 are rest
    np.testing.assert_array_equal(spike_counts(spikes, enc), [[1, 1, 0], [0, 0, 1]])


def test_assign_and_predict():
    counts = np.array([[5, 3, 1], [4, 4, 0], [0, 0, 6], [1, 1, 5]], dtype=float)
    labels = np.array([0, 0, 1, 1])
    assignments = assign_labels(counts, labels)
    np.testing.assert_array_equal(assignments, [0, 0, 1])
    np.testing.assert_array_equal(predict(counts, assignments), [0, 0, 1, 1])


def test_diehl_cook_learns_two_patterns():
    """Two non-overlapping patterns: after training, neurons specialise and the
    patterns are told apart from activity alone."""
    patterns = np.zeros((2, 16))
    patterns[0, :8], patterns[1, 8:] = 1.0, 1.0
    data, labels = np.tile(patterns, (10, 1)), np.tile([0, 1], 10)
    enc = PoissonSpikes(data, presentation_time=0.1, rest_time=0.05)
    net = DiehlCook(enc, n_exc=6, wmax=0.05, seed=0)
    with net:
        probe = nengo.Probe(net.exc.neurons)
        weights = nengo.Probe(net.input_conn, "weights", sample_every=3.0)
    with nbsnn.Simulator(net, progress_bar=False) as sim:
        sim.run(20 * 0.15)
    assert sim.python_ops == []
    counts = spike_counts(sim.data[probe], enc)
    late = slice(10, 20)
    assignments = assign_labels(counts[late], labels[late])
    assert set(assignments) == {0, 1}
    assert (predict(counts[late], assignments) == labels[late]).mean() >= 0.9
    w = sim.data[weights][-1]
    for i, c in enumerate(assignments):  # a neuron's weights favour its pattern
        assert w[i, patterns[c] > 0].sum() > w[i, patterns[c] == 0].sum()


def test_diehl_cook_matches_nengo_exactly():
    """The whole network (encoder, relay, adaptive thresholds, STDP with normalisation,
    inhibition) gives nengo.Simulator's numbers bit for bit."""
    data = np.random.RandomState(0).uniform(0, 1, (3, 16))
    enc = PoissonSpikes(data, max_rate=100.0, presentation_time=0.06, rest_time=0.02)
    net = DiehlCook(enc, n_exc=8, wmax=0.1, normalize_every=30, seed=2)
    with net:
        probes = [nengo.Probe(net.exc.neurons), nengo.Probe(net.exc.neurons, "theta"),
                  nengo.Probe(net.input_conn, "weights")]
    with nengo.Simulator(net, progress_bar=False) as ref:
        ref.run(0.24)
    with nbsnn.Simulator(net, progress_bar=False) as sim:
        sim.run(0.24)
    assert sim.python_ops == []
    assert ref.data[probes[0]].sum() > 0
    for probe in probes:
        np.testing.assert_array_equal(sim.data[probe], ref.data[probe], err_msg=str(probe))
