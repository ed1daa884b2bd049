"""nbsnn.Simulator has nengo.Simulator's API and behaviour around runs."""

import os
import pickle
import signal
import threading

import nengo
import numpy as np
import pytest
from nengo.exceptions import SimulatorClosed

import nbsnn
from nbsnn.exceptions import NonFiniteError


def _sine(t):
    return np.sin(5 * t)


def _net(seed=3):
    with nengo.Network(seed=seed) as net:
        stim = nengo.Node(_sine)
        a = nengo.Ensemble(50, 1)
        nengo.Connection(stim, a)
        net.ens = a
        net.p = nengo.Probe(a, synapse=0.01)
        net.sp = nengo.Probe(a.neurons, sample_every=0.005)
    return net


def test_run_step_run_steps_and_time():
    net = _net()
    with nbsnn.Simulator(net, progress_bar=False) as sim:
        sim.step()
        sim.run_steps(9)
        sim.run(0.02)
        assert sim.n_steps == 30
        assert sim.time == pytest.approx(0.03)
        assert sim.dt == 0.001
        assert sim.data[net.p].shape == (30, 1)
        np.testing.assert_allclose(sim.trange(), np.arange(1, 31) * 0.001)
        assert len(sim.trange(sample_every=0.005)) == len(sim.data[net.sp]) == 6
        assert sim.data[net.ens].encoders.shape == (50, 1)
        sim.clear_probes()
        assert len(sim.data[net.p]) == 0
        sim.run(0.01)
        assert sim.data[net.p].shape == (10, 1)


def test_many_small_runs_equal_one_long_run():
    net = _net()
    with nbsnn.Simulator(net, progress_bar=False) as a, nbsnn.Simulator(
        net, progress_bar=False
    ) as b:
        a.run(0.3)
        for _ in range(30):
            b.run(0.01)
        np.testing.assert_array_equal(a.data[net.p], b.data[net.p])


def test_same_seed_same_numbers_and_reset():
    net = _net()
    with nengo.Network(seed=5) as noisy:
        noise = nengo.Node(nengo.processes.WhiteNoise(), size_out=1)
        probe = nengo.Probe(noise)
    with nbsnn.Simulator(noisy, seed=7, progress_bar=False) as s1, nbsnn.Simulator(
        noisy, seed=7, progress_bar=False
    ) as s2:
        s1.run(0.05)
        s2.run(0.05)
        np.testing.assert_array_equal(s1.data[probe], s2.data[probe])
        first = s1.data[probe].copy()
        s1.reset()
        s1.run(0.05)
        np.testing.assert_array_equal(s1.data[probe], first)
        s1.reset(seed=8)
        s1.run(0.05)
        assert not np.array_equal(s1.data[probe], first)
    with nbsnn.Simulator(net, progress_bar=False) as sim:
        sim.run(0.05)
        before = sim.data[net.p].copy()
        sim.reset()
        assert sim.n_steps == 0 and sim.time == 0
        sim.run(0.05)
        np.testing.assert_array_equal(sim.data[net.p], before)


def test_closed_simulator_raises():
    sim = nbsnn.Simulator(_net(), progress_bar=False)
    sim.close()
    with pytest.raises(SimulatorClosed, match="closed"):
        sim.run(0.01)
    with pytest.raises(SimulatorClosed, match="closed"):
        sim.step()
    with pytest.raises(SimulatorClosed, match="closed"):
        sim.reset()


def test_pickle_round_trip():
    net = _net()
    with nbsnn.Simulator(net, progress_bar=False) as sim:
        sim.run(0.02)
        clone = pickle.loads(pickle.dumps(sim))
        sim.run(0.02)
        clone.run(0.02)
        for mine, theirs in zip(sim.model.probes, clone.model.probes):
            np.testing.assert_array_equal(clone.data[theirs], sim.data[mine])
        clone.close()


def test_registered_as_nengo_backend():
    from importlib.metadata import entry_points

    backends = {ep.name: ep.load() for ep in entry_points(group="nengo.backends")}
    assert backends["nbsnn"] is nbsnn.Simulator


def _interrupt_soon(delay):
    timer = threading.Timer(delay, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    return timer


@pytest.mark.parametrize("stepwise", [False, True])
def test_keyboard_interrupt_keeps_a_usable_consistent_simulator(stepwise):
    net = _net()
    with net:
        if stepwise:  # a node with input forces Python between compiled segments
            sink = nengo.Node(lambda t, x: x, size_in=1)
            nengo.Connection(net.ens, sink)
    with nbsnn.Simulator(net, progress_bar=False) as sim:
        sim.run(0.01)  # warm up the compiled code
        timer = _interrupt_soon(0.3)
        with pytest.raises(KeyboardInterrupt, match="interrupted"):
            sim.run(1000.0)
        timer.join()
        steps = sim.n_steps
        assert 10 < steps < 1_000_000
        assert len(sim.data[net.p]) == steps
        assert sim.time == pytest.approx(steps * sim.dt)
        sim.run(0.01)
        assert len(sim.data[net.p]) == steps + 10
    with nbsnn.Simulator(net, progress_bar=False) as ref:
        ref.run_steps(steps + 10)
        np.testing.assert_array_equal(ref.data[net.p], sim.data[net.p])


@pytest.mark.parametrize("stepwise", [False, True])
def test_nonfinite_state_is_reported_with_its_source(stepwise):
    with nengo.Network(seed=1) as net:
        stim = nengo.Node(lambda t: 1.0 if t > 0.02 else 0.0)
        a = nengo.Ensemble(20, 1)
        b = nengo.Ensemble(20, 1)
        nengo.Connection(a, b)
        nengo.Connection(stim, a, transform=1e308, synapse=None)
        nengo.Connection(stim, a, transform=1e308, synapse=None)  # overflows to inf
        probe = nengo.Probe(b, synapse=0.01)
        spikes = nengo.Probe(b.neurons)  # stored as events
        if stepwise:
            nengo.Connection(b, nengo.Node(lambda t, x: None, size_in=1))
    with nbsnn.Simulator(net, progress_bar=False) as sim:
        with pytest.raises(NonFiniteError, match="NaN or infinity produced by") as info:
            sim.run(1.0)
        assert isinstance(info.value, FloatingPointError)
        assert len(sim.data[probe]) == len(sim.data[spikes]) == sim.n_steps
        with nengo.Simulator(net, progress_bar=False) as ref:
            ref.run_steps(sim.n_steps)
        np.testing.assert_array_equal(sim.data[spikes], ref.data[spikes])
        if not stepwise:
            assert sim.n_steps == 20  # the last step before the overflow
            assert np.isfinite(sim.data[probe]).all()


@pytest.mark.parametrize("sample_every", [None, 0.003])
def test_spike_probes_store_events_and_read_back_dense(sample_every):
    """Unfiltered spiking outputs are kept as (count, indices, values) per sample,
    a small fraction of the dense array, and read back equal to Nengo's."""
    from nbsnn.backend.probes import SpikeEvents

    with nengo.Network(seed=3) as net:
        stim = nengo.Node(lambda t: np.sin(6 * t))
        ens = nengo.Ensemble(1000, 1)
        nengo.Connection(stim, ens)
        spikes = nengo.Probe(ens.neurons, sample_every=sample_every)
        voltage = nengo.Probe(ens.neurons, "voltage", sample_every=sample_every)
    with nengo.Simulator(net, progress_bar=False) as ref, nbsnn.Simulator(
        net, progress_bar=False
    ) as sim:
        for s in (ref, sim):
            s.run(0.2)
            s.run_steps(7)
        chunks = sim._sim_data[spikes]._chunks
        assert chunks and all(isinstance(c, SpikeEvents) for c in chunks)
        stored = sum(c.data.size for c in chunks)
        assert stored < 0.5 * len(sim._sim_data[spikes]) * 1000
        assert not isinstance(sim._sim_data[voltage]._chunks[0], SpikeEvents)
        np.testing.assert_array_equal(sim.data[spikes], ref.data[spikes])
        np.testing.assert_array_equal(sim.data[voltage], ref.data[voltage])
