"""Builder for `~nengo.builder.operator.SimPyFunc` (Node callables).

A node whose function takes only time is a state-independent input: when the
model has no other Python step, its values are computed a chunk ahead so the
kernels never leave compiled code. Otherwise (and for nodes with input) the
callable runs between compiled segments, in Nengo's step order.
"""

import numpy as np
from nengo.builder.operator import SimPyFunc
from nengo.exceptions import SimulationError
from nengo.utils.functions import function_name

from ..builder import NotCompilable, NumbaBuilder


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


@NumbaBuilder.register(SimPyFunc)
def build_sim_py_func(op, ctx):
    """A Node's function of time, prefetched for each chunk; others run as Python."""
    if op.x is not None:
        raise NotCompilable("the node's function takes input")
    if op.output is None:
        raise NotCompilable("the node has no output (its function runs for side effects)")
    if not ctx.prefetch_nodes:
        raise NotCompilable("a function of time, run in step order beside other Python steps")
    return ctx.prefetch(op, op.output, False, _make_source(op), collect=_collect(op))


