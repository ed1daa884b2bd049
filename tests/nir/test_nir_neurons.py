"""NIR neuron types: the compiled kernel against the NumPy ``step`` (nengo.Simulator)."""

import nengo
import numpy as np
import pytest

import nbsnn
from nbsnn.nir import neurons

N = 7
RNG = np.random.RandomState(3)


def _params(**values):
    return {k: RNG.uniform(*v, size=N) for k, v in values.items()}


TYPES = {
    "I": lambda: neurons.NIRIntegrator(**_params(r=(50, 150))),
    "IF": lambda: neurons.NIRIF(**_params(r=(50, 150), v_threshold=(0.5, 1.5),
                                          v_reset=(-0.2, 0.1))),
    "LI": lambda: neurons.NIRLI(**_params(tau=(0.005, 0.05), r=(0.5, 2), v_leak=(-0.5, 0.5))),
    "LIF": lambda: neurons.NIRLIF(amplitude=0.001, **_params(
        tau=(0.005, 0.05), r=(0.5, 2), v_leak=(-0.2, 0.2), v_threshold=(0.3, 1),
        v_reset=(-0.3, 0))),
    "CubaLI": lambda: neurons.NIRCubaLI(**_params(
        tau_syn=(0.002, 0.01), tau_mem=(0.005, 0.05), r=(0.5, 2), v_leak=(-0.5, 0.5),
        w_in=(0.5, 2))),
    "CubaLIF": lambda: neurons.NIRCubaLIF(**_params(
        tau_syn=(0.002, 0.01), tau_mem=(0.005, 0.05), r=(0.5, 2), v_leak=(-0.2, 0.2),
        v_threshold=(0.3, 1), v_reset=(-0.3, 0), w_in=(0.5, 2))),
    "Threshold": lambda: neurons.NIRThreshold(threshold=RNG.uniform(-0.5, 0.5, N)),
}


def _net(neuron_type):
    with nengo.Network(seed=1) as net:
        stim = nengo.Node(nengo.processes.WhiteSignal(1.0, high=20, rms=1.5, seed=2),
                          size_out=N)
        ens = nengo.Ensemble(N, 1, neuron_type=neuron_type, gain=np.ones(N),
                             bias=np.zeros(N))
        nengo.Connection(stim, ens.neurons, synapse=None)
        net.out = nengo.Probe(ens.neurons)
        net.state = [nengo.Probe(ens.neurons, name) for name in neuron_type.state]
    return net


@pytest.mark.parametrize("kind", sorted(TYPES))
def test_kernel_matches_numpy_step(kind):
    net = _net(TYPES[kind]())
    data = []
    for simulator in (nengo.Simulator, nbsnn.Simulator):
        with simulator(net, progress_bar=False) as sim:
            sim.run_steps(400)
        data.append([sim.data[p] for p in [net.out, *net.state]])
        if simulator is nbsnn.Simulator:
            assert not sim.python_ops
    for ref, got in zip(*data):
        np.testing.assert_array_equal(got, ref)
    out = data[0][0]
    assert np.any(out != 0) and np.all(np.isfinite(out))
    if TYPES[kind]().spiking:
        assert 0 < np.mean(out > 0) < 0.8  # spikes, and not in every step


def test_lif_spikes_match_hand_euler():
    """NIRLIF is forward Euler with unit spikes (amplitude = dt): checked by hand."""
    dt, tau, r, thr = 0.001, 0.01, 1.0, 1.0
    J = np.full(50, 30.0)
    v, expected = 0.0, []
    for j in J:
        v = v + dt / tau * (-v + r * j)
        expected.append(v > thr)
        v = 0.0 if v > thr else v
    t = neurons.NIRLIF(tau=tau, r=r, v_threshold=thr, amplitude=dt)
    state = t.make_state(1, np.random)
    out, got = np.zeros(1), []
    for j in J:
        t.step(dt, np.array([j]), out, **state)
        got.append(out[0])
    np.testing.assert_array_equal(np.array(got), np.array(expected, dtype=float))


def test_mismatched_parameter_sizes_named():
    t = neurons.NIRLIF(tau=np.ones(3), r=np.ones(2))
    with pytest.raises(ValueError, match="NIRLIF has parameters of sizes"):
        t.params(3)


def test_rates_are_simulated_spike_rates():
    """`rates` (used by Nengo's tuning curves and the dashboard) counts spikes over 1 s."""
    t = neurons.NIRIF(r=np.ones(2), v_threshold=np.ones(2), amplitude=1.0)
    rates = t.rates(np.array([-1.0, 0.0, 10.0, 100.0]), np.ones(2), np.zeros(2))
    assert rates.shape == (4, 2)
    np.testing.assert_array_equal(rates[:2], 0)
    assert 8 <= rates[2, 0] <= 10 and 90 <= rates[3, 1] <= 100  # one spike per 1/J s
