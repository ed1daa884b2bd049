"""Compiled Node functions: Nengo's numbers, the fallbacks and their reasons, opt-outs."""

import math
import warnings

import nengo
import numpy as np
import pytest
from numba import njit

import nbsnn
from nbsnn.backend.node_compile import _cache
from nbsnn.exceptions import NonFiniteError, PerformanceWarning

W = np.array([0.5, -1.25, 2.0])
GAIN = 1.5
TABLE = {"gain": 2.0}  # numba cannot read a dict global


def _run(net, probes, steps=200, **kwargs):
    """``(nbsnn data, nengo data, sim)`` of ``probes`` after ``steps`` steps."""
    with nengo.Simulator(net, progress_bar=False) as ref:
        ref.run_steps(steps)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PerformanceWarning)
        sim = nbsnn.Simulator(net, progress_bar=False, **kwargs)
    with sim:
        sim.run_steps(steps)
    return [sim.data[p] for p in probes], [ref.data[p] for p in probes], sim


def _nodes_net(python_step=False):
    """Node functions of many kinds, chained through nodes and synapses; with
    ``python_step``, also a Node that stays Python, so functions of time run in step
    order (compiled) instead of a chunk ahead."""
    offset, scale = 0.25, np.linspace(-1, 1, 3)
    with nengo.Network(seed=3) as net:
        nodes = [
            nengo.Node(lambda t: np.sin(7 * t) + math.cos(3 * t), label="time-only"),
            nengo.Node(lambda t: [np.exp(-t), t * t, 1], label="list"),
            nengo.Node(lambda t: (t, 2.0 * t), label="tuple"),
            nengo.Node(lambda t: t > 0.1, size_out=2, label="bool scalar"),
        ]
        stim = nodes[1]
        nodes += [
            nengo.Node(lambda t, x: x * W + GAIN * offset, size_in=3, label="closure"),
            nengo.Node(lambda t, x: np.tanh(x) * scale + np.log1p(x * x), size_in=3,
                       label="ufuncs"),
            nengo.Node(lambda t, x: x[0] * x[1] - x[2], size_in=3, size_out=2,
                       label="scalar to 2"),
            nengo.Node(lambda t, x: x[:1] * 3.0, size_in=3, size_out=3, label="(1,) to 3"),
            nengo.Node(_loop, size_in=3, label="loop"),
            nengo.Node(njit(lambda t, x: x[::-1] ** 2 - (x + 2.0) ** -1), size_in=3, label="njit"),
            nengo.Node(lambda t, x: int(x[0] > 0.5), size_in=3, label="int"),
        ]
        for node in nodes[4:]:
            nengo.Connection(stim, node, synapse=0.005 if node.label != "loop" else None)
        if python_step:
            nodes.append(nengo.Node(lambda t, x: TABLE["gain"] * x, size_in=1,
                                    label="python"))
            nengo.Connection(stim[0], nodes[-1])
        probes = [nengo.Probe(node) for node in nodes]
    return net, probes


def _loop(t, x):
    out = np.zeros(3)
    for i in range(3):
        out[i] = x[i] * (i + 1) if x[i] > 0.2 else -x[i]
    return out


def _labels(net, fns):
    return {node.label for node in net.all_nodes if node.output in fns}


@pytest.mark.parametrize("python_step", [False, True])
def test_compiled_nodes_give_nengo_numbers_bit_for_bit(python_step):
    net, probes = _nodes_net(python_step)
    ours, ref, sim = _run(net, probes)
    compiled = _labels(net, [node.fn for _, _, node in sim._runner.program.nodes])
    python = _labels(net, [op.fn for op in sim.python_ops])
    with_input = {"closure", "ufuncs", "scalar to 2", "(1,) to 3", "loop", "njit", "int"}
    if python_step:  # time-only functions compiled; those reading arrays stay Python
        assert python == {"python", "closure", "ufuncs"}
        assert compiled == with_input - python | {"time-only", "list", "tuple", "bool scalar"}
    else:  # time-only functions a chunk ahead in Python
        assert python == set() and compiled == with_input
    for probe, a, b in zip(probes, ours, ref):
        assert np.array_equal(a, b), probe.target.label


def test_compiled_nodes_equal_python_nodes_with_ensembles_and_learning():
    """A learned channel with an error Node: compiled and Python nodes agree exactly."""
    with nengo.Network(seed=5) as net:
        stim = nengo.Node(lambda t: np.sin(8 * t))
        pre, post = nengo.Ensemble(60, 1), nengo.Ensemble(60, 1)
        error = nengo.Node(lambda t, x: x[0] - x[1] if t < 0.3 else 0.0, size_in=2)
        nengo.Connection(stim, pre)
        conn = nengo.Connection(pre, post, function=lambda x: 0,
                                learning_rule_type=nengo.PES(learning_rate=1e-3))
        nengo.Connection(post, error[0])
        nengo.Connection(stim, error[1], transform=-1)
        nengo.Connection(error, conn.learning_rule)
        probes = [nengo.Probe(post, synapse=0.01), nengo.Probe(error)]
    compiled, _, sim = _run(net, probes, steps=400)
    assert sim.python_ops == []
    python, ref, sim = _run(net, probes, steps=400, compile_nodes=False)
    assert len(sim.python_ops) == 2
    for a, b, c in zip(compiled, python, ref):
        assert np.array_equal(a, b)
        assert np.allclose(a, c, atol=1e-12, rtol=0)


class _Callable:
    def __call__(self, t):
        return t


@pytest.mark.parametrize("fn, reason", [
    (lambda t, x: TABLE["gain"] * x, "numba could not compile its function: "),
    (lambda t, x: np.sum(x) * np.ones(3), "uses np.sum, whose compiled version rounds"),
    (lambda t, x: x.mean() + x, "uses x.mean()"),
    (lambda t, x: x ** 3, "uses ** on arrays"),
    (lambda t, x: x * x[0] ** 3, "uses ** with an integer exponent"),
    (lambda t, x: np.arctan2(x, 1.0), "uses np.arctan2"),
    (lambda t, x: x + np.random.normal(), "draws random numbers (normal) with numba's own"),
    (lambda t, x: (x, x), "returns UniTuple(array(float64, 1d, C) x 2)"),
])
def test_functions_that_stay_python_say_why(fn, reason):
    with nengo.Network(seed=1) as net:
        stim = nengo.Node([0.3, -0.2, 0.7])
        node = nengo.Node(lambda t, x: x, size_in=3, label="f")
        node.output = fn  # size_out stays 3
        nengo.Connection(stim, node, synapse=None)
        probe = nengo.Probe(node)
    with pytest.warns(PerformanceWarning, match="Node 'f'"):
        sim = nbsnn.Simulator(net, progress_bar=False)
    with sim:
        (why,) = sim.python_reasons.values()
        assert why.startswith("the node's function takes input, and ")
        assert reason in why
        if "UniTuple" not in reason and "random" not in reason:  # Nengo refuses a tuple
            sim.run_steps(20)
            with nengo.Simulator(net, progress_bar=False) as ref:
                ref.run_steps(20)
            assert np.array_equal(sim.data[probe], ref.data[probe])


def test_objects_and_side_effect_nodes_stay_python():
    seen = []
    with nengo.Network(seed=1) as net:
        nengo.Node(_Callable(), label="object")
        sink = nengo.Node(lambda t, x: seen.append(t), size_in=1, label="sink")
        nengo.Connection(nengo.Node(1.0), sink)
    with pytest.warns(PerformanceWarning):
        sim = nbsnn.Simulator(net, progress_bar=False)
    with sim:
        sim.run_steps(3)
        reasons = sorted(sim.python_reasons.values())
    assert seen[-3:] == pytest.approx([0.001, 0.002, 0.003])  # after Nengo's check at t=0
    assert reasons == [
        "a function of time, run in step order beside other Python steps, and its "
        "function is a _Callable, not a Python function numba can compile",
        "the node has no output (its function runs for side effects)",
    ]


def _two_nodes(opt_out=None):
    with nengo.Network(seed=1) as net:
        a = nengo.Node(lambda t: t * 2.0, label="a")
        b = nengo.Node(lambda t, x: x + 1.0, size_in=1, label="b")
        nengo.Connection(a, b, synapse=None)
        if opt_out is not None:
            nbsnn.add_params(net)
            if opt_out == "class":
                net.config[nengo.Node].compile = False
            else:
                net.config[b].compile = False
    return net


def test_global_opt_out():
    with pytest.warns(PerformanceWarning):
        sim = nbsnn.Simulator(_two_nodes(), progress_bar=False, compile_nodes=False)
    with sim:
        assert set(sim.python_reasons.values()) == {
            "a function of time, run in step order beside other Python steps, and Node "
            "functions are not compiled (compile_nodes=False)",
            "the node's function takes input, and Node functions are not compiled "
            "(compile_nodes=False)"}


def test_per_node_opt_out_through_config():
    with pytest.warns(PerformanceWarning, match="Node 'b'.*compile parameter is False"):
        sim = nbsnn.Simulator(_two_nodes("node"), progress_bar=False)
    with sim:
        (op,) = sim.python_ops  # 'b'; 'a' stays compiled, in step order
        assert op.x is not None
    with pytest.warns(PerformanceWarning):
        sim = nbsnn.Simulator(_two_nodes("class"), progress_bar=False)
    with sim:
        assert all("compile parameter is False" in why for why in sim.python_reasons.values())
    with nbsnn.Simulator(_two_nodes(), progress_bar=False) as sim:
        assert sim.python_ops == []


def test_changed_globals_and_closure_arrays_are_seen_between_runs():
    global GAIN
    weights = np.array([1.0, 2.0, 3.0])
    with nengo.Network(seed=1) as net:
        node = nengo.Node(lambda t, x: weights * GAIN + x, size_in=1)
        nengo.Connection(nengo.Node(lambda t: t), node, synapse=None)
        probe = nengo.Probe(node)
    with nbsnn.Simulator(net, progress_bar=False) as sim:
        assert sim.python_ops == [] and len(sim._runner.program.nodes) == 1
        sim.run_steps(5)
        GAIN, old = 4.0, GAIN
        try:
            sim.run_steps(5)
        finally:
            GAIN = old
        weights[1] = -7.0
        sim.run_steps(5)
    data = sim.data[probe]
    t = sim.trange()[:, None]
    assert np.array_equal(data[:5], np.array([1.0, 2.0, 3.0]) * 1.5 + t[:5])
    assert np.array_equal(data[5:10], np.array([1.0, 2.0, 3.0]) * 4.0 + t[5:10])
    assert np.array_equal(data[10:], np.array([1.0, -7.0, 3.0]) * 1.5 + t[10:])


def test_arrays_read_beside_python_steps_stay_python():
    state = np.zeros(1)

    def record(t, x):
        state[0] = x[0]  # a Python step changing an array another node reads
        return TABLE["gain"] * x

    with nengo.Network(seed=1) as net:
        writer = nengo.Node(record, size_in=1, label="writer")
        reader = nengo.Node(lambda t: state * 1.0, label="reader")
        nengo.Connection(nengo.Node(lambda t: t), writer, synapse=None)
        probe = nengo.Probe(reader)
    with pytest.warns(PerformanceWarning):
        sim = nbsnn.Simulator(net, progress_bar=False)
    with sim:
        reasons = {str(op.fn.__name__): why for op, why in sim.python_reasons.items()}
        sim.run_steps(10)
    assert "reads the array(s) state, which Python steps" in reasons["<lambda>"] or any(
        "reads the array(s) state" in why for why in reasons.values())
    state[0] = 0.0
    with nengo.Simulator(net, progress_bar=False) as ref:
        ref.run_steps(10)
    assert np.array_equal(sim.data[probe], ref.data[probe])


def test_errors_and_numpy_semantics_are_nengos():
    with warnings.catch_warnings(), nengo.Network(seed=1) as net:
        warnings.simplefilter("ignore", RuntimeWarning)  # NumPy's division by zero
        stim = nengo.Node(lambda t: [t, 0.0])
        # numba raises ZeroDivisionError where NumPy gives inf: the step reruns in Python
        div = nengo.Node(lambda t, x: min(x[0] / x[1], 1.0), size_in=2, label="div")
        nengo.Connection(stim, div, synapse=None)
        probe = nengo.Probe(div)
        (ours,), (ref,), sim = _run(net, [probe], steps=10)
    assert sim.python_ops == [] and np.array_equal(ours, ref)

    with nengo.Network(seed=1) as net:
        bad = nengo.Node(lambda t, x: np.array([1.0, 2.0])[int(x[0] > 0.0055) * 5],
                         size_in=1, label="bad")
        nengo.Connection(nengo.Node(lambda t: t), bad, synapse=None)
        nengo.Probe(bad)
    with nbsnn.Simulator(net, progress_bar=False) as sim:
        assert sim.python_ops == [] and len(sim._runner.program.nodes) == 1
        with pytest.raises(IndexError):
            sim.run_steps(10)
        assert sim.n_steps == 5 and len(sim.trange()) == 5

    with nengo.Network(seed=1) as net:
        nan = nengo.Node(lambda t, x: np.nan if x[0] > 0.0035 else x[0], size_in=1,
                         label="nan")
        nengo.Connection(nengo.Node(lambda t: t), nan, synapse=None)
        probe = nengo.Probe(nan)
    with nbsnn.Simulator(net, progress_bar=False) as sim:
        assert len(sim._runner.program.nodes) == 1
        with pytest.raises(NonFiniteError, match="Node 'nan' returned a non-finite value"):
            sim.run_steps(10)
        assert sim.n_steps == 3 and len(sim.data[probe]) == 3


def test_rebuilds_reuse_compiled_functions_and_runs_repeat():
    net, probes = _nodes_net()
    _cache.clear()
    with nbsnn.Simulator(net, progress_bar=False) as sim:
        first = sum(node.compile_seconds for _, _, node in sim._runner.program.nodes)
        sim.run_steps(50)
        once = [sim.data[p].copy() for p in probes]
        sim.reset()
        sim.run_steps(50)
        assert all(np.array_equal(a, sim.data[p]) for a, p in zip(once, probes))
    with nbsnn.Simulator(net, progress_bar=False) as sim:
        again = sum(node.compile_seconds for _, _, node in sim._runner.program.nodes)
    assert first > 0 and again == 0


def test_a_function_that_no_longer_compiles_runs_in_python():
    global GAIN
    with nengo.Network(seed=1) as net:
        node = nengo.Node(lambda t, x: x * GAIN, size_in=1, label="scaled")
        nengo.Connection(nengo.Node(lambda t: t), node, synapse=None)
        probe = nengo.Probe(node)
    with nbsnn.Simulator(net, progress_bar=False) as sim:
        sim.run_steps(3)
        GAIN, old = [2.0], GAIN  # a list global: numba cannot compile the function now
        try:
            with pytest.warns(PerformanceWarning, match="'scaled' runs as Python from now on"):
                sim.run_steps(3)
        finally:
            GAIN = old
        assert "after a captured value changed" in sim.python_reasons[sim.python_ops[0]]
    t = sim.trange()
    assert np.array_equal(sim.data[probe][:, 0], t * np.repeat([1.5, 2.0], 3))
