"""`nbsnn.nir.load`: every primitive against the NumPy reference interpreter, on
nbsnn and on nengo.Simulator (which must agree exactly)."""

import dataclasses

import nengo
import nir
import numpy as np
import pytest

import nbsnn
from nbsnn.exceptions import NIRError
from nbsnn.nir import load, run

from nir_reference import Reference

DT = 1e-3
RNG = np.random.RandomState(5)


def _u(*shape, lo=-1.0, hi=1.0):
    return RNG.uniform(lo, hi, size=shape)


def _lif(n, **kw):
    return nir.LIF(tau=_u(n, lo=0.005, hi=0.02), r=_u(n, lo=1, hi=3), v_leak=_u(n, lo=0, hi=0.1),
                   v_threshold=_u(n, lo=0.5, hi=1), v_reset=_u(n, lo=-0.1, hi=0), **kw)


def _chain(*nodes):
    # nir's own type inference flattens (C, H, W) to (C, H * W); PyTorch (and nbsnn)
    # flatten all of a sample's dimensions (start_dim=1 counts the batch)
    return nir.NIRGraph.from_list(*nodes, type_check=False)


GRAPHS = {
    "affine_lif": lambda: _chain(nir.Affine(_u(5, 4) * 40, _u(5) * 20), _lif(5)),
    "linear_if": lambda: _chain(nir.Linear(_u(5, 4) * 40),
                                nir.IF(r=_u(5, lo=50, hi=100), v_threshold=_u(5, lo=0.5, hi=1),
                                       v_reset=np.zeros(5))),
    "scale_li": lambda: _chain(nir.Scale(_u(4) * 3),
                               nir.LI(tau=_u(4, lo=0.005, hi=0.02), r=_u(4, lo=1, hi=2),
                                      v_leak=_u(4))),
    "integrator": lambda: _chain(nir.Affine(_u(3, 4), np.zeros(3)), nir.I(r=_u(3, lo=1, hi=5))),
    "cuba_li": lambda: _chain(nir.Linear(_u(3, 4)), nir.CubaLI(
        tau_syn=_u(3, lo=0.002, hi=0.01), tau_mem=_u(3, lo=0.01, hi=0.03), r=_u(3, lo=1, hi=2),
        v_leak=_u(3), w_in=_u(3, lo=1, hi=2))),
    "cuba_lif": lambda: _chain(nir.Linear(_u(6, 4) * 30), nir.CubaLIF(
        tau_syn=_u(6, lo=0.002, hi=0.01), tau_mem=_u(6, lo=0.01, hi=0.03),
        r=_u(6, lo=1, hi=2), v_leak=_u(6, lo=0, hi=0.1), v_threshold=_u(6, lo=0.5, hi=1),
        v_reset=np.zeros(6), w_in=_u(6, lo=1, hi=2))),
    "threshold": lambda: _chain(nir.Affine(_u(5, 4), _u(5) * 0.1), nir.Threshold(_u(5) * 0.3)),
    "delay": lambda: _chain(nir.Affine(_u(4, 4) * 30, np.zeros(4)), _lif(4),
                            nir.Delay(np.full(4, 3 * DT)), nir.Linear(_u(2, 4) * 30), _lif(2)),
    "conv2d_pool_flatten": lambda: _chain(
        nir.Input(np.array([2, 6, 6])),
        nir.Conv2d(None, _u(3, 2, 3, 3) * 10, stride=1, padding=1, dilation=1, groups=1,
                   bias=_u(3)),
        nir.LIF(tau=np.full((3, 6, 6), 0.01), r=np.ones((3, 6, 6)),
                v_leak=np.zeros((3, 6, 6)), v_threshold=np.ones((3, 6, 6))),
        nir.SumPool2d(np.array([2, 2]), np.array([2, 2]), np.array([0, 0])),
        nir.Conv2d(None, _u(4, 3, 2, 2) * 2, stride=1, padding=0, dilation=1, groups=1,
                   bias=np.zeros(4)),
        nir.AvgPool2d(np.array([2, 2]), np.array([1, 1]), np.array([0, 0])),
        nir.Flatten(input_type=None), nir.Affine(_u(2, 4) * 10, np.full(2, 50.0)), _lif(2)),
    "conv2d_strided_grouped": lambda: _chain(
        nir.Input(np.array([4, 7, 7])),
        nir.Conv2d(None, _u(6, 2, 3, 3) * 10, stride=2, padding=(1, 0), dilation=(1, 2),
                   groups=2, bias=_u(6))),
    "conv2d_same": lambda: _chain(
        nir.Input(np.array([2, 5, 5])),
        nir.Conv2d(None, _u(3, 2, 2, 3), stride=1, padding="same", dilation=1, groups=1,
                   bias=_u(3))),
    "conv1d": lambda: _chain(
        nir.Input(np.array([2, 9])),
        nir.Conv1d(None, _u(3, 2, 3) * 10, stride=2, padding=1, dilation=1, groups=1,
                   bias=_u(3)),
        nir.LIF(tau=np.full((3, 5), 0.01), r=np.ones((3, 5)), v_leak=np.zeros((3, 5)),
                v_threshold=np.ones((3, 5)))),
    "recurrent": lambda: nir.NIRGraph(
        nodes={"input": nir.Input(np.array([4])), "w_in": nir.Linear(_u(5, 4) * 40),
               "lif": _lif(5), "w_rec": nir.Linear(_u(5, 5) * 20),
               "output": nir.Output(np.array([5]))},
        edges=[("input", "w_in"), ("w_in", "lif"), ("lif", "w_rec"), ("w_rec", "lif"),
               ("lif", "output")]),
}


def _inputs(net, steps=120):
    return {name: _u(steps, *net.shapes[name], lo=-0.5, hi=1.5) for name in net.inputs}


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_primitive_matches_reference(name):
    graph = GRAPHS[name]()
    net = load(graph, dt=DT)
    x = _inputs(net)
    got = run(net, x)
    ref = Reference(graph, DT)
    ref.order = list(graph.nodes)
    expected = ref.run(x, net.shapes)
    for key in expected:
        np.testing.assert_allclose(got[key], expected[key], rtol=1e-9, atol=1e-9)
        assert np.any(got[key] != 0)
    nengo_out = run(net, x, simulator=nengo.Simulator)
    for key in got:  # nbsnn's dot products may round differently in the last place
        np.testing.assert_allclose(got[key], nengo_out[key], rtol=1e-12, atol=1e-15)


def test_runs_compiled_without_python_nodes():
    net = load(GRAPHS["conv2d_pool_flatten"](), dt=DT)
    with nbsnn.Simulator(net, dt=DT, progress_bar=False) as sim:
        assert not sim.python_ops  # the input is a function of time: prefetched
    callables = [n for n in net.all_nodes if callable(n.output)]
    assert callables == list(net.inputs.values())
    transforms = {type(c.transform).__name__ for c in net.all_connections}
    assert {"Convolution", "Sparse", "Dense"} <= transforms


def test_nested_graph_matches_flat():
    flat = GRAPHS["recurrent"]()
    sub = nir.NIRGraph(nodes={"input": nir.Input(np.array([5])), "lif": flat.nodes["lif"],
                              "w_rec": flat.nodes["w_rec"],
                              "output": nir.Output(np.array([5]))},
                       edges=[("input", "lif"), ("lif", "w_rec"), ("w_rec", "lif"),
                              ("lif", "output")])
    nested = nir.NIRGraph(
        nodes={"input": nir.Input(np.array([4])), "w_in": flat.nodes["w_in"], "rnn": sub,
               "output": nir.Output(np.array([5]))},
        edges=[("input", "w_in"), ("w_in", "rnn"), ("rnn", "output")])
    a, b = load(flat, dt=DT), load(nested, dt=DT)
    x = _inputs(a)
    np.testing.assert_array_equal(run(a, x)["output"], run(b, x)["output"])
    assert "rnn.lif" in b.layers


def test_file_round_trip_and_batches(tmp_path):
    graph = GRAPHS["affine_lif"]()
    nir.write(tmp_path / "g.nir", graph)
    net = load(str(tmp_path / "g.nir"), dt=DT)
    x = _u(3, 50, 4, lo=0, hi=1)
    batched = run(net, x, n_steps=50)["output"]
    assert batched.shape == (3, 50, 5)
    for i in range(3):
        np.testing.assert_array_equal(batched[i], run(load(graph, dt=DT), x[i])["output"])


# -- bad graphs -------------------------------------------------------------------------

def test_unknown_node_type_named():
    @dataclasses.dataclass(eq=False)
    class Weird(nir.NIRNode):
        size: int

        def __post_init__(self):
            self.input_type = {"input": np.array([2])}
            self.output_type = {"output": np.array([2])}

    g = nir.NIRGraph(nodes={"input": nir.Input(np.array([2])), "odd": Weird(2),
                            "output": nir.Output(np.array([2]))},
                     edges=[("input", "odd"), ("odd", "output")], type_check=False)
    with pytest.raises(NIRError, match="node 'odd' has type Weird"):
        load(g)


def test_shape_mismatch_named():
    g = nir.NIRGraph(nodes={"input": nir.Input(np.array([4])), "aff": nir.Affine(_u(3, 5), _u(3)),
                            "output": nir.Output(np.array([3]))},
                     edges=[("input", "aff"), ("aff", "output")], type_check=False)
    with pytest.raises(NIRError, match="shape mismatch at node 'aff'"):
        load(g)


def test_cycle_without_state_named():
    g = nir.NIRGraph(nodes={"input": nir.Input(np.array([2])), "a": nir.Linear(np.eye(2)),
                            "b": nir.Linear(np.eye(2)), "output": nir.Output(np.array([2]))},
                     edges=[("input", "a"), ("a", "b"), ("b", "a"), ("b", "output")],
                     type_check=False)
    with pytest.raises(NIRError, match="cycle without a neuron or delay: a -> b -> a"):
        load(g)


def test_fractional_delay_named():
    g = _chain(nir.Delay(np.full(2, 1.5 * DT)))
    with pytest.raises(NIRError, match="node 'delay'"):
        load(g, dt=DT)


def test_edge_to_missing_node_named():
    g = nir.NIRGraph(nodes={"input": nir.Input(np.array([2])), "output": nir.Output(np.array([2]))},
                     edges=[("input", "ghost"), ("input", "output")], type_check=False)
    with pytest.raises(NIRError, match="refers to 'ghost'"):
        load(g)


def test_ambiguous_subgraph_edge_named():
    sub = nir.NIRGraph(nodes={"a": nir.Input(np.array([2])), "b": nir.Input(np.array([2])),
                              "o": nir.Output(np.array([2]))},
                       edges=[("a", "o"), ("b", "o")], type_check=False)
    g = nir.NIRGraph(nodes={"input": nir.Input(np.array([2])), "sub": sub,
                            "output": nir.Output(np.array([2]))},
                     edges=[("input", "sub"), ("sub", "output")], type_check=False)
    with pytest.raises(NIRError, match="subgraph 'sub' is ambiguous"):
        load(g)
