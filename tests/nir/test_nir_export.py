"""`nbsnn.nir.export`: exact round trips nbsnn -> NIR -> nbsnn, and refusals."""

import nengo
import nir
import numpy as np
import pytest
from test_nir_load import DT, GRAPHS, _inputs

from nbsnn.exceptions import NIRError
from nbsnn.nir import export, load, run
from nbsnn.nir.export import ApproximationWarning

RNG = np.random.RandomState(9)


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_round_trip_same_spikes(name, tmp_path):
    net = load(GRAPHS[name](), dt=DT)
    graph = export(net, dt=DT)
    nir.write(tmp_path / "g.nir", graph)
    again = load(str(tmp_path / "g.nir"))  # dt from the graph's metadata
    assert again.dt == DT
    x = _inputs(net)
    a = run(net, x)
    b = run(again, {k: v for k, v in x.items()})
    assert sorted(a) == sorted(b)
    for key in a:
        np.testing.assert_allclose(b[key], a[key], rtol=1e-12, atol=1e-12)
        if np.isin(a[key], (0.0, 1.0)).all():  # spikes: identical
            np.testing.assert_array_equal(b[key], a[key])


def _nengo_net(neuron_type, synapse=0.005):
    with nengo.Network(seed=3) as net:
        stim = nengo.Node(lambda t: [np.sin(20 * t), np.cos(15 * t)], label="stim")
        a = nengo.Ensemble(20, 2, neuron_type=neuron_type, label="a")
        b = nengo.Ensemble(10, 1, neuron_type=neuron_type, label="b")
        nengo.Connection(stim, a, synapse=None)
        nengo.Connection(a.neurons, b.neurons, transform=RNG.uniform(-0.002, 0.004, (10, 20)),
                         synapse=synapse)
        out = nengo.Node(size_in=10, label="out")
        nengo.Connection(b.neurons, out, synapse=None)
        nengo.Probe(out)
    return net


def test_lowpass_and_bias_exported_exactly():
    from nbsnn.nir import NIRLIF

    net = _nengo_net(NIRLIF(tau=0.02, r=1.0, v_threshold=1.0, amplitude=DT))
    for ens in net.all_ensembles:  # gains folded into weights, biases into Affines
        ens.gain = RNG.uniform(0.5, 2, ens.n_neurons)
        ens.bias = RNG.uniform(0, 2, ens.n_neurons)
    graph = export(net, dt=DT)
    kinds = {type(v).__name__ for v in graph.nodes.values()}
    assert {"Input", "LIF", "LI", "Delay", "Affine", "Output"} <= kinds
    with nengo.Simulator(net, dt=DT, progress_bar=False) as sim:
        sim.run_steps(300)
    ref = sim.data[net.probes[0]]
    again = load(graph)
    stim = np.array([[np.sin(20 * t), np.cos(15 * t)] for t in DT * np.arange(1, 301)])
    got = run(again, stim)
    (key,) = got
    assert ref.any()
    np.testing.assert_allclose(got[key], ref, atol=1e-9)


def test_nengo_lif_needs_approximate():
    net = _nengo_net(nengo.LIF())
    with pytest.raises(NIRError, match="approximately.*approximate=True"):
        export(net, dt=DT)
    with pytest.warns(ApproximationWarning, match="refractory"):
        graph = export(net, dt=DT, approximate=True)
    assert sum(type(v).__name__ == "LIF" for v in graph.nodes.values()) == 2


def test_refusals_name_the_object():
    with nengo.Network() as net:
        stim = nengo.Node([0.5], label="c")
        f = nengo.Node(lambda t, x: x ** 2, size_in=1, label="square")
        nengo.Connection(stim, f)
    with pytest.raises(NIRError, match="square.*Python function"):
        export(net)
    with nengo.Network() as net:
        stim = nengo.Node(lambda t: t)
        a = nengo.Ensemble(5, 1, neuron_type=nengo.Izhikevich(), label="izh")
        nengo.Connection(stim, a)
    with pytest.raises(NIRError, match="izh.*Izhikevich"):
        export(net)
    with nengo.Network() as net:
        stim = nengo.Node(lambda t: t)
        a = nengo.Ensemble(5, 1, neuron_type=nengo.RectifiedLinear())
        b = nengo.Ensemble(5, 1, neuron_type=nengo.RectifiedLinear())
        nengo.Connection(stim, a)
        nengo.Connection(a, b, learning_rule_type=nengo.PES())
    with pytest.raises(NIRError, match="learning rule"), pytest.warns(ApproximationWarning):
        export(net, approximate=True)
    with nengo.Network() as net:
        stim = nengo.Node(lambda t: t)
        out = nengo.Node(size_in=1)
        nengo.Connection(stim, out, synapse=nengo.Alpha(0.01))
    with pytest.raises(NIRError, match="Alpha"):
        export(net)


@pytest.mark.parametrize("kind", ["dense", "cnn"])
def test_keras_converter_exported_exactly(kind):
    keras = pytest.importorskip("keras")
    from nbsnn import Converter
    from nbsnn.nir import NIRIF

    keras.utils.set_random_seed(0)
    if kind == "dense":
        inp = keras.Input((6,))
        h = keras.layers.Dense(8, activation="relu", bias_initializer="ones")(inp)
    else:  # channels-last convolutions become Linear nodes in Nengo's element order
        inp = keras.Input((5, 5, 2))
        h = keras.layers.Conv2D(3, 3, activation="relu", bias_initializer="ones")(inp)
        h = keras.layers.Flatten()(keras.layers.Conv2D(2, 2, strides=2, padding="valid",
                                                       activation="relu",
                                                       bias_initializer="ones")(h))
    model = keras.Model(inp, keras.layers.Dense(3, bias_initializer="ones")(h))
    conv = Converter(model, swap_activations={"relu": NIRIF(r=1.0, v_threshold=1.0)},
                     scale_firing_rates=50)
    graph = export(conv, dt=DT)
    assert {"Input", "IF", "Linear", "Affine", "Output"} <= {
        type(v).__name__ for v in graph.nodes.values()}
    x = RNG.uniform(0, 1, int(np.prod(inp.shape[1:])))
    (node,) = conv.inputs.values()
    node.output = x
    (probe,) = conv.outputs.values()
    with nengo.Simulator(conv.net, dt=DT, progress_bar=False) as sim:
        sim.run_steps(200)
    got = run(load(graph), np.tile(x, (200, 1)))
    (key,) = got
    assert np.ptp(sim.data[probe]) > 0
    np.testing.assert_allclose(got[key], sim.data[probe], rtol=1e-9, atol=1e-9)
    with pytest.warns(ApproximationWarning, match="SpikingRectifiedLinear"):
        export(Converter(model, swap_activations={"relu": nengo.SpikingRectifiedLinear()}),
               approximate=True)
