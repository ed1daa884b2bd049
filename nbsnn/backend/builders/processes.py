"""Builders for `~nengo.builder.processes.SimProcess`.

Synapses (any `~nengo.LinearFilter`, e.g. Lowpass and Alpha, and `~nengo.Triangle`)
run in kernels. Processes without input (WhiteNoise, WhiteSignal, FilteredNoise,
BrownNoise, PresentInput, Piecewise and user processes) depend only on time, so
their outputs are computed a chunk ahead with Nengo's own step function and fed
to the kernels (``prefetch``), which keeps their random streams exactly Nengo's.
"""

import numpy as np
from nengo.builder.processes import SimProcess
from nengo.synapses import LinearFilter, Triangle

from ...kernels import opcodes, synapses
from ..builder import Entry, NotCompilable, NumbaBuilder

MODES = {"set": 0, "update": 0, "inc": 1}


def _prefetch_source(op):
    def make(signals, dt, rng):
        output = signals[op.output]
        rng = op.process.get_rng(rng)
        state = {name: signals[sig] for name, sig in op.state.items()}
        return op.process.make_step((0,), output.shape, dt, rng, state)

    return make


def _lti_kind(process, dt, X):
    A, B, C, D = process._get_ss(dt)
    if LinearFilter.NoX.check(A, B, C, D, X):
        return synapses.NO_X, (A, B, C, D)
    if LinearFilter.OneX.check(A, B, C, D, X):
        return synapses.ONE_X, (A, B, C, D)
    if LinearFilter.NoD.check(A, B, C, D, X):
        return synapses.NO_D, (A, B, C, D)
    if LinearFilter.General.check(A, B, C, D, X):
        return synapses.GENERAL, (A, B, C, D)
    raise NotCompilable("unrecognised LTI system")


def _build_lti(op, ctx):
    X = op.state["X"]
    kind, (A, B, C, D) = _lti_kind(op.process, ctx.dt, np.zeros(X.shape))
    u, y, x = ctx.positions(op.input), ctx.positions(op.output), ctx.positions(X)
    k = A.shape[0]
    prog = ctx.program
    args = [
        kind, y.size, k, *prog.operand(u), *prog.operand(y), *prog.operand(x),
        prog.const(A, B, C, D), MODES[op.mode],
    ]
    prog.emit(opcodes.LTI, args, op=op, writes=[y, x])


def _build_triangle(op, ctx):
    n_taps, n0, ndiff = op.process._get_coefficients(ctx.dt)
    u, y = ctx.positions(op.input), ctx.positions(op.output)
    Y, X, Xi = (ctx.positions(op.state[name]) for name in ("Y", "X", "Xi"))
    prog = ctx.program
    args = [
        y.size, prog.array(u), prog.array(y), prog.array(Y), prog.array(X),
        prog.array(Xi), n_taps, prog.const(n0, ndiff), MODES[op.mode],
    ]
    prog.emit(opcodes.TRIANGLE, args, op=op, writes=[y, Y, X, Xi])


@NumbaBuilder.register(SimProcess)
def build_sim_process(op, ctx):
    """A process: prefetched if it has no input, else a Triangle or LTI filter record."""
    if op.input is None:
        return ctx.prefetch(op, op.output, op.mode == "inc", _prefetch_source(op))
    if op.input.shape != op.output.shape:
        raise NotCompilable("input and output shapes differ")
    if type(op.process) is Triangle:
        _build_triangle(op, ctx)
    elif isinstance(op.process, LinearFilter):
        _build_lti(op, ctx)
    else:
        raise NotCompilable(f"no kernel for {type(op.process).__name__}")
    return Entry(op, "compiled", make=op.make_step)
