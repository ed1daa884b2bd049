"""`load`: a NIR graph as a `nengo.Network` of neuron-space connections.

Each neuron node becomes an `~nengo.Ensemble` of a `nbsnn.nir.neurons` type (gain 1,
bias 0, driven through ``.neurons``); each stateless node (Affine, Linear, Scale,
Flatten, Conv, pooling) a connection with a `~nengo.Dense`, `~nengo.Sparse` or
`~nengo.Convolution` transform between passthrough nodes (no Python functions),
its bias a constant node; each Delay (and each recurrent edge) a connection with a
discrete-time delay synapse ``z^-k``. All other edges are instantaneous
(``synapse=None``): a graph is evaluated once per step from its inputs to its
outputs, as snnTorch and Norse do.
"""

from __future__ import annotations

import os

import nengo
import numpy as np

from ..exceptions import NIRError
from . import primitives

__all__ = ["load", "run", "read"]

#: The node types this loader translates (besides nested NIRGraphs).
SUPPORTED = ("Input", "Output", "Delay", *primitives.TRANSFORMS, *primitives.NEURONS)


def read(graph):
    """A ``nir.NIRGraph`` from a graph (returned as it is) or a ``.nir`` file path.

    Files are read without nir's type check: it rejects graphs that frameworks write
    (inputs with a batch dimension, grouped convolutions), and `load` checks sizes
    itself."""
    import nir

    if isinstance(graph, (str, os.PathLike)):
        return nir.read(graph, type_check=False)
    if not isinstance(graph, nir.NIRGraph):
        raise NIRError(f"expected a nir.NIRGraph or a .nir file, got {type(graph).__name__}")
    return graph


def _flatten(graph, prefix=""):
    """Nodes (name -> node) and edges of a graph with its subgraphs inlined: a
    subgraph ``s``'s nodes become ``s.name``, its Input/Output nodes identities."""
    import nir

    nodes, edges, ends = {}, [], {}
    for name, node in graph.nodes.items():
        full = prefix + name
        if isinstance(node, nir.NIRGraph):
            sub_nodes, sub_edges = _flatten(node, full + ".")
            ins = [n for n, v in node.nodes.items() if isinstance(v, nir.Input)]
            outs = [n for n, v in node.nodes.items() if isinstance(v, nir.Output)]
            ends[full] = (ins, outs)
            for sub, sub_node in sub_nodes.items():
                nodes[sub] = ("identity", sub_node) if (
                    sub[len(full) + 1:] in ins + outs) else sub_node
            edges.extend(sub_edges)
        else:
            nodes[full] = node
    for src, dst in graph.edges:
        edges.append((_end(prefix, src, ends, 1), _end(prefix, dst, ends, 0)))
    return nodes, edges


def _end(prefix, name, ends, which):
    """The flat name of an edge end; a subgraph stands for its only Input/Output."""
    full = prefix + name
    if full in ends:
        options = ends[full][which]
        if len(options) != 1:
            kind = ("Output", "Input")[which == 0]
            raise NIRError(f"edge to subgraph {full!r} is ambiguous: it has {len(options)} "
                           f"{kind} nodes ({options}); name one as '{name}.NODE'")
        return f"{full}.{options[0]}"
    return full


def _kind(node):
    return "identity" if isinstance(node, tuple) else type(node).__name__


def _check(nodes, edges):
    for name, node in nodes.items():
        if _kind(node) not in SUPPORTED and _kind(node) != "identity":
            raise NIRError(f"node {name!r} has type {_kind(node)}, which nbsnn cannot load; "
                           f"supported: {', '.join(SUPPORTED)}")
    for src, dst in edges:
        for end in (src, dst):
            if end not in nodes:
                raise NIRError(f"edge ({src!r}, {dst!r}) refers to {end!r}, which is not a "
                               f"node of the graph")


def _back_edges(nodes, edges, roots):
    """Edges that close a cycle (depth first from the roots, in edge order), and those
    to delay one step: a cycle through a Delay node needs none, one through a neuron
    node is delayed at its output (as snnTorch's and Norse's recurrent layers are), any
    other is an error."""
    succ = {name: [] for name in nodes}
    for src, dst in edges:
        succ[src].append(dst)
    state, back, delayed, stack = {}, set(), set(), []

    def visit(name):
        state[name] = "open"
        stack.append(name)
        for nxt in succ[name]:
            if state.get(nxt) == "open":
                cycle = stack[stack.index(nxt):]
                kinds = {_kind(nodes[n]) for n in cycle}
                back.add((name, nxt))
                if "Delay" in kinds:
                    continue
                if not kinds & set(primitives.NEURONS):
                    raise NIRError(f"cycle without a neuron or delay: "
                                   f"{' -> '.join(cycle + [nxt])}; node {nxt!r} would "
                                   f"depend on itself within one step")
                # delay the spikes leaving the cycle's last neuron node (so that a
                # recurrent Affine's bias still arrives in the first step)
                path = cycle + [nxt]
                last = max(i for i, n in enumerate(cycle) if _kind(nodes[n]) in
                           primitives.NEURONS)
                delayed.add((path[last], path[last + 1]))
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[name] = "done"

    for root in list(roots) + list(nodes):
        if root not in state:
            visit(root)
    return back, delayed


def _order(nodes, edges):
    """Nodes in dependency order (edges must form a DAG)."""
    preds = {name: [] for name in nodes}
    for src, dst in edges:
        preds[dst].append(src)
    order, done = [], set()

    def visit(name):
        if name in done:
            return
        done.add(name)
        for p in preds[name]:
            visit(p)
        order.append(name)

    for name in nodes:
        visit(name)
    return order, preds


def _declared_shape(node):
    kind = _kind(node)
    if kind == "identity":
        return None
    if kind in primitives.NEURONS:
        shape = primitives.param_shape(node)
        return shape if len(shape) and np.prod(shape) > 1 else None
    if kind == "Input":
        return tuple(int(s) for s in np.ravel(node.input_type["input"]))
    if kind == "Delay":
        return np.shape(node.delay) or None
    return None


def _input_shape(name, node, preds, shapes):
    """The shape a node receives, checked against what it declares."""
    declared = _declared_shape(node)
    got = None
    for p in preds:
        shape = shapes[p]
        if got is None:
            got = shape
        elif int(np.prod(shape)) != int(np.prod(got)):
            raise NIRError(f"shape mismatch at node {name!r} ({_kind(node)}): it receives "
                           f"{tuple(got)} from {preds[0]!r} but {tuple(shape)} from {p!r}")
    if got is None:
        if declared is None:
            raise NIRError(f"node {name!r} ({_kind(node)}) has no input and no declared "
                           f"input shape")
        return tuple(declared)
    if declared is not None and int(np.prod(declared)) != int(np.prod(got)):
        raise NIRError(f"shape mismatch at node {name!r} ({_kind(node)}): it takes "
                       f"{tuple(declared)} but receives {tuple(got)}")
    return tuple(declared) if declared is not None else tuple(got)


def _delay_steps(delay, dt, name):
    steps = np.asarray(delay, dtype=float).ravel() / dt
    k = np.round(steps)
    if np.any(np.abs(steps - k) > 1e-6 * np.maximum(1, k)) or np.any(k < 1) or np.ptp(k):
        raise NIRError(f"node {name!r} (Delay): delays {np.unique(steps * dt)} s must be "
                       f"one whole number (>= 1) of time steps of dt={dt}")
    return int(k[0])


def delay_synapse(steps):
    """A discrete-time synapse that delays its input by ``steps`` steps (z^-steps)."""
    return nengo.LinearFilter([1], [1] + [0] * steps, analog=False)


class _Feed:
    """Output function of an input node: row ``step - 1`` of ``data`` (zeros
    without data, the last row after its end)."""

    def __init__(self, size, dt):
        self.data, self.size, self.dt = None, size, dt

    def __call__(self, t):
        if self.data is None:
            return np.zeros(self.size)
        step = int(round(t / self.dt)) - 1
        return self.data[min(step, len(self.data) - 1)]


def load(graph, dt=None, label=None, amplitude=None):
    """Translate a NIR graph into a `nengo.Network` that runs on `nbsnn.Simulator`.

    Parameters
    ----------
    graph : nir.NIRGraph or str or path
        The graph, or a ``.nir`` file.
    dt : float, optional
        The time step the network is meant to run at (seconds). NIR is
        continuous-time, but frameworks bake their own step into its parameters
        (snnTorch writes ``r = tau / 1e-4``), so use theirs. Default: the graph's
        ``metadata["dt"]`` (which `nbsnn.nir.export` writes), else 1e-4.
    label : str, optional
        Label of the network.
    amplitude : float, optional
        What a spike is worth: neuron outputs are ``amplitude / dt`` per spike.
        Default ``dt`` (unit spikes, as NIR frameworks count them).

    Returns
    -------
    nengo.Network
        With attributes ``inputs`` (NIR Input name -> `nengo.Node` whose data
        `run` sets), ``outputs`` (Output name -> `nengo.Probe`), ``layers`` (node
        name -> the Ensemble or Node holding its output), ``shapes`` (node name ->
        output shape), ``dt``, ``graph``, and ``nir_nodes`` (the connections made
        from convolution and pooling nodes -> (node, input shape, output shape), and
        their bias connections -> None, which `nbsnn.nir.export` writes back as
        they were).
    """
    graph = read(graph)
    import nir

    if dt is None:
        dt = float(np.ravel(graph.metadata.get("dt", 1e-4))[0])

    nodes, edges = _flatten(graph)
    _check(nodes, edges)
    inputs = [n for n, v in graph.nodes.items() if isinstance(v, nir.Input)]
    outputs = [n for n, v in graph.nodes.items() if isinstance(v, nir.Output)]
    back, delayed = _back_edges(nodes, edges, inputs)
    order, preds = _order(nodes, [e for e in edges if e not in back])
    amplitude = dt if amplitude is None else amplitude

    net = nengo.Network(label=label or graph.metadata.get("name") or "nir")
    net.inputs, net.outputs, net.layers, net.dt, net.graph = {}, {}, {}, dt, graph
    net.nir_nodes = {}  # convolution/pooling connection -> (node, in shape, out shape)
    #                     and their bias connections -> None
    ins, outs, shapes = {}, {}, {}
    with net:
        for name in order:
            node = nodes[name]
            kind = _kind(node)
            shape = _input_shape(name, node, preds[name], shapes)
            n = int(np.prod(shape))
            if kind in primitives.NEURONS:
                ens = nengo.Ensemble(n, 1, label=name, gain=np.ones(n), bias=np.zeros(n),
                                     neuron_type=primitives.neuron_type(node, name, shape,
                                                                        amplitude))
                ins[name] = outs[name] = ens.neurons
                net.layers[name] = ens
                shapes[name] = shape
                continue
            if kind == "Input" and name in inputs:
                feed = nengo.Node(_Feed(n, dt), size_out=n, label=name)
                ins[name] = outs[name] = net.inputs[name] = feed
            elif kind == "Output" and name in outputs:
                ins[name] = outs[name] = nengo.Node(size_in=n, label=name)
                net.outputs[name] = nengo.Probe(outs[name], synapse=None)
            elif kind in ("Input", "Output", "identity"):
                ins[name] = outs[name] = nengo.Node(size_in=n, label=name)
            elif kind == "Delay":
                ins[name] = nengo.Node(size_in=n, label=name + ".in")
                outs[name] = nengo.Node(size_in=n, label=name)
                nengo.Connection(ins[name], outs[name],
                                 synapse=delay_synapse(_delay_steps(node.delay, dt, name)))
            else:
                in_shape = shape
                shape, transform, bias = primitives.transform(node, name, shape)
                ins[name] = nengo.Node(size_in=n, label=name + ".in")
                outs[name] = nengo.Node(size_in=int(np.prod(shape)), label=name)
                conn = nengo.Connection(ins[name], outs[name], transform=transform,
                                        synapse=None)
                if kind in ("Conv1d", "Conv2d", "SumPool2d", "AvgPool2d"):
                    net.nir_nodes[conn] = (node, in_shape, shape)
                if bias is not None and np.any(bias):
                    b = nengo.Connection(nengo.Node(bias, label=name + ".bias"), outs[name],
                                         synapse=None)
                    if conn in net.nir_nodes:  # the node holds its bias
                        net.nir_nodes[b] = None
            net.layers[name] = outs[name]
            shapes[name] = shape
        for src, dst in edges:
            synapse = delay_synapse(1) if (src, dst) in delayed else None
            nengo.Connection(outs[src], ins[dst], synapse=synapse)
    net.shapes = shapes
    return net


def run(net, inputs, n_steps=None, simulator=None, sim=None):
    """Run a loaded network on input time series; returns Output name -> ``(steps, n)``.

    Parameters
    ----------
    net : nengo.Network
        A network from `load`.
    inputs : dict or ndarray
        Input name -> array ``(steps, *shape)`` (one value per step), or one array
        for a graph with one input. Several samples: ``(samples, steps, *shape)``
        with ``n_steps`` given run one after another from a reset state.
    n_steps : int, optional
        Steps to run (default: the length of the input).
    simulator : class, optional
        Default `nbsnn.Simulator`.
    sim : Simulator, optional
        An open simulator of ``net`` to reuse (it is reset first).

    Returns
    -------
    dict
        Output name -> ``(steps, n)`` array, or ``(samples, steps, n)``.
    """
    if not isinstance(inputs, dict):
        if len(net.inputs) != 1:
            raise NIRError(f"the graph has inputs {sorted(net.inputs)}: pass a dict")
        inputs = {next(iter(net.inputs)): inputs}
    data = {name: np.asarray(x, dtype=float) for name, x in inputs.items()}
    for name in data:
        if name not in net.inputs:
            raise NIRError(f"the graph has no input {name!r} (inputs: {sorted(net.inputs)})")
    batched = n_steps is not None and any(
        x.ndim == 2 + len(net.shapes[n]) for n, x in data.items())
    if not batched:
        data = {n: x[None] for n, x in data.items()}
    n_samples = len(next(iter(data.values())))
    if n_steps is None:
        n_steps = max(x.shape[1] for x in data.values())
    own = sim is None
    if own:
        if simulator is None:
            from ..simulator import Simulator as simulator
        sim = simulator(net, dt=net.dt, progress_bar=False)
    results = {name: [] for name in net.outputs}
    try:
        for i in range(n_samples):
            for name, node in net.inputs.items():
                x = data.get(name)
                node.output.data = None if x is None else x[i].reshape(len(x[i]), -1)
            sim.reset()
            sim.run_steps(n_steps)
            for name, probe in net.outputs.items():
                results[name].append(sim.data[probe].copy())
    finally:
        if own:
            sim.close()
    return {name: np.stack(r) if batched else r[0] for name, r in results.items()}
