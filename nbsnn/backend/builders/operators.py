"""Builders for Nengo's basic operators: time, reset, copy and the dot products."""

import numpy as np
import scipy.sparse
from nengo.builder.probe import SimProbe
from nengo.builder.operator import (
    BsrDotInc, Copy, DotInc, ElementwiseInc, Reset, SparseDotInc, TimeUpdate,
)

from ...kernels import opcodes
from ..builder import Entry, NotCompilable, NumbaBuilder


def _compiled(op, ctx, opcode, args, writes):
    ctx.program.emit(opcode, args, op=op, writes=writes)
    return Entry(op, "compiled")


@NumbaBuilder.register(TimeUpdate)
def build_time_update(op, ctx):
    """The step counter and the time (a TIME record)."""
    memory = ctx.memory
    if op.step.base not in memory.int_bases or not memory.is_float(op.time):
        raise NotCompilable("step/time signals are not packed")
    step = memory.positions(op.step).item()
    time = memory.positions(op.time).item()
    return _compiled(op, ctx, opcodes.TIME, [step, time], [])


@NumbaBuilder.register(Reset)
def build_reset(op, ctx):
    """Set a signal to a scalar each step (a RESET record)."""
    if np.size(op.value) != 1:
        raise NotCompilable("array-valued reset")
    dst = ctx.positions(op.dst)
    args = [*ctx.program.operand(dst), dst.size, ctx.program.const(float(op.value))]
    return _compiled(op, ctx, opcodes.RESET, args, [dst])


@NumbaBuilder.register(Copy)
def build_copy(op, ctx):
    """Copy or add (``inc``) a signal, with slices, into another (COPY/COPY_INC)."""
    dst = ctx.positions(op.dst)
    src = ctx.positions(op.src)
    dst = dst[op.dst_slice] if op.dst_slice is not None else dst
    src = src[op.src_slice] if op.src_slice is not None else src
    try:
        src = np.broadcast_to(src, dst.shape)
    except ValueError as e:
        raise NotCompilable(str(e)) from e
    if not op.inc and len(np.unique(dst)) < dst.size:
        raise NotCompilable("repeated destination indices")  # Nengo raises the error
    opcode = opcodes.COPY_INC if op.inc else opcodes.COPY
    prog = ctx.program
    args = [*prog.operand(dst), *prog.operand(src), dst.size]
    return _compiled(op, ctx, opcode, args, [dst])


def _multiply_inc(op, ctx, Y, A, X):
    y, a, x = ctx.positions(Y), ctx.positions(A), ctx.positions(X)
    try:
        a, x = np.broadcast_arrays(a, x)
        a, x = np.broadcast_to(a, y.shape), np.broadcast_to(x, y.shape)
    except ValueError as e:
        raise NotCompilable(str(e)) from e
    prog = ctx.program
    args = [*prog.operand(y), *prog.operand(a), *prog.operand(x), y.size]
    return _compiled(op, ctx, opcodes.MULTIPLY_INC, args, [y])


@NumbaBuilder.register(ElementwiseInc)
def build_elementwise_inc(op, ctx):
    """``Y += A * X`` elementwise, broadcast (a MULTIPLY_INC record)."""
    return _multiply_inc(op, ctx, op.Y, op.A, op.X)


@NumbaBuilder.register(DotInc)
def build_dot_inc(op, ctx):
    """``Y += A @ X`` on strided views (DOT_INC; scalars: MULTIPLY_INC)."""
    A, X, Y = op.A, op.X, op.Y
    if A.ndim == 0 or X.ndim == 0:
        return _multiply_inc(op, ctx, Y, A, X)
    if A.ndim != 2 or X.ndim > 2 or A.shape[1] != X.shape[0]:
        raise NotCompilable(f"dot of shapes {A.shape} and {X.shape}")
    m, n = A.shape
    k = 1 if X.ndim == 1 else X.shape[1]
    if Y.size != m * k:
        raise NotCompilable(f"output shape {Y.shape}")
    a, ars, acs = ctx.strided(A)
    x, xrs, xcs = ctx.strided(X)
    ypos = ctx.positions(Y).reshape(m, k)
    y, yrs, ycs = int(ypos[0, 0]), 0, 0
    if m > 1:
        yrs = int(ypos[1, 0] - y)
    if k > 1:
        ycs = int(ypos[0, 1] - y)
    i, j = np.indices((m, k))
    if not np.array_equal(ypos, y + i * yrs + j * ycs):
        raise NotCompilable(f"{Y} is not a strided view")
    args = [a, m, n, ars, acs, x, k, xrs, xcs, y, yrs, ycs]
    return _compiled(op, ctx, opcodes.DOT_INC, args, [ypos])


@NumbaBuilder.register(SparseDotInc)
def build_sparse_dot_inc(op, ctx):
    """``Y += A @ X`` with a CSR matrix (a CSR_INC record)."""
    matrix = scipy.sparse.csr_matrix(ctx.memory.signals[op.A])
    x, y = ctx.positions(op.X), ctx.positions(op.Y)
    if op.X.ndim != 1 or op.Y.ndim != 1:
        raise NotCompilable("sparse dot with matrix operand")
    prog = ctx.program
    args = [prog.const(matrix.data), prog.array(matrix.indices), prog.array(matrix.indptr),
            matrix.shape[0], matrix.nnz, *prog.operand(x), *prog.operand(y), matrix.shape[1]]
    if matrix.has_sorted_indices:
        csc = matrix.tocsc()
        csc.sort_indices()
        args += [prog.const(csc.data), prog.array(csc.indices), prog.array(csc.indptr)]
    else:
        args += [0, 0, -1]
    return _compiled(op, ctx, opcodes.CSR_INC, args, [y])


@NumbaBuilder.register(BsrDotInc)
def build_bsr_dot_inc(op, ctx):
    """``Y += A @ X`` with a block-sparse matrix (a BSR_INC record)."""
    if op.A.ndim != 3:
        raise NotCompilable("block-sparse data is not 3-D")
    _, r, c = op.A.shape
    x, y = ctx.positions(op.X).ravel(), ctx.positions(op.Y).ravel()
    prog = ctx.program
    args = [ctx.start(op.A), r, c, prog.array(op.indices), prog.array(op.indptr),
            len(op.indptr) - 1, *prog.operand(x), *prog.operand(y)]
    if op.A.readonly and c >= 64:  # wide constant blocks (decoders): a column-major copy
        args.append(prog.const(np.swapaxes(op.A.initial_value, 1, 2).ravel()))
    else:
        args.append(-1)
    return _compiled(op, ctx, opcodes.BSR_INC, args, [y])


@NumbaBuilder.register(SimProbe)
def build_sim_probe(op, ctx):
    """Nothing: probes are recorded by the runner's PROBE records."""
    return Entry(op, "noop")  # probes are recorded by PROBE records after each step
