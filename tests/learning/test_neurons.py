"""AdaptiveThresholdLIF: compiled kernel equals Nengo's step; thresholds adapt."""

import nengo
import numpy as np

import nbsnn
from nbsnn.learning import AdaptiveThresholdLIF, lateral_inhibition


def _net(neuron_type):
    with nengo.Network(seed=3) as net:
        stim = nengo.Node(lambda t: 0.8 + np.sin(12 * t))
        ens = nengo.Ensemble(60, 1, neuron_type=neuron_type)
        nengo.Connection(stim, ens, synapse=None)
        probes = [nengo.Probe(ens.neurons)] + [
            nengo.Probe(ens.neurons, name) for name in neuron_type.state]
    return net, probes


def test_kernel_equals_reference_exactly():
    net, probes = _net(AdaptiveThresholdLIF(tau_ref=0.0025, inc_theta=0.2, tau_theta=0.05,
                                            min_voltage=-0.5))
    with nengo.Simulator(net, progress_bar=False) as ref:
        ref.run(0.4)
    with nbsnn.Simulator(net, progress_bar=False) as sim:
        sim.run(0.4)
    assert sim.python_ops == []
    assert ref.data[probes[0]].sum() > 0 and ref.data[probes[3]].max() > 0.2
    for probe in probes:
        np.testing.assert_array_equal(sim.data[probe], ref.data[probe], err_msg=str(probe))


def test_threshold_rises_with_spikes_and_slows_firing():
    with nengo.Network(seed=0) as net:
        ens = nengo.Ensemble(1, 1, gain=[1], bias=[3.0], neuron_type=AdaptiveThresholdLIF(
            inc_theta=0.1, tau_theta=100.0, initial_state={"voltage": nengo.dists.Choice([0])}))
        spikes, theta = nengo.Probe(ens.neurons), nengo.Probe(ens.neurons, "theta")
    with nbsnn.Simulator(net, progress_bar=False) as sim:
        sim.run(1.0)
    times = np.flatnonzero(sim.data[spikes][:, 0])
    isi = np.diff(times)
    assert isi[-1] > 2 * isi[0]
    np.testing.assert_allclose(sim.data[theta][-1, 0], 0.1 * times.size, rtol=0.01)


def test_lateral_inhibition_connects_all_but_self():
    with nengo.Network():
        ens = nengo.Ensemble(4, 1)
        conn = lateral_inhibition(ens, 0.5)
    w = conn.transform.init
    np.testing.assert_array_equal(np.diag(w), 0)
    assert (w[~np.eye(4, dtype=bool)] == -0.5).all()


def test_snn_cells_use_the_adaptive_threshold_neurons():
    from nbsnn.dsl import compile_cell

    net = compile_cell(
        "stim = input sin(2*pi*t)\n"
        "a = ensemble 20 AdaptiveThresholdLIF(inc_theta=0.1, tau_theta=50ms)\n"
        "stim -> a\n"
        "probe a spikes\n")
    assert net.a.neuron_type == AdaptiveThresholdLIF(inc_theta=0.1, tau_theta=0.05)
    with nbsnn.Simulator(net, progress_bar=False) as sim:
        sim.run(0.1)
    assert sim.python_ops == []
