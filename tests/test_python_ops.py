"""Why an operator runs as Python: `Simulator.python_reasons` and the warning."""

import warnings

import nengo
import numpy as np
import pytest

import nbsnn
from nbsnn.exceptions import PerformanceWarning


GAINS = {"square": 1.0}  # numba cannot compile a function that reads a dict


def test_node_with_input_is_named_with_its_reason():
    with nengo.Network(seed=1) as net:
        stim = nengo.Node(np.sin, label="stim")
        square = nengo.Node(lambda t, x: GAINS["square"] * x * x, size_in=1, label="square")
        nengo.Connection(stim, square, synapse=None)
    with pytest.warns(PerformanceWarning, match=r"Node 'square': the node's function takes input"):
        sim = nbsnn.Simulator(net, progress_bar=False)
    with sim:
        reasons = sim.python_reasons
        assert list(reasons) == sim.python_ops
        by_reason = sorted(reasons.values())
        # the time-only stim runs in step order beside the Python step, and says so
        assert by_reason[0] == (
            "a function of time, run in step order beside other Python steps, and its "
            "function is a ufunc, not a Python function numba can compile")
        assert by_reason[1].startswith(
            "the node's function takes input, and numba could not compile its function: ")
        assert "GAINS" in by_reason[1]


def test_custom_neuron_type_reason():
    class Square(nengo.neurons.RectifiedLinear):
        pass

    with nengo.Network(seed=1) as net:
        nengo.Ensemble(3, 1, neuron_type=Square())
    with pytest.warns(PerformanceWarning, match="no kernel for Square"):
        sim = nbsnn.Simulator(net, progress_bar=False)
    with sim:
        assert list(sim.python_reasons.values()) == ["no kernel for Square"]


def test_compiled_model_warns_nothing():
    with nengo.Network(seed=1) as net:
        stim = nengo.Node(np.sin)
        ens = nengo.Ensemble(10, 1)
        nengo.Connection(stim, ens)
        nengo.Probe(ens, synapse=0.01)
    with warnings.catch_warnings():
        warnings.simplefilter("error", PerformanceWarning)
        with nbsnn.Simulator(net, progress_bar=False) as sim:
            sim.run(0.01)
    assert sim.python_reasons == {}
