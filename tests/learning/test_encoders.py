"""Spike encoders: requested rates and codes, same spikes on both simulators."""

import nengo
import numpy as np
import pytest
from nengo.exceptions import ValidationError

import nbsnn
from nbsnn.learning import (
    BernoulliSpikes,
    PoissonSpikes,
    Presentation,
    RankOrderSpikes,
    TimeToFirstSpike,
)

DT = 0.001


def _run(process, steps, Simulator=nengo.Simulator, seed=0):
    with nengo.Network(seed=seed) as net:
        probe = nengo.Probe(nengo.Node(process))
    with Simulator(net, dt=DT, progress_bar=False) as sim:
        sim.run_steps(steps)
    return sim, sim.data[probe] * DT  # spike counts per step


def test_poisson_rates_match_requested():
    x = np.linspace(0, 1, 21)
    _, counts = _run(PoissonSpikes(x, max_rate=100.0), 5000)
    expected = x * 100.0 * 5.0  # spikes in 5 s
    assert (np.abs(counts.sum(axis=0) - expected) < 4 * np.sqrt(expected) + 1).all()
    assert counts[:, 0].sum() == 0


def test_bernoulli_probabilities_match_requested():
    x = np.linspace(0, 1, 11)
    _, counts = _run(BernoulliSpikes(x, max_prob=0.2), 4000)
    assert set(np.unique(counts)) <= {0.0, 1.0}
    p = x * 0.2
    sd = np.sqrt(4000 * p * (1 - p))
    assert (np.abs(counts.sum(axis=0) - 4000 * p) < 4 * sd + 1).all()


def test_time_to_first_spike_fires_once_per_presentation_at_its_latency():
    x = np.array([1.0, 0.5, 0.25, 0.0])
    enc = TimeToFirstSpike(x, max_latency=0.02, presentation_time=0.03, rest_time=0.01)
    _, counts = _run(enc, 80)
    for i, latency in enumerate([0, 10, 15]):
        assert list(np.flatnonzero(counts[:, i])) == [latency, latency + 40]
    assert counts[:, 3].sum() == 0


def test_rank_order_spikes_strongest_first():
    x = np.array([0.2, 0.9, 0.0, 0.5, 0.9])
    _, counts = _run(RankOrderSpikes(x, interval=0.002), 20)
    first = {i: np.flatnonzero(counts[:, i]) for i in range(5)}
    assert [list(first[i]) for i in (1, 4, 3, 0)] == [[0], [2], [4], [6]]
    assert counts[:, 2].sum() == 0 and counts.sum() == 4


def test_presentation_cycles_samples_with_rest():
    data = np.array([[1.0, 2.0], [3.0, 4.0]])
    enc = Presentation(data, presentation_time=0.003, rest_time=0.002, rest_value=-1)
    _, out = _run(enc, 12)
    values = out[:, 0] / DT
    np.testing.assert_array_equal(values, [1, 1, 1, -1, -1, 3, 3, 3, -1, -1, 1, 1])
    t = (np.arange(12) + 1) * DT
    np.testing.assert_array_equal(enc.sample_index(t, DT), [0] * 5 + [1] * 5 + [0] * 2)


@pytest.mark.parametrize("make", [
    lambda x: PoissonSpikes(x, presentation_time=0.05, rest_time=0.02),
    lambda x: BernoulliSpikes(x, max_prob=0.3),
    lambda x: TimeToFirstSpike(x, presentation_time=0.04),
    lambda x: RankOrderSpikes(x),
])
def test_same_seed_same_spikes_on_both_simulators_prefetched(make):
    x = np.random.RandomState(0).uniform(0, 1, (3, 16))
    _, ref = _run(make(x), 300, nengo.Simulator, seed=7)
    sim, out = _run(make(x), 300, nbsnn.Simulator, seed=7)
    assert sim.python_ops == []
    np.testing.assert_array_equal(out, ref)
    assert ref.sum() > 0
    _, other = _run(make(x), 300, nbsnn.Simulator, seed=8)
    if isinstance(make(x), (PoissonSpikes, BernoulliSpikes)):
        assert not np.array_equal(other, ref)


def test_data_outside_unit_interval_is_rejected():
    with pytest.raises(ValidationError, match=r"PoissonSpikes takes data in \[0, 1\]"):
        PoissonSpikes([0.5, 16.0])
