"""Builder for `~nengo.builder.operator.SimPyFunc` (Node callables).

A node whose function takes only time is a state-independent input: when the
model has no other Python step, its values are computed a chunk ahead, so the
kernels never leave compiled code and nothing is compiled. Otherwise a node
function that numba compiles with Nengo's numbers (`nbsnn.backend.node_compile`)
runs inside the step program, with or without input; else the callable runs
between compiled segments, in Nengo's step order.
"""

import numpy as np
from nengo.builder.operator import SimPyFunc
from nengo.exceptions import SimulationError
from nengo.utils.functions import function_name

from ...kernels import opcodes
from ..builder import Entry, NotCompilable, NumbaBuilder
from ..node_compile import compile_node


def _make_source(op):
    """``make`` for a time-only node: returns its function of time."""

    def make(signals, dt, rng):
        fn = op.fn
        return fn if op.t is not None else (lambda t: fn())

    return make


def _check(op, value):
    """Nengo's validation of a node's return value, as an exception or None."""
    name = function_name(op.fn)
    try:
        if value is None or not np.all(np.isfinite(value)):
            return SimulationError(f"Function '{name}' returned non-finite value")
        np.broadcast_to(np.asarray(value, dtype=np.float64), op.output.shape)
    except (TypeError, ValueError):
        return SimulationError(
            f"Function '{name}' returned a value {value!r} of invalid type {type(value)!r}"
        )
    return None


def _collect(op):
    """Turn a chunk of return values into rows; stop at the first invalid one."""
    shape = op.output.shape
    width = op.output.size

    def collect(values):
        try:
            rows = np.asarray(values, dtype=np.float64)
            if rows.shape[1:] != shape:  # broadcast every value as Nengo's output[...] = y
                k, value_shape = len(values), rows.shape[1:]
                padded = (k,) + (1,) * (len(shape) - len(value_shape)) + value_shape
                rows = np.broadcast_to(rows.reshape(padded), (k,) + shape)
            good = np.isfinite(rows.reshape(len(values), -1)).all(axis=1)
        except (TypeError, ValueError):
            good = np.array([_check(op, v) is None for v in values], dtype=bool)
            rows = None
        n_good = len(values) if good.all() else int(np.argmin(good))
        if rows is None:
            rows = np.array([np.broadcast_to(v, shape) for v in values[:n_good]])
        error = _check(op, values[n_good]) if n_good < len(values) else None
        return rows[:n_good].reshape(n_good, width), error

    return collect


def _compiled(op, ctx, node):
    """Emit the ``NODE`` record calling the compiled function ``node``."""
    prog = ctx.program
    out = ctx.positions(op.output)
    y, y_mode = prog.operand(out)
    x, x_mode = prog.operand(ctx.positions(op.x)) if op.x is not None else (0, 0)
    t = ctx.positions(op.t).item() if op.t is not None else -1
    slot = prog.array([node.address])
    prog.nodes.append((len(prog), slot, node))
    prog.emit(opcodes.NODE, [slot, t, x, x_mode, node.n_in, y, y_mode, node.n_out],
              op=op, writes=[out])
    return Entry(op, "compiled", make=op.make_step)  # Python steps where it hands back


@NumbaBuilder.register(SimPyFunc)
def build_sim_py_func(op, ctx):
    """A Node's function: prefetched a chunk ahead, compiled into the step program, or Python."""
    if op.x is None and op.output is not None and ctx.prefetch_nodes:
        # a chunk ahead in Python: no compile cost, ~0.5 us a step
        return ctx.prefetch(op, op.output, False, _make_source(op), collect=_collect(op))
    why_not = ctx.node_policy(op)
    if why_not is None:
        try:
            return _compiled(op, ctx, compile_node(op))
        except NotCompilable as e:
            why_not = str(e)
    if op.output is None:
        raise NotCompilable("the node has no output (its function runs for side effects)")
    if op.x is not None:
        raise NotCompilable(f"the node's function takes input, and {why_not}")
    if not ctx.prefetch_nodes:
        raise NotCompilable("a function of time, run in step order beside other Python "
                            f"steps, and {why_not}")
    return ctx.prefetch(op, op.output, False, _make_source(op), collect=_collect(op))
