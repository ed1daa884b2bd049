"""The Nengo examples of docs/snn_language.md give the same outputs as the Nengo code."""

import re
from pathlib import Path

import nengo
import numpy as np
import pytest
from nengo.dists import Choice
from nengo.processes import Piecewise, PresentInput, WhiteSignal

from nbsnn.dsl import compile_cell

DOC = Path(__file__).parents[2] / "docs" / "snn_language.md"
SECTION = DOC.read_text().split("## Nengo examples in `%%snn`")[1].split("\n## ")[0]
CELLS = {m.group(1): m.group(2) for m in re.finditer(
    r"```\n%%snn (\w+) --seed 0\n(.*?)```", SECTION, re.DOTALL)}


def channel():
    sin = nengo.Node(np.sin)
    a = nengo.Ensemble(100, dimensions=1)
    b = nengo.Ensemble(100, dimensions=1)
    nengo.Connection(sin, a)
    nengo.Connection(a, b)
    nengo.Probe(sin)
    nengo.Probe(a, synapse=0.01)
    nengo.Probe(b, synapse=0.01)


def squaring():
    a = nengo.Ensemble(100, dimensions=1)
    b = nengo.Ensemble(100, dimensions=1)
    sin = nengo.Node(np.sin)
    nengo.Connection(sin, a)
    nengo.Connection(a, b, function=lambda x: x[0] * x[0])
    nengo.Probe(a, synapse=0.01)
    nengo.Probe(b, synapse=0.01)


def multiplication():
    a = nengo.Ensemble(100, dimensions=1, radius=10)
    b = nengo.Ensemble(100, dimensions=1, radius=10)
    combined = nengo.Ensemble(220, dimensions=2, radius=15,
                              encoders=Choice([[1, 1], [-1, 1], [1, -1], [-1, -1]]))
    prod = nengo.Ensemble(100, dimensions=1, radius=20)
    input_a = nengo.Node(Piecewise({0: 0, 2.5: 10, 4: -10}))
    input_b = nengo.Node(Piecewise({0: 10, 1.5: 2, 3: 0, 4.5: 2}))
    nengo.Connection(input_a, a)
    nengo.Connection(input_b, b)
    nengo.Connection(a, combined[0])
    nengo.Connection(b, combined[1])
    nengo.Connection(combined, prod, function=lambda x: x[0] * x[1])
    nengo.Probe(prod, synapse=0.01)


def combining():
    a = nengo.Ensemble(100, dimensions=1)
    b = nengo.Ensemble(100, dimensions=1)
    output = nengo.Ensemble(200, dimensions=2)
    sin = nengo.Node(output=np.sin)
    cos = nengo.Node(output=np.cos)
    nengo.Connection(sin, a)
    nengo.Connection(cos, b)
    nengo.Connection(a, output[0])
    nengo.Connection(b, output[1])
    nengo.Probe(output, synapse=0.01)


def integrator():
    tau = 0.1
    a = nengo.Ensemble(100, dimensions=1)
    stim = nengo.Node(Piecewise({0: 0, 0.2: 1, 1: 0, 2: -2, 3: 0, 4: 1, 5: 0}))
    nengo.Connection(a, a, synapse=tau)
    nengo.Connection(stim, a, transform=tau, synapse=tau)
    nengo.Probe(a, synapse=0.01)


def oscillator():
    kick = nengo.Node(Piecewise({0: [1, 0], 0.1: [0, 0]}))
    osc = nengo.Ensemble(200, dimensions=2)
    nengo.Connection(kick, osc)
    nengo.Connection(osc, osc, transform=[[1, 1], [-1, 1]], synapse=0.1)
    nengo.Probe(osc, synapse=0.01)


def controlled():
    tau, w_max = 0.1, 10

    def feedback(x):
        x0, x1, w = x
        w = w * w_max
        return [x0 + w * tau * x1, x1 - w * tau * x0, 0]

    osc = nengo.Ensemble(500, dimensions=3, radius=1.7)
    nengo.Connection(osc, osc, function=feedback, synapse=tau)
    kick = nengo.Node(Piecewise({0: [1, 0], 0.15: [0, 0]}))
    speed = nengo.Node(Piecewise({0: 1, 2: 0.5, 4: 0, 6: -0.5, 8: -1}))
    nengo.Connection(kick, osc[0:2])
    nengo.Connection(speed, osc[2])
    nengo.Probe(osc, synapse=0.01)


def lorenz():
    tau, sigma, beta, rho = 0.1, 10, 8.0 / 3, 28

    def feedback(x):
        dx0 = -sigma * x[0] + sigma * x[1]
        dx1 = -x[0] * x[2] - x[1]
        dx2 = x[0] * x[1] - beta * (x[2] + rho) - rho
        return [dx0 * tau + x[0], dx1 * tau + x[1], dx2 * tau + x[2]]

    x = nengo.Ensemble(2000, dimensions=3, radius=60)
    nengo.Connection(x, x, synapse=tau, function=feedback)
    nengo.Probe(x, synapse=0.01)


def learning():
    inp = nengo.Node(WhiteSignal(60, high=5), size_out=2)
    pre = nengo.Ensemble(60, dimensions=2)
    post = nengo.Ensemble(60, dimensions=2)
    error = nengo.Ensemble(60, dimensions=2)
    nengo.Connection(inp, pre)
    conn = nengo.Connection(pre, post, function=lambda x: [0, 0],
                            learning_rule_type=nengo.PES())
    nengo.Connection(error, conn.learning_rule)
    nengo.Connection(post, error)
    nengo.Connection(pre, error, transform=-1)
    nengo.Probe(pre, synapse=0.01)
    nengo.Probe(post, synapse=0.01)
    nengo.Probe(error, synapse=0.03)


def array():
    stim = nengo.Node(lambda t: [np.sin(2 * np.pi * t), np.cos(2 * np.pi * t)])
    arr = nengo.networks.EnsembleArray(50, 2)
    squares = nengo.Ensemble(100, dimensions=2)
    nengo.Connection(stim, arr.input)
    nengo.Connection(arr.add_output("square", np.square), squares)
    nengo.Probe(arr.output, synapse=0.01)
    nengo.Probe(squares, synapse=0.01)


def selection():
    bg = nengo.networks.BasalGanglia(dimensions=3)
    actions = nengo.Node(PresentInput([[0.8, 0.4, 0.4], [0.4, 0.8, 0.4], [0.4, 0.4, 0.8]],
                                      0.2))
    nengo.Connection(actions, bg.input, synapse=None)
    nengo.Probe(bg.output, synapse=0.01)
    nengo.Probe(actions, synapse=0.01)


def gating():
    n_neurons = 1000
    a = nengo.Ensemble(n_neurons, dimensions=1)
    b = nengo.Ensemble(n_neurons, dimensions=1)
    c = nengo.Ensemble(n_neurons, dimensions=1)
    sin = nengo.Node(np.sin)
    inhib = nengo.Node(Piecewise({0: 0, 2.5: 1, 5: 0, 7.5: 1, 10: 0, 12.5: 1}))
    nengo.Connection(sin, a)
    nengo.Connection(sin, b)
    nengo.Connection(inhib, a.neurons, transform=[[-2.5]] * n_neurons)
    nengo.Connection(inhib, c)
    nengo.Connection(c, b.neurons, transform=[[-2.5]] * n_neurons)
    nengo.Probe(a, synapse=0.01)
    nengo.Probe(b, synapse=0.01)


MIRRORS = {f.__name__: f for f in (channel, squaring, multiplication, combining, integrator,
                                   oscillator, controlled, lorenz, learning, array,
                                   selection, gating)}


def test_every_example_has_a_mirror():
    assert set(CELLS) == set(MIRRORS)


def probe_data(net, duration):
    with nengo.Simulator(net, progress_bar=False) as sim:
        sim.run(duration)
    return [sim.data[p] for p in net.all_probes]


@pytest.mark.parametrize("name", sorted(MIRRORS))
def test_example_gives_the_same_outputs_as_nengo(name):
    cell = compile_cell(CELLS[name], label=name, seed=0)
    with nengo.Network(seed=0) as mirror:
        MIRRORS[name]()
    ours, theirs = probe_data(cell, 0.2), probe_data(mirror, 0.2)
    assert len(ours) == len(theirs) > 0
    for a, b in zip(ours, theirs, strict=True):
        # to float rounding: two builds of the same Nengo network can add the
        # inputs of an ensemble in another order (differences of ~1e-16)
        assert a.shape == b.shape and np.allclose(a, b, rtol=0, atol=1e-12)
        assert np.abs(a).max() > 0
