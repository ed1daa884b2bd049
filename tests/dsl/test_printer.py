"""Printing networks back as cell text, and compiling that text again."""

import re

import nengo
import numpy as np
import pytest

from nbsnn.dsl import compile_cell, to_text
from nbsnn.exceptions import UnsupportedError
from nbsnn.simulator import Simulator

from .cells import CHANNEL, CONSTRUCTS, EVERYTHING, INTEGRATOR, ISSUE_EXAMPLE, SQUARING


def structure(net):
    """Everything that defines a network, as comparable plain data."""
    rows = []
    for ens in net.all_ensembles:
        rows.append(("ens", ens.label, ens.n_neurons, ens.dimensions,
                     repr(ens.neuron_type), repr(ens.max_rates), repr(ens.intercepts),
                     ens.radius, ens.seed))
    for node in net.all_nodes:
        rows.append(("node", node.label, node.size_in, node.size_out,
                     type(node.output).__name__))
    for conn in net.all_connections:
        rows.append(("conn", str(conn.pre), str(conn.post), repr(conn.synapse),
                     repr(conn.transform), getattr(conn.function, "source", None),
                     repr(conn.learning_rule_type)))
    for probe in net.all_probes:
        rows.append(("probe", probe.label, str(probe.target), probe.attr,
                     repr(probe.synapse), probe.sample_every))
    return sorted(re.sub(r" at 0x[0-9a-f]+", "", str(row)) for row in rows)


@pytest.mark.parametrize("cell", [ISSUE_EXAMPLE, CHANNEL, SQUARING, INTEGRATOR, EVERYTHING,
                                  CONSTRUCTS])
def test_round_trip_preserves_the_network(cell):
    net = compile_cell(cell, label="n", seed=0)
    text = to_text(net)
    again = compile_cell(text, label="n", seed=0)
    assert structure(again) == structure(net)
    assert to_text(again) == text


def test_printed_text_is_readable():
    text = to_text(compile_cell(ISSUE_EXAMPLE))
    assert text.splitlines() == [
        "stim = input step(-1, 0.5, every=500ms)",
        "a = ensemble 150 LIF rates=40..60",
        "b = ensemble 100 LIF rates=40..60",
        "stim -> a",
        "a -> b : x**2",
        "b -> b synapse=100ms",
        "probe b synapse=10ms",
    ]


def test_round_trip_simulates_identically():
    net = compile_cell(ISSUE_EXAMPLE, seed=3)
    again = compile_cell(to_text(net), seed=3)
    results = []
    for n in (net, again):
        with Simulator(n, progress_bar=False) as sim:
            sim.run(0.2)
        results.append(sim.data[n.b_probe])
    assert np.array_equal(results[0], results[1])


def test_networks_pickle_for_parallel_runs():
    import pickle
    import warnings

    net = compile_cell(EVERYTHING, seed=1)
    with warnings.catch_warnings():  # Nengo warns about passthrough nodes it unpickles
        warnings.filterwarnings("ignore", "'Node.size_out' is being overwritten")
        copy = pickle.loads(pickle.dumps(net))
    assert to_text(copy) == to_text(net)
    assert np.isclose(copy.wave.output(0.25), 1.1)


def test_prints_plain_nengo_networks_it_can_express():
    with nengo.Network(seed=1) as net:
        a = nengo.Ensemble(30, 2, label="a")
        nengo.Ensemble(20, 1)
        nengo.Probe(a, synapse=0.01)
    text = to_text(net)
    assert "a = ensemble 30 LIF dims=2" in text
    assert "ensemble1 = ensemble 20 LIF" in text
    assert "probe a synapse=10ms" in text
    compile_cell(text)


def test_python_functions_are_reported_not_guessed():
    with nengo.Network() as net:
        a = nengo.Ensemble(10, 1, label="a")
        nengo.Connection(a, a, function=lambda x: x ** 3)
    with pytest.raises(UnsupportedError, match="Python code"):
        to_text(net)
    with nengo.Network() as net:
        nengo.Node(lambda t: t, label="clock")
    with pytest.raises(UnsupportedError, match="clock"):
        to_text(net)
