"""Faults in user code and bad arguments give the user's error, named, with consistent state."""

import nengo
import numpy as np
import pytest
from nengo.exceptions import SimulationError

import nbsnn
from nbsnn.exceptions import InvalidArgumentError, NonFiniteError


class Boom(Exception):
    pass


def _fails_after(t_fail):
    def f(t, x=None):
        if t > t_fail:
            raise Boom(f"user error at t={t:g}")
        return 0.5 if x is None else x

    return f


def _time_node_net():
    with nengo.Network() as net:
        node = nengo.Node(_fails_after(0.0055))
        net.p = nengo.Probe(node)
    return net


def _input_node_net():
    with nengo.Network() as net:
        stim = nengo.Node(1.0)
        node = nengo.Node(_fails_after(0.0055), size_in=1)
        nengo.Connection(stim, node, synapse=None)
        net.p = nengo.Probe(node)
    return net


@pytest.mark.parametrize("make", [_time_node_net, _input_node_net])
def test_node_error_is_raised_again_and_steps_match_probe_data(make):
    net = make()
    with nbsnn.Simulator(net, progress_bar=False) as sim:
        for _ in range(3):  # reruns fail on the first step of a chunk
            with pytest.raises(Boom, match="user error"):
                sim.run(0.01)
            assert sim.n_steps == 5
            assert sim.time == pytest.approx(0.005)
            assert sim.trange().shape == (5,)
            assert sim.data[net.p].shape == (5, 1)


def test_nan_from_node_is_nonfinite_error_naming_the_node():
    with nengo.Network() as net:
        stim = nengo.Node(lambda t: np.nan if t > 0.0025 else 0.0, label="stim")
        a = nengo.Ensemble(10, 1, label="A")
        nengo.Connection(stim, a)
        p = nengo.Probe(stim)
    with nbsnn.Simulator(net, progress_bar=False) as sim:
        with pytest.raises(NonFiniteError, match="Node 'stim' returned a non-finite") as err:
            sim.run(0.01)
        assert isinstance(err.value, SimulationError)  # what Nengo raises
        assert sim.data[p].shape == (2, 1)


def test_nan_from_node_with_input_names_the_node():
    with nengo.Network() as net:
        stim = nengo.Node(1.0)
        node = nengo.Node(lambda t, x: np.inf if t > 0.0025 else x, size_in=1, label="div")
        nengo.Connection(stim, node, synapse=None)
    with nbsnn.Simulator(net, progress_bar=False) as sim:
        with pytest.raises(NonFiniteError, match="Node 'div' returned a non-finite"):
            sim.run(0.01)
        assert sim.n_steps == 2


def test_overflow_in_a_transform_names_the_connection():
    with nengo.Network() as net:
        stim = nengo.Node(1e300, label="stim")
        a = nengo.Ensemble(10, 1, label="A")
        nengo.Connection(stim, a, transform=1e300)
    with nbsnn.Simulator(net, progress_bar=False) as sim, \
            pytest.raises(NonFiniteError, match="Connection 'stim -> A'"):
        sim.run(0.01)


@pytest.mark.parametrize("dt", [0, -0.001, float("nan"), float("inf"), "0.001"])
def test_bad_dt_is_refused(dt):
    with pytest.raises(InvalidArgumentError, match="dt must be a finite number > 0"):
        nbsnn.Simulator(nengo.Network(), dt=dt, progress_bar=False)


@pytest.mark.parametrize("duration", [float("nan"), float("inf")])
def test_run_of_non_finite_time_is_refused(duration):
    with nbsnn.Simulator(_time_node_net(), progress_bar=False) as sim:
        with pytest.raises(InvalidArgumentError, match="time_in_seconds must be a finite"):
            sim.run(duration)
        with pytest.raises(InvalidArgumentError, match="steps must be an integer"):
            sim.run_steps(2.5)
        assert sim.n_steps == 0


def test_empty_probe_data_has_nengos_shape():
    with nengo.Network() as net:
        stim = nengo.Node([1.0, 2.0])
        a = nengo.Ensemble(10, 2)
        nengo.Connection(stim, a)
        b = nengo.Ensemble(5, 2)
        conn = nengo.Connection(a, b, learning_rule_type=nengo.PES())
        nengo.Connection(b, conn.learning_rule)
        probes = [nengo.Probe(stim), nengo.Probe(a), nengo.Probe(a.neurons),
                  nengo.Probe(a.neurons, "voltage"), nengo.Probe(a, "input"),
                  nengo.Probe(a.neurons, synapse=0.01), nengo.Probe(conn, "weights"),
                  nengo.Probe(conn.learning_rule, "delta"), nengo.Probe(conn),
                  nengo.Probe(a.neurons, sample_every=0.01)]
    with nengo.Simulator(net, progress_bar=False) as ref, \
            nbsnn.Simulator(net, progress_bar=False) as sim:
        for run_steps in (0, 5):  # the last probe samples nothing in 5 steps either
            if run_steps:
                sim.run_steps(run_steps)
                ref.run_steps(run_steps)
            for p in probes:
                assert sim.data[p].shape == ref.data[p].shape, p
                assert sim.data[p].dtype == ref.data[p].dtype, p
        assert sim.data[probes[-1]].shape == (0,)
        sim.reset()
        assert all(sim.data[p].shape == (0,) for p in probes)
