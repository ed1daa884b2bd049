"""Second-edition constructs: neuron transforms, encoders, solvers, labels, library networks."""

import nengo
import numpy as np
import pytest

from nbsnn.dsl import SnnSyntaxError, compile_cell, to_text
from nbsnn.dsl.library import Integrator, Oscillator

from .cells import CONSTRUCTS


def conns(net, post):
    """Connections into ``post`` (an ensemble's neurons compare by their ensemble)."""
    if isinstance(post, nengo.ensemble.Neurons):
        return [c for c in net.all_connections
                if getattr(c.post_obj, "ensemble", None) is post.ensemble]
    return [c for c in net.all_connections if c.post_obj is post]


def test_scalar_and_per_neuron_transforms_broadcast_to_neurons():
    net = compile_cell("g = input 1\na = ensemble 30 LIF\nb = ensemble 4 LIF\n"
                  "h = input passthrough()\n"
                  "g -> a.neurons transform=-2.5\n"
                  "g -> b.neurons transform=[1, 2, 3, 4]\n"
                  "a.neurons -> h transform=0.1\n")
    (to_a,) = conns(net, net.a.neurons)
    assert np.array_equal(to_a.transform.init, np.full((30, 1), -2.5))
    (to_b,) = conns(net, net.b.neurons)
    assert np.array_equal(to_b.transform.init, [[1], [2], [3], [4]])
    (from_a,) = conns(net, net.h)
    assert np.array_equal(from_a.transform.init, np.full((1, 30), 0.1))


def test_inhibit_is_a_negative_transform_onto_neurons():
    net = compile_cell("g = input 1\na = ensemble 30 LIF\narr = 3 x ensemble 10 LIF\n"
                  "g -> a inhibit=2.5\ng -> arr inhibit=2")
    (to_a,) = conns(net, net.a.neurons)
    assert np.array_equal(to_a.transform.init, np.full((30, 1), -2.5))
    (to_arr,) = conns(net, net.arr.neuron_input)
    assert np.array_equal(to_arr.transform.init, np.full((30, 1), -2.0))
    with nengo.Simulator(net, progress_bar=False) as sim:
        sim.run(0.01)


def test_inhibition_silences_an_ensemble():
    net = compile_cell("on = input step(0, 1, at=0.1s)\na = ensemble 30 LIF\n"
                  "drive = input 0.8\ndrive -> a\non -> a inhibit=5\nprobe a spikes", seed=1)
    with nengo.Simulator(net, progress_bar=False) as sim:
        sim.run(0.2)
    spikes = sim.data[net.a_spikes]
    assert spikes[:100].sum() > 0 and spikes[150:].sum() == 0


def test_encoders_solver_label():
    net = compile_cell('a = ensemble 4 LIF dims=2 encoders=[[1, 0], [0, 1], [-1, 0], [0, -1]]\n'
                  'b = ensemble 8 LIF dims=2 encoders=choice([1, 1], [-1, -1]) label="B!"\n'
                  'c = a -> b solver=LstsqL2(weights=True, reg=0.01) label="a to b"\n'
                  'p = probe b label="the probe"')
    assert np.array_equal(net.a.encoders, [[1, 0], [0, 1], [-1, 0], [0, -1]])
    assert net.b.encoders == nengo.dists.Choice([[1, 1], [-1, -1]])
    assert net.b.label == "B!" and net.c.label == "a to b" and net.p.label == "the probe"
    assert net.c.solver.weights and net.c.solver.reg == 0.01
    text = to_text(net)
    assert 'label="B!"' in text and "solver=LstsqL2(weights=True, reg=0.01)" in text


def test_functions_on_array_outputs_match_nengo_add_output():
    cell = "s = input 0.5\narr = 2 x ensemble 50 LIF\nb = ensemble 50 LIF dims=2\n" \
           "s -> arr : [x, -x]\narr -> b : x**2\nprobe b synapse=10ms"
    net = compile_cell(cell, seed=2)
    with nengo.Network(seed=2) as ref:
        s = nengo.Node([0.5])
        arr = nengo.networks.EnsembleArray(50, 2)
        b = nengo.Ensemble(50, 2)
        nengo.Connection(s, arr.input, function=lambda x: [x[0], -x[0]])
        out = arr.add_output("square", np.square)
        nengo.Connection(out, b)
        probe = nengo.Probe(b, synapse=0.01)
    data = []
    for n, p in ((net, net.b_probe), (ref, probe)):
        with nengo.Simulator(n, progress_bar=False) as sim:
            sim.run(0.1)
        data.append(sim.data[p])
    assert np.allclose(data[0], data[1])


def test_library_networks_by_name():
    net = compile_cell("bg = BasalGanglia(dims=3)\nth = Thalamus(3)\nprod = Product(30, 2)\n"
                  "integ = Integrator(100ms, 30, 1)\nosc = Oscillator(100ms, 2Hz, 40)\n"
                  "bg -> th\nprod.output[0] -> integ\nprobe th synapse=10ms")
    assert isinstance(net.bg, nengo.networks.BasalGanglia)
    assert net.bg.input.size_in == 3 and net.prod.input_a.size_in == 2
    assert isinstance(net.integ, Integrator) and isinstance(net.osc, Oscillator)
    (bg_th,) = [c for c in net.connections if c.pre_obj is net.bg.output]
    assert bg_th.post_obj is net.th.input
    assert "integ = Integrator(recurrent_tau=100ms, n_neurons=30, dimensions=1)" in \
        to_text(net)


def test_oscillator_oscillates_at_its_frequency():
    net = compile_cell("kick = input piecewise(0: [1, 0], 100ms: [0, 0])\n"
                  "osc = Oscillator(100ms, 2Hz, 300)\nkick -> osc\nprobe osc synapse=10ms",
                  seed=3)
    with nengo.Simulator(net, progress_bar=False) as sim:
        sim.run(1.0)
    x = sim.data[net.osc_probe][200:, 0]
    crossings = np.sum(np.diff(np.sign(x)) != 0)
    assert 2 <= crossings <= 4  # 2 Hz over 0.8 s: about 3 sign changes


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("bg = BasalGanglia(3)\nbg.inptu -> bg", "has no 'inptu'"),
        ("bg = BasalGangila(3)", "unknown network 'BasalGangila'"),
        ("p = Product(30)", "Product() needs dimensions"),
        ("p = Product(30, 2, dim=2)", "unknown option 'dim'"),
        ("i = Integrator(0.1, 30, 1)", "recurrent_tau needs a unit"),
        ("s = input passthrough()\na = ensemble 5 LIF\ns -> a : x**2",
         "passthrough node and cannot compute 'x**2'"),
        ("a = ensemble 5 LIF\nb = ensemble 5 LIF\na -> b solver=LstqL2()", "unknown solver"),
        ("a = ensemble 5 LIF\nb = ensemble 5 LIF\na -> b solver=LstsqL2(weights=1)",
         "weights is True or False"),
        ("a = ensemble 5 LIF dims=2 encoders=[[1, 0]]", "one 2-D vector per neuron"),
        ("a = ensemble 5 LIF label=A", "a label is quoted text"),
        ("a = ensemble 5 LIF\nb = ensemble 4 LIF\na.neurons -> b.neurons transform=[1, 2]",
         "cannot map 5 value(s) to 4"),
        ("arr = 2 x ensemble 5 LIF\nb = ensemble 5 LIF\narr[0] -> b : x**2", "is indexed"),
        ("g = input 1\na = ensemble 5 LIF\ng -> a inhibit=1 transform=2", "not both"),
    ],
)
def test_construct_errors_are_located(text, fragment):
    with pytest.raises(SnnSyntaxError) as info:
        compile_cell(text)
    assert fragment in info.value.message, str(info.value)
    assert info.value.line >= 1 and info.value.text


def test_constructs_cell_runs():
    net = compile_cell(CONSTRUCTS, seed=0)
    with nengo.Simulator(net, progress_bar=False) as sim:
        sim.run(0.02)
    assert sim.data[net.arr_spikes].shape == (20, 40)
