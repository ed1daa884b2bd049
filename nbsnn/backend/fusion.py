"""Fused operators: several of Nengo's operators run as one kernel call.

`fuse` rewrites the step order before the builders translate it, in two ways.

Chains of first-order filters (Lowpass synapses, often one element each: every
decoded 1-D connection has one) that follow each other in the step order become
one `FirstOrderFilters` operator: one record instead of many, each of which cost
more to dispatch than its one multiply-add.

An LIF
population's step is three operators in Nengo (the bias copied into the input
current ``J``, the encoders' product added to it, the neurons stepped), each a
pass over ``J`` through memory. Where nothing in between uses ``J`` or changes
what the first two read, they are replaced by one `EncodedNeurons` operator at
the neurons' place, whose kernel (`nbsnn.kernels.neurons.lif_encoded`) computes
``J`` block by block just before stepping the block: the same operations in the
same order, so the same numbers.
"""

import nengo
import numpy as np
from nengo.builder.neurons import SimNeurons
from nengo.builder.operator import BsrDotInc, Copy, DotInc, Operator
from nengo.builder.probe import SimProbe
from nengo.builder.processes import SimProcess
from nengo.synapses import LinearFilter

from ..kernels import opcodes
from ..kernels import synapses
from .builder import Entry, NotCompilable, NumbaBuilder
from .builders.processes import MODES, _lti_kind

__all__ = ["ENABLED", "EncodedNeurons", "FirstOrderFilters", "fuse"]

#: Whether `nbsnn.Simulator` fuses operators (read when a simulator is built).
ENABLED = True


class EncodedNeurons(Operator):
    """A bias `~nengo.builder.operator.Copy`, a 1-D encoder product (`DotInc` or
    `BsrDotInc`) and an LIF `SimNeurons`, run at the neurons' place in the step order.

    ``segments`` lists ``(neurons, x position, encoder start)`` in buffer positions.
    """

    def __init__(self, copy, encode, neurons, segments):
        super().__init__(tag=neurons.tag)
        self.copy, self.encode, self.neurons = copy, encode, neurons
        self.segments = segments
        self.sets = list(neurons.sets) + [copy.dst]
        self.incs = list(neurons.incs)
        self.reads = [copy.src, encode.A, encode.X] + list(neurons.reads)
        self.updates = list(neurons.updates)

    def make_step(self, signals, dt, rng):
        steps = [op.make_step(signals, dt, rng) for op in (self.copy, self.encode, self.neurons)]

        def step_encoded_neurons():
            for step in steps:
                step()

        return step_encoded_neurons


class FirstOrderFilters(Operator):
    """Consecutive `SimProcess` operators of first-order `LinearFilter` synapses on
    contiguous signals, run in their order; ``items`` are ``(n, u, y, X, a, c * b,
    mode)`` per filter, in buffer positions."""

    def __init__(self, ops, items):
        super().__init__(tag=f"{len(ops)} first-order filters")
        self.ops, self.items = ops, items
        self.sets = [sig for op in ops for sig in op.sets]
        self.incs = [sig for op in ops for sig in op.incs]
        self.reads = [sig for op in ops for sig in op.reads]
        self.updates = [sig for op in ops for sig in op.updates]

    def make_step(self, signals, dt, rng):
        steps = [op.make_step(signals, dt, rng) for op in self.ops]  # Nengo's draws

        def step_first_order_filters():
            for step in steps:
                step()

        return step_first_order_filters


def _first_order_item(op, memory, dt):
    """``(n, u, y, X, a, c * b, mode)`` of a first-order filter on runs, else None."""
    if not (type(op) is SimProcess and isinstance(op.process, LinearFilter)
            and op.input is not None and op.input.shape == op.output.shape
            and set(op.state) == {"X"}):
        return None
    X = op.state["X"]
    try:
        kind, (A, B, C, D) = _lti_kind(op.process, dt, np.zeros(X.shape))
    except NotCompilable:
        return None
    runs = [_run(memory, sig) for sig in (op.input, op.output, X)]
    if kind != synapses.ONE_X or None in runs or X.size != op.output.size:
        return None
    n = op.output.size
    return (n, *runs, float(A.item()), float(C.item()) * float(B.item()), MODES[op.mode])


def _batch_filters(order, memory, dt):
    """``order`` with each run of two or more consecutive first-order filters batched."""
    out, run = [], []
    for op in order + [None]:
        item = None if op is None else _first_order_item(op, memory, dt)
        if item is not None:
            run.append((op, item))
            continue
        if len(run) > 1:
            out.append(FirstOrderFilters([o for o, _ in run], [i for _, i in run]))
        else:
            out.extend(o for o, _ in run)
        run = []
        if op is not None:
            out.append(op)
    return out


def _positions(memory, sigs):
    """Float buffer positions of ``sigs`` (others, e.g. integer step counters, cannot
    overlap a float signal)."""
    sigs = [s for s in sigs if s is not None and s.size and memory.is_float(s)]
    if not sigs:
        return np.zeros(0, dtype=np.int64)
    return np.concatenate([memory.positions(s).ravel() for s in sigs])


def _run(memory, sig):
    """Start of ``sig`` if it is a packed, contiguous float run, else None."""
    if not memory.is_float(sig) or not sig.size:
        return None
    pos = memory.positions(sig).ravel()
    return int(pos[0]) if np.array_equal(pos, pos[0] + np.arange(pos.size)) else None


def _segments(memory, encode, J):
    """``(neurons, x position, encoder start)`` of a 1-D encoder product into ``J``, or
    None when it is not one."""
    X, Y = _positions(memory, [encode.X]), _positions(memory, [encode.Y])
    if not (memory.is_float(encode.X) and np.array_equal(Y, J)):
        return None
    if type(encode) is DotInc:
        if encode.A.ndim != 2 or encode.A.shape[1] != 1 or X.size != 1:
            return None
        start = _run(memory, encode.A)
        return None if start is None else [(J.size, int(X[0]), start)]
    if type(encode) is BsrDotInc and encode.A.ndim == 3 and encode.A.shape[2] == 1:
        start = _run(memory, encode.A)
        r = encode.A.shape[1]
        indptr, indices = np.asarray(encode.indptr), np.asarray(encode.indices)
        rows = len(indptr) - 1
        if start is None or r == 0 or rows * r != J.size:
            return None
        if indptr[0] != 0 or not (np.diff(indptr) == 1).all() or indices.max() >= X.size:
            return None  # one block (one input dimension) per block row
        return [(r, int(X[indices[row]]), start + row * r) for row in range(rows)]
    return None


class _Index:
    """Which operators of a step order write, or use, which buffer positions: sorted
    ``(position, operator index)`` pairs, so that a query costs a binary search, not
    a pass over the step order. ``place[i]`` is where operator ``i`` runs now (a fused
    operator runs at its neurons' place)."""

    def __init__(self, order, memory):
        self.place = np.arange(len(order))
        self.probe = np.array([type(op) is SimProbe for op in order], dtype=bool)
        self.writes = self._pairs(order, memory, lambda op: op.sets + op.incs + op.updates)
        self.uses = self._pairs(order, memory, lambda op: op.all_signals)

    @staticmethod
    def _pairs(order, memory, signals):
        per_op = [_positions(memory, signals(op)) for op in order]
        pos = np.concatenate(per_op + [np.zeros(0, dtype=np.int64)])
        ops = np.repeat(np.arange(len(order)), [p.size for p in per_op])
        sort = np.argsort(pos, kind="stable")
        return pos[sort], ops[sort]

    def places(self, pairs, positions):
        """Where the (non-probe) operators that write/use any of ``positions`` run."""
        pos, ops = pairs
        found = [ops[np.searchsorted(pos, lo) : np.searchsorted(pos, hi)]
                 for lo, hi in _ranges(positions)]
        found = np.unique(np.concatenate(found + [np.zeros(0, dtype=np.int64)]))
        return self.place[found[~self.probe[found]]]


def _ranges(positions):
    """``positions`` as half-open ``(lo, hi)`` runs of consecutive values."""
    pos = np.unique(positions)
    if not pos.size:
        return []
    breaks = np.flatnonzero(np.diff(pos) != 1) + 1
    return [(int(run[0]), int(run[-1]) + 1) for run in np.split(pos, breaks)]


def _fusable(step_order, k, memory, index):
    """The `EncodedNeurons` replacing the bias copy and encoder product of the LIF
    population at ``step_order[k]``, and their places; None where that would change
    what any operator reads. SimProbe operators are ignored: probes record after
    the step (they are no-ops at their place)."""
    neurons = step_order[k]
    J = _positions(memory, [neurons.J])
    if not J.size:
        return None
    writers = sorted(i for i in index.places(index.writes, J) if i < k)
    if len(writers) != 2:
        return None
    c, e = writers
    copy, encode = step_order[c], step_order[e]
    if (type(copy) is not Copy or copy.inc or copy.dst_slice is not None
            or copy.src_slice is not None or _run(memory, copy.src) is None
            or not np.array_equal(_positions(memory, [copy.dst]), J)
            or copy.src.size != J.size):
        return None
    segments = _segments(memory, encode, J)
    if segments is None:
        return None
    bias = _positions(memory, [copy.src])
    users_of_J = index.places(index.uses, J)
    if ((users_of_J > c) & (users_of_J < k) & (users_of_J != e)).any():
        return None  # J is read (or written) between the copy and the neurons
    bias_writers = index.places(index.writes, bias)
    if ((bias_writers > c) & (bias_writers < k)).any():
        return None
    input_writers = index.places(index.writes, _positions(memory, [encode.A, encode.X]))
    if ((input_writers > e) & (input_writers < k)).any():
        return None  # the encoder product would read other values later
    return EncodedNeurons(copy, encode, neurons, segments), c, e


def fuse(step_order, memory, dt):
    """``step_order`` with each fusable LIF population's bias copy, encoder product
    and `SimNeurons` replaced by one `EncodedNeurons` at the neurons' place, then
    runs of first-order filters batched into `FirstOrderFilters`."""
    order = list(step_order)
    index = _Index(order, memory)
    for k in range(len(order)):
        op = order[k]
        if not (type(op) is SimNeurons and type(op.neurons) is nengo.LIF):
            continue
        fused = _fusable(order, k, memory, index)
        if fused is not None:
            op, c, e = fused
            order[k] = op
            order[c] = order[e] = None  # removed once all are planned: keeps indices
            index.place[[c, e]] = k
    return _batch_filters([op for op in order if op is not None], memory, dt)


@NumbaBuilder.register(EncodedNeurons)
def build_encoded_neurons(op, ctx):
    neurons = op.neurons
    if set(neurons.state) != {"voltage", "refractory_time"} or neurons.state_extra:
        raise NotCompilable("unexpected neuron state")
    lif = neurons.neurons
    signals = [neurons.J, neurons.output, neurons.state["voltage"],
               neurons.state["refractory_time"]]
    if any(sig.size != neurons.J.size for sig in signals):
        raise NotCompilable("neuron signals differ in size")
    J, out, voltage, refractory = (ctx.start(sig) for sig in signals)
    prog = ctx.program
    params = prog.const(*[float(getattr(lif, name))
                          for name in ("tau_rc", "tau_ref", "amplitude", "min_voltage")])
    args = [neurons.J.size, J, out, params, voltage, refractory, ctx.start(op.copy.src),
            prog.array(op.segments), len(op.segments)]
    prog.emit(opcodes.LIF_ENCODED, args, op=neurons,
              writes=[ctx.positions(sig) for sig in signals])
    return Entry(op, "compiled")


@NumbaBuilder.register(FirstOrderFilters)
def build_first_order_filters(op, ctx):
    prog = ctx.program
    items = [(n, u, y, X, prog.const(a, cb), mode) for n, u, y, X, a, cb, mode in op.items]
    prog.emit(opcodes.FIRST_ORDER_FILTERS, [len(items), prog.array(items)], op=op,
              writes=[np.arange(y, y + n) for n, _, y, *_ in op.items]
              + [np.arange(X, X + n) for n, _, _, X, *_ in op.items])
    return Entry(op, "compiled", make=op.make_step)
