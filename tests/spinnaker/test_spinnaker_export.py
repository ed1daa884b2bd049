"""Parameter mapping, input encoding and spike binning of the PyNN export."""

import nengo
import numpy as np
import pytest
from nengo.builder import Model

from nbsnn.spinnaker.decode import bin_spikes
from nbsnn.spinnaker.export import CM, V_REST, V_THRESH, current_unit, export
from nbsnn.spinnaker.inputs import encode_signal


def built(net, dt=0.001):
    model = Model(dt=dt)
    model.build(net)
    return model


def test_lif_parameters_and_weights_follow_nengo_builder():
    with nengo.Network(seed=7) as net:
        a = nengo.Ensemble(30, 2, neuron_type=nengo.LIF(tau_rc=0.03, tau_ref=0.003),
                           max_rates=nengo.dists.Uniform(100, 300), label="a")
        b = nengo.Ensemble(40, 1, radius=2.0, label="b")
        conn = nengo.Connection(a, b, function=lambda x: x[0] * x[1], synapse=0.01)
    model = built(net)
    desc = export(net, 0.1, model=model)
    pa, pb = desc.population("a"), desc.population("b")
    unit_a = (V_THRESH - V_REST) * CM / 30.0
    assert current_unit(0.03) == pytest.approx(unit_a)
    assert pa.parameters["tau_m"] == pytest.approx(30.0)
    assert pa.parameters["tau_refrac"] == pytest.approx(3.0)
    assert np.allclose(pa.parameters["i_offset"], model.params[a].bias * unit_a)
    assert pb.parameters["tau_syn_E"] == pytest.approx(10.0)
    assert pb.parameters["tau_syn_I"] == pytest.approx(10.0)
    v0 = model.sig[a.neurons]["voltage"].initial_value
    assert np.allclose(pa.initial_values["v"], V_REST + v0 * (V_THRESH - V_REST))

    # rebuild the signed matrix from the two projections
    full = np.zeros((30, 40))
    for proj in desc.projections:
        assert (proj.weights > 0).all() == (proj.receptor_type == "excitatory")
        full[proj.pre_index, proj.post_index] += proj.weights
    expected = model.params[b].scaled_encoders @ model.params[conn].weights
    assert np.allclose(full.T, expected * current_unit(0.02) / 0.01)


def test_encode_signal_carries_the_integral():
    dt, n = 0.001, 400
    t = dt * np.arange(1, n + 1)
    signal = np.sin(2 * np.pi * 2 * t)
    trains, quantum = encode_signal(signal, dt, 0.1, n_sources=8, max_rate=400.0)
    assert len(trains) == 16
    assert quantum == pytest.approx(np.max(np.abs(signal)) / (8 * 400.0))
    on = sum(len(x) for x in trains[:8]) * quantum
    off = sum(len(x) for x in trains[8:]) * quantum
    assert on == pytest.approx(np.sum(np.maximum(signal, 0)) * dt, abs=quantum)
    assert off == pytest.approx(np.sum(np.maximum(-signal, 0)) * dt, abs=quantum)
    for train in trains:
        assert np.all(np.diff(train) > 0) and (len(train) == 0 or train[0] > 0.1)
        assert np.allclose(train / 0.1, np.round(train / 0.1))
    # filtered spikes give back the filtered signal
    spikes = bin_spikes(trains, n, dt) * quantum
    value = spikes[:, :8].sum(axis=1) - spikes[:, 8:].sum(axis=1)
    lowpass = nengo.Lowpass(0.02)
    err = lowpass.filt(value[:, None], dt=dt) - lowpass.filt(signal[:, None], dt=dt)
    assert np.sqrt(np.mean(err**2)) < 0.03


def test_bin_spikes_uses_nengo_step_convention():
    out = bin_spikes([[0.5, 1.0, 1.2], [2.9]], n_steps=3, dt=0.001)
    assert np.array_equal(out * 0.001, [[2, 0], [1, 0], [0, 1]])


def signed_matrix(desc, pre, post):
    full = np.zeros((desc.population(pre).size, desc.population(post).size))
    for proj in desc.projections:
        if proj.pre == pre and proj.post == post:
            full[proj.pre_index, proj.post_index] += proj.weights
    return full.T


def test_weight_solver_and_neuron_connections():
    rng = np.random.RandomState(0)
    transform = rng.uniform(-1e-3, 1e-3, size=(15, 12))
    with nengo.Network(seed=4) as net:
        a = nengo.Ensemble(12, 1, label="a")
        b = nengo.Ensemble(15, 1, label="b")
        c = nengo.Ensemble(10, 1, label="c")
        neural = nengo.Connection(a.neurons, b.neurons, transform=transform)
        solved = nengo.Connection(b, c, solver=nengo.solvers.LstsqL2(weights=True))
    model = built(net)
    desc = export(net, 0.05, model=model)
    scale = current_unit(0.02) / 0.005
    gain_b = model.params[b].gain
    assert np.allclose(signed_matrix(desc, "a", "b"), gain_b[:, None] * transform * scale)
    assert model.params[solved].weights.shape == (10, 15)
    assert np.allclose(signed_matrix(desc, "b", "c"), model.params[solved].weights * scale)
    assert neural in {p.source.origin for p in desc.projections}


def test_passthrough_chain_composes_slices_and_transforms():
    with nengo.Network(seed=6) as net:
        a = nengo.Ensemble(20, 2, label="a")
        hub = nengo.Node(size_in=3)
        b = nengo.Ensemble(25, 1, label="b")
        first = nengo.Connection(a, hub[1:], synapse=None)
        nengo.Connection(hub[2], b, transform=-2.0, synapse=0.01)
    model = built(net)
    desc = export(net, 0.05, model=model)
    decoders = model.params[first].weights  # (2, 20): a's value into hub[1:3]
    expected = model.params[b].scaled_encoders @ (-2.0 * decoders[1:2])
    assert np.allclose(signed_matrix(desc, "a", "b"), expected * current_unit(0.02) / 0.01)


def test_input_sources_are_shared_between_routes():
    with nengo.Network(seed=8) as net:
        stim = nengo.Node([0.5, -0.3])
        hub = nengo.Node(size_in=2)
        a = nengo.Ensemble(10, 2, label="a")
        b = nengo.Ensemble(10, 1, label="b")
        nengo.Connection(stim, hub)
        nengo.Connection(hub, a, synapse=None)
        nengo.Connection(hub[1], b, synapse=None)
    desc = export(net, 0.05)
    sources = [p for p in desc.populations if p.cell_type == "SpikeSourceArray"]
    assert len(sources) == 2  # one group per input dimension, not per route
    targets = {(p.pre, p.post) for p in desc.projections}
    assert {(s.label, "a") for s in sources} <= targets
    assert sum((s.label, "b") in targets for s in sources) == 1
