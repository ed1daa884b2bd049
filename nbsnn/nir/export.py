"""`export`: a neuron-space `nengo.Network` (or a Keras `~nbsnn.Converter`) as a NIR graph.

The network is built with Nengo's builder, so every connection's weights are the
ones the simulator uses (decoders included). Each Ensemble becomes a neuron node
whose input sums its connections: a connection becomes an ``Affine``/``Linear`` (or
``Conv2d``) node holding ``gain * weights`` (encoders and gains folded in for
decoded input), scaled by ``amplitude / dt`` after a spiking population (NIR spikes
are 1); a `~nengo.Lowpass` synapse an ``LI`` node plus a one-step ``Delay`` (Nengo's
synapses read the previous step); biases and constant Nodes an ``Affine`` with zero
weights from the first input. Inputs are Nodes without input; outputs are Probes.
What NIR cannot express raises `~nbsnn.exceptions.NIRError` naming the object;
Nengo's own neuron types have no exact NIR counterpart and are exported only with
``approximate=True`` (see ``docs/nir.md``).
"""

from __future__ import annotations

import dataclasses
import re
import warnings

import nengo
import numpy as np

from ..exceptions import ApproximationWarning, NIRError
from . import neurons

__all__ = ["export", "ApproximationWarning"]


_NIR_TYPES = {
    neurons.NIRIntegrator: "I", neurons.NIRIF: "IF", neurons.NIRLI: "LI",
    neurons.NIRLIF: "LIF", neurons.NIRCubaLI: "CubaLI", neurons.NIRCubaLIF: "CubaLIF",
    neurons.NIRThreshold: "Threshold",
}

#: Nengo types exported approximately: NIR type, and what is lost.
_APPROXIMATE = {
    nengo.LIF: ("LIF", "exact exponential decay, sub-step spike timing, the refractory "
                       "period and min_voltage become one Euler step, no refractory period"),
    nengo.LIFRate: ("LIF", "the rate becomes a spiking LIF (Euler, no refractory period)"),
    nengo.SpikingRectifiedLinear: ("IF", "several spikes per step and reset by "
                                         "subtraction become one spike and reset to 0"),
    nengo.RectifiedLinear: ("IF", "the rate becomes an integrate-and-fire spike train"),
}


def _nir_neuron(nir, ens, approximate):
    """The NIR neuron node of an ensemble's neuron type (parameters per neuron)."""
    t, n = ens.neuron_type, ens.n_neurons
    if type(t) in _NIR_TYPES:
        p = t.params(n)
        kind = _NIR_TYPES[type(t)]
        args = {
            "I": lambda: dict(r=p["r"]),
            "IF": lambda: dict(r=p["r"], v_threshold=p["v_threshold"], v_reset=p["v_reset"]),
            "LI": lambda: dict(tau=p["tau"], r=p["r"], v_leak=p["v_leak"]),
            "LIF": lambda: dict(tau=p["tau"], r=p["r"], v_leak=p["v_leak"],
                                v_threshold=p["v_threshold"], v_reset=p["v_reset"]),
            "CubaLI": lambda: dict(tau_syn=p["tau_syn"], tau_mem=p["tau"], r=p["r"],
                                   v_leak=p["v_leak"], w_in=p["w_in"]),
            "CubaLIF": lambda: dict(tau_syn=p["tau_syn"], tau_mem=p["tau"], r=p["r"],
                                    v_leak=p["v_leak"], v_threshold=p["v_threshold"],
                                    v_reset=p["v_reset"], w_in=p["w_in"]),
            "Threshold": lambda: dict(threshold=p["v_threshold"]),
        }[kind]()
        return getattr(nir, kind)(**{k: np.array(v, dtype=float) for k, v in args.items()})
    if type(t) not in _APPROXIMATE:
        raise NIRError(f"{ens} has neuron type {type(t).__name__}, which NIR cannot "
                       f"express; use LIF, LIFRate, RectifiedLinear, "
                       f"SpikingRectifiedLinear or an nbsnn.nir type")
    kind, lost = _APPROXIMATE[type(t)]
    if not approximate:
        raise NIRError(f"{ens} has neuron type {t}, which NIR expresses only "
                       f"approximately ({lost}); pass approximate=True to accept that, or "
                       f"use an nbsnn.nir neuron type")
    warnings.warn(f"{ens} ({t}) exported as NIR {kind}: {lost}", ApproximationWarning,
                  stacklevel=3)
    ones, zeros = np.ones(n), np.zeros(n)
    if kind == "LIF":
        return nir.LIF(tau=np.full(n, float(t.tau_rc)), r=ones, v_leak=zeros,
                       v_threshold=ones, v_reset=zeros)
    return nir.IF(r=ones, v_threshold=ones, v_reset=zeros)


def _spike_scale(ens, dt):
    """What one NIR spike (1) stands for in Nengo's output: ``amplitude / dt``."""
    t = ens.neuron_type
    if isinstance(t, neurons.NIRNeuron):
        return t.amplitude / dt if t.spiking else 1.0
    return getattr(t, "amplitude", 1.0) / dt


def _matrix(weights, size_out, size_in):
    w = np.asarray(1.0 if weights is None else weights, dtype=float)  # None: identity
    if w.ndim == 0:
        return w * np.eye(size_out, size_in)
    if w.ndim == 1:
        return np.diag(w)
    return w


def _conv_node(nir, transform, scale):
    """A channels-first 2-D `nengo.Convolution` as NIR Conv2d; a channels-last one
    (as the Keras converter makes) as the equivalent Linear in Nengo's element
    order, since NIR's convolutions are channels-first."""
    if transform.dimensions != 2:
        return None, None
    kernel = np.asarray(transform.init, dtype=float) * scale  # (kh, kw, c_in, c_out)
    weight = kernel.transpose(3, 2, 0, 1)
    if not transform.channels_last:
        return nir.Conv2d(
            input_shape=tuple(transform.input_shape.spatial_shape), weight=weight,
            stride=tuple(transform.strides),
            padding=0 if transform.padding == "valid" else "same", dilation=1, groups=1,
            bias=np.zeros(transform.n_filters)), (tuple(transform.input_shape.shape),
                                                  tuple(transform.output_shape.shape))
    from .primitives import conv_matrix

    h, w, c = transform.input_shape.shape
    matrix, (co, ho, wo) = conv_matrix(weight, (c, h, w), tuple(transform.strides),
                                        transform.padding, (1, 1), 1, str(transform))
    if (ho, wo, co) != tuple(transform.output_shape.shape):  # TF pads 'same' otherwise
        return None, None
    rows = np.arange(co * ho * wo).reshape(co, ho, wo).transpose(1, 2, 0).ravel()
    cols = np.arange(c * h * w).reshape(c, h, w).transpose(1, 2, 0).ravel()
    return nir.Linear(matrix.toarray()[rows][:, cols]), None


class _Graph:
    """Collects NIR nodes and edges under unique names."""

    def __init__(self):
        self.nodes, self.edges, self._names = {}, [], set()
        self.shapes = {}  # convolution and pooling nodes -> (input, output shape)

    def add(self, label, node):
        base = re.sub(r"\W+", "_", str(label)).strip("_") or "node"
        name, i = base, 1
        while name in self._names:
            name, i = f"{base}_{i}", i + 1
        self._names.add(name)
        self.nodes[name] = node
        return name


def export(obj, dt=0.001, approximate=False, inputs=None):
    """Export a neuron-space network to a ``nir.NIRGraph``.

    Parameters
    ----------
    obj : nengo.Network or nbsnn.Converter
        The network (a Converter exports its ``net``).
    dt : float
        The time step whose discretisation NIR's parameters should reproduce
        (stored in the graph's metadata, where `nbsnn.nir.load` finds it).
    approximate : bool
        Export Nengo's LIF, LIFRate, RectifiedLinear and SpikingRectifiedLinear
        as NIR LIF/IF (with an `ApproximationWarning` saying what changes)
        instead of refusing them.
    inputs : list of nengo.Node, optional
        Nodes to export as NIR Inputs besides those with a function or process as
        output (a Converter's input nodes are included).

    Returns
    -------
    nir.NIRGraph
    """
    import nir

    net = getattr(obj, "net", obj)
    inputs = set(inputs or ()) | set(getattr(obj, "inputs", {}).values())
    if not isinstance(net, nengo.Network):
        raise NIRError(f"expected a nengo.Network or an nbsnn.Converter, got {type(obj)}")
    model = nengo.builder.Model(dt=dt)
    model.build(net)
    g, source, sink, bias = _Graph(), {}, {}, {}
    outputs = {p: g.add(p.label or getattr(p.target, "label", None) or "output", None)
               for p in net.all_probes}  # outputs keep their names

    for node in net.all_nodes:
        if node.size_in == 0 and (callable(node.output) or node in inputs or
                                  isinstance(node.output, nengo.Process)):
            source[node] = sink[node] = g.add(node.label or "input",
                                              nir.Input(np.array([node.size_out])))
        elif node.size_in == 0:
            source[node] = ("constant", np.asarray(node.output, dtype=float).ravel())
        elif node.output is None:
            source[node] = sink[node] = g.add(node.label or "node",
                                              nir.Scale(np.ones(node.size_out)))
        else:
            raise NIRError(f"{node} computes a Python function, which NIR cannot express; "
                           f"replace it by a passthrough Node and Connection transforms, "
                           f"or keep it outside the exported network")
    for ens in net.all_ensembles:
        built = model.params[ens]
        name = g.add(ens.label or "ensemble", _nir_neuron(nir, ens, approximate))
        source[ens] = sink[ens] = source[ens.neurons] = sink[ens.neurons] = name
        if np.any(built.bias):
            bias[name] = np.array(built.bias, dtype=float)
    inputs = [n for n, v in g.nodes.items() if isinstance(v, nir.Input)]
    if not inputs:
        raise NIRError(f"{net} has no input: NIR graphs start at an Input node (a Node "
                       f"with a function or process as output, or one named in inputs=)")

    for conn in net.all_connections:
        _connection(nir, g, conn, model, source, sink, bias, dt,
                    getattr(net, "nir_nodes", {}))
    for name, b in bias.items():  # NIR's only constant: an Affine's bias
        size = int(np.ravel(g.nodes[inputs[0]].input_type["input"])[0])
        aff = g.add(f"{name}_bias", nir.Affine(np.zeros((b.size, size)), b))
        g.edges += [(inputs[0], aff), (aff, name)]
    for probe in net.all_probes:
        _probe(nir, g, probe, sink, outputs)
    _shape_nodes(nir, g)
    # nir's type check takes a grouped convolution's weight.shape[1] for its input
    # channels, so it is left to nir.read
    return nir.NIRGraph(nodes=g.nodes, edges=g.edges, type_check=False,
                        metadata={"dt": dt, "source": "nbsnn"})


def _connection(nir, g, conn, model, source, sink, bias, dt, nir_nodes):
    if conn.learning_rule_type is not None:
        raise NIRError(f"{conn} has a learning rule, which NIR cannot express; export the "
                       f"network after learning with the learned weights as transforms")
    if isinstance(conn.pre, nengo.base.ObjView) or isinstance(conn.post, nengo.base.ObjView):
        raise NIRError(f"{conn} connects a slice, which nbsnn does not export; use a "
                       f"transform on the whole object instead")
    synapse = conn.synapse
    if synapse is not None and type(synapse) is not nengo.Lowpass and (
            _delay_steps(synapse) is None):
        raise NIRError(f"{conn} has synapse {synapse}; NIR has first-order filters and "
                       f"delays only, so nbsnn exports None, nengo.Lowpass and the "
                       f"discrete delays z^-k that nbsnn.nir.load makes")
    pre, post = conn.pre_obj, conn.post_obj
    built = model.params[conn]
    scale = 1.0
    if isinstance(pre, nengo.Ensemble):
        pre = pre.neurons
    if isinstance(pre, nengo.ensemble.Neurons):
        scale = _spike_scale(pre.ensemble, dt)
    post_gain = None
    if isinstance(post, nengo.ensemble.Neurons):
        post_gain = model.params[post.ensemble].gain
    transform = conn.transform
    if conn in nir_nodes:  # a convolution or pooling loaded from NIR: as it was
        if nir_nodes[conn] is None:  # its bias, which the node holds
            return
        node, in_shape, out_shape = nir_nodes[conn]
        if type(node).__name__ in ("Conv1d", "Conv2d"):
            node = dataclasses.replace(node, input_shape=in_shape[-1] if isinstance(
                node, nir.Conv1d) else tuple(in_shape[1:]))
        name = g.add(conn.label or type(node).__name__.lower(), node)
        g.shapes[name] = (in_shape, out_shape)
        _wire(nir, g, conn, source, sink, pre, post, name, synapse, dt, 0)
        return
    if isinstance(transform, nengo.Convolution):
        if isinstance(source.get(pre), tuple) or isinstance(post, nengo.Ensemble) or (
                post_gain is not None and np.any(post_gain != 1)):
            raise NIRError(f"{conn}: nbsnn exports a Convolution only between neurons "
                           f"(of gain 1) and passthrough Nodes")
        node, shapes = _conv_node(nir, transform, scale)
        if node is None:
            raise NIRError(f"{conn} has a 1-D or 3-D Convolution, or 'same' padding with "
                           f"strides, which nbsnn does not export")
        weight_node = g.add(f"{conn.label or 'conv'}", node)
        if shapes is not None:
            g.shapes[weight_node] = shapes
        _wire(nir, g, conn, source, sink, pre, post, weight_node, synapse, dt,
              transform.output_shape.size)
        return
    if isinstance(transform, nengo.Sparse):
        init = transform.init
        w = init.toarray() if hasattr(init, "toarray") else _dense_sparse(transform)
    else:
        w = built.weights
    w = _matrix(w, conn.size_out, pre.size_out) * scale
    if isinstance(post, nengo.Ensemble):
        w = model.params[post].scaled_encoders @ w
    elif post_gain is not None:
        w = post_gain[:, None] * w
    if isinstance(source.get(pre), tuple):  # a constant Node: a bias of the post object
        value = w @ source[pre][1]
        target = sink[post]
        bias[target] = bias.get(target, 0.0) + value
        return
    identity = w.shape[0] == w.shape[1] and np.array_equal(w, np.eye(len(w)))
    weight_node = None if identity else g.add(conn.label or "weights", nir.Linear(w))
    _wire(nir, g, conn, source, sink, pre, post, weight_node, synapse, dt, w.shape[0])


def _dense_sparse(transform):
    w = np.zeros(transform.shape)
    w[tuple(transform.init.indices.T)] = transform.init.data
    return w


def _delay_steps(synapse):
    """``k`` for a pure delay ``z^-k`` (`nbsnn.nir.load.delay_synapse`), else None."""
    if type(synapse) is not nengo.LinearFilter or synapse.analog:
        return None
    num, den = np.ravel(synapse.num), np.ravel(synapse.den)
    if num.size == 1 and num[0] == 1 and den[0] == 1 and den.size > 1 and not den[1:].any():
        return den.size - 1
    return None


def _wire(nir, g, conn, source, sink, pre, post, weight_node, synapse, dt, size):
    chain = [source[pre]] + ([weight_node] if weight_node is not None else [])
    steps = None if synapse is None else _delay_steps(synapse)
    if steps is not None:
        chain.append(g.add(f"{chain[-1]}_delay", nir.Delay(np.full(size, steps * dt))))
    elif synapse is not None:
        tau = dt / -np.expm1(-dt / synapse.tau)  # Euler step with Nengo's decay
        chain.append(g.add(f"{chain[-1]}_synapse", nir.LI(
            tau=np.full(size, tau), r=np.ones(size), v_leak=np.zeros(size))))
        chain.append(g.add(f"{chain[-2]}_delay", nir.Delay(np.full(size, dt))))
    chain.append(sink[post])
    g.edges += list(zip(chain[:-1], chain[1:]))


def _probe(nir, g, probe, sink, outputs):
    target = probe.target
    if isinstance(target, nengo.Ensemble):
        raise NIRError(f"{probe} reads decoded values, which need decoders NIR has no "
                       f"place for; connect the ensemble to a Node and probe that")
    if probe.attr not in ("output", "spikes", "decoded_output"):
        warnings.warn(f"{probe} ({probe.attr!r}) is not exported", stacklevel=3)
        del g.nodes[outputs[probe]]
        return
    if probe.synapse is not None:
        warnings.warn(f"{probe}: its synapse is not exported", stacklevel=3)
    obj = target.ensemble if isinstance(target, nengo.ensemble.Neurons) else target
    size = target.size_out
    g.nodes[outputs[probe]] = nir.Output(np.array([size]))
    g.edges.append((sink[obj], outputs[probe]))


#: Nodes whose output has the shape of their input (and of their parameters).
_ELEMENTWISE = ("Input", "Output", "Scale", "Delay", "I", "IF", "LI", "LIF", "CubaLI",
                "CubaLIF", "Threshold")


def _reshaped(nir, node, shape):
    kind = type(node).__name__
    if kind in ("Input", "Output"):
        return getattr(nir, kind)(np.array(shape))
    fields = [f.name for f in dataclasses.fields(node)
              if f.name not in ("input_type", "output_type", "metadata")]
    return type(node)(**{f: np.reshape(getattr(node, f), shape) for f in fields})


def _shape_nodes(nir, g):
    """Give channels-first shapes to the elementwise nodes around each Conv2d (Nengo's
    signals are flat, NIR's type check is not) and put a Flatten before any dense
    layer they feed."""
    preds = {name: [] for name in g.nodes}
    succs = {name: [] for name in g.nodes}
    for src, dst in g.edges:
        preds[dst].append(src)
        succs[src].append(dst)
    shapes = {}

    def spread(name, shape, via):
        node = g.nodes[name]
        if type(node).__name__ not in _ELEMENTWISE:
            if name in g.shapes:  # its own shapes are known
                return
            if type(node).__name__ in ("Linear", "Affine") and via in preds[name]:
                return
            raise NIRError(f"{name!r} ({type(node).__name__}) feeds a convolution of input "
                           f"shape {shape}; NIR has no reshape, so only elementwise nodes "
                           f"may stand between it and a convolution")
        if name in shapes:
            return
        shapes[name] = shape
        for nxt in preds[name] + succs[name]:
            spread(nxt, shape, name)

    for name, (in_shape, out_shape) in g.shapes.items():
        for p in preds[name]:
            spread(p, tuple(int(i) for i in in_shape), name)
        for q in succs[name]:
            spread(q, tuple(int(i) for i in out_shape), name)
    for name, shape in shapes.items():
        g.nodes[name] = _reshaped(nir, g.nodes[name], shape)
    for i, (src, dst) in enumerate(list(g.edges)):
        if src in shapes and type(g.nodes[dst]).__name__ in ("Linear", "Affine"):
            flat = g.add(f"{src}_flatten", nir.Flatten(input_type={
                "input": np.array(shapes[src])}, start_dim=0))
            g.edges[i] = (src, flat)
            g.edges.append((flat, dst))
