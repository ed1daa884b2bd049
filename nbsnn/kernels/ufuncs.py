"""NumPy's own float64 loops for the transcendental functions, callable from kernels.

NumPy evaluates ``np.expm1``, ``np.log1p``, ``np.exp`` and ``np.tanh`` with its own
SIMD code (AVX-512/AVX2 where the CPU has it), whose results differ from the C
library's ``math`` functions in the last bit for a few percent of inputs. Calling
the very loop NumPy runs makes the compiled neurons bit-identical to
`nengo.Simulator` on any CPU, and vectorised: kernels gather the arguments into a
contiguous array and make one call per step.

The loop of a ufunc is read from its ``PyUFuncObject`` (NumPy's documented C
struct): ``functions[i]`` and ``data[i]`` for the first ``d->d`` entry of ``types``,
which is the loop NumPy itself selects. The addresses are process-specific, so they
reach compiled code as data (`TABLE`, passed to the interpreter), which keeps the
kernels cacheable. Should the struct not look as expected, the entry stays zero and
the kernels fall back to the ``math`` functions.
"""

import ctypes
import math

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic

from ..config import JIT_OPTIONS

#: Indices into `TABLE`, in the order of `UFUNCS`.
EXPM1, LOG1P, EXP, TANH = 0, 1, 2, 3
UFUNCS = (np.expm1, np.log1p, np.exp, np.tanh)

_HEAD = object.__basicsize__  # PyObject_HEAD
_FUNCTIONS, _DATA, _NTYPES, _NAME, _TYPES = (_HEAD + k for k in (16, 24, 32, 40, 48))


def float64_loop(ufunc):
    """``(function, data)`` addresses of NumPy's ``d->d`` loop of ``ufunc``, or
    ``(0, 0)`` when its ``PyUFuncObject`` does not have the expected layout."""
    base = id(ufunc)
    ntypes = ctypes.c_int.from_address(base + _NTYPES).value
    name = ctypes.c_char_p.from_address(base + _NAME).value
    if "d->d" not in ufunc.types or ntypes != ufunc.ntypes or name != ufunc.__name__.encode():
        return 0, 0
    codes = ctypes.string_at(ctypes.c_void_p.from_address(base + _TYPES).value, 2 * ntypes)
    expected = [np.dtype(t.split("->")[0]).num for t in ufunc.types]
    if list(codes[::2]) != expected:
        return 0, 0
    index = ufunc.types.index("d->d")
    functions = ctypes.c_void_p.from_address(base + _FUNCTIONS).value
    data = ctypes.c_void_p.from_address(base + _DATA).value
    fn = ctypes.c_void_p.from_address(functions + 8 * index).value
    return fn or 0, ctypes.c_void_p.from_address(data + 8 * index).value or 0


#: ``[function, data]`` of each of `UFUNCS`, flattened.
TABLE = np.array([a for ufunc in UFUNCS for a in float64_loop(ufunc)], dtype=np.int64)


@intrinsic
def _call_loop(typingctx, fn, data, src, dst, n):
    """Call a NumPy inner loop ``fn(args, dimensions, steps, data)`` on contiguous
    float64 arrays at addresses ``src`` and ``dst`` (all arguments are integers)."""
    sig = types.void(types.int64, types.int64, types.int64, types.int64, types.int64)

    def codegen(context, builder, signature, args):
        fn, data, src, dst, n = args
        i8p = ir.IntType(8).as_pointer()
        i64 = ir.IntType(64)
        argv = builder.alloca(i8p, size=ir.Constant(i64, 2))
        builder.store(builder.inttoptr(src, i8p), argv)
        builder.store(builder.inttoptr(dst, i8p), builder.gep(argv, [ir.Constant(i64, 1)]))
        dims = builder.alloca(i64)
        builder.store(n, dims)
        steps = builder.alloca(i64, size=ir.Constant(i64, 2))
        builder.store(ir.Constant(i64, 8), steps)
        builder.store(ir.Constant(i64, 8), builder.gep(steps, [ir.Constant(i64, 1)]))
        fnty = ir.FunctionType(ir.VoidType(), [i8p.as_pointer(), i64.as_pointer(),
                                               i64.as_pointer(), i8p])
        loop = builder.inttoptr(fn, fnty.as_pointer())
        builder.call(loop, [argv, dims, steps, builder.inttoptr(data, i8p)])
        return context.get_dummy_value()

    return sig, codegen


@njit(**JIT_OPTIONS)
def apply(table, k, src, dst, n):
    """``dst[:n] = UFUNCS[k](src[:n])`` with NumPy's loop (``src`` may be ``dst``)."""
    fn = table[2 * k]
    if n <= 0:
        return
    if fn != 0:
        _call_loop(fn, table[2 * k + 1], src.ctypes.data, dst.ctypes.data, n)
    elif k == EXPM1:
        for i in range(n):
            dst[i] = math.expm1(src[i])
    elif k == LOG1P:
        for i in range(n):
            dst[i] = math.log1p(src[i])
    elif k == EXP:
        for i in range(n):
            dst[i] = math.exp(src[i])
    else:
        for i in range(n):
            dst[i] = math.tanh(src[i])
