"""Calling a compiled Node function from the step program.

A Node function that numba compiles (see `nbsnn.backend.node_compile`) becomes a C
function ``int64 f(float64 t, float64 *x, float64 *y)``: it reads the node's input
``x`` and writes its output ``y``, returning 0, or nonzero when this step must run
in Python instead (the function raised or returned a value Nengo would refuse).
Its address reaches the interpreter as data (an entry of ``ia``), so the kernels
stay cacheable and a node can be recompiled by rewriting one integer.
"""

from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic

from ..config import JIT_OPTIONS
from . import linalg


@intrinsic
def _call(typingctx, fn, t, x, y):
    """Call the C function at address ``fn`` with ``(t, x, y)``; ``x``, ``y`` are
    addresses of float64 arrays."""
    sig = types.int64(types.int64, types.float64, types.int64, types.int64)

    def codegen(context, builder, signature, args):
        fn, t, x, y = args
        f64p = ir.DoubleType().as_pointer()
        fnty = ir.FunctionType(ir.IntType(64), [ir.DoubleType(), f64p, f64p])
        callee = builder.inttoptr(fn, fnty.as_pointer())
        return builder.call(callee, [t, builder.inttoptr(x, f64p), builder.inttoptr(y, f64p)])

    return sig, codegen


@njit(**JIT_OPTIONS)
def node(buf, code, p, ia, scratch, where):
    """One step of a compiled Node function; ``where[0]`` receives its status.

    code = [op, fn, t, x, x_mode, n_in, y, y_mode, n_out]: ``ia[fn]`` is the
    function's address, ``t`` the time's position (-1: no time argument), ``x`` and
    ``y`` operands as in `nbsnn.kernels.linalg.at`. The input is copied to
    ``scratch[:n_in]`` (Nengo passes a copy) and the output read from
    ``scratch[n_in:n_in + n_out]``; the output is written only on success.
    """
    x, x_mode, n_in = code[p + 3], code[p + 4], code[p + 5]
    y, y_mode, n_out = code[p + 6], code[p + 7], code[p + 8]
    for i in range(n_in):
        scratch[i] = buf[linalg.at(ia, x, x_mode, i)]
    t = buf[code[p + 2]] if code[p + 2] >= 0 else 0.0
    address = scratch.ctypes.data
    status = _call(ia[code[p + 1]], t, address, address + 8 * n_in)
    if status == 0:
        for i in range(n_out):
            buf[linalg.at(ia, y, y_mode, i)] = scratch[n_in + i]
    where[0] = status
