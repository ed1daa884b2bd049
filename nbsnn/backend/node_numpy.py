"""NumPy's own transcendental loops for compiled Node functions.

Numba computes ``np.exp``, ``np.tanh``, ``np.sin``... with the C library, NumPy with
its own SIMD code, and their results differ in the last bit for a few percent of
inputs. Before a Node function is compiled, `exact_copy` gives numba a copy of it
whose ``np`` (any global bound to the numpy module) is a stand-in module where these
functions call the very float64 loop NumPy runs (`nbsnn.kernels.ufuncs`), on
scalars and float64/integer arrays; so compiled nodes compute Nengo's numbers.
"""

import types as pytypes

import numpy as np
from numba import types
from numba.extending import overload

from ..kernels.ufuncs import _call_loop, float64_loop

__all__ = ["EXACT", "exact_copy"]

_NAMES = ("exp", "expm1", "exp2", "log", "log2", "log10", "log1p", "sin", "cos", "tan",
          "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "arcsinh", "arccosh",
          "arctanh", "cbrt")


def _exact(ufunc):
    """A function numba compiles to NumPy's ``d->d`` loop of ``ufunc`` (or None)."""
    fn, data = float64_loop(ufunc)
    if not fn:
        return None

    def stub(x):
        raise NotImplementedError  # only called from compiled code

    stub.__name__ = stub.__qualname__ = ufunc.__name__

    @overload(stub)
    def _impl(x):
        if isinstance(x, (types.Float, types.Integer)) and not isinstance(x, types.Boolean):
            if isinstance(x, types.Float) and x.bitwidth != 64:
                return None

            def scalar(x):
                a = np.empty(2)
                a[0] = x
                _call_loop(fn, data, a.ctypes.data, a.ctypes.data + 8, 1)
                return a[1]
            return scalar
        if isinstance(x, types.Array) and (
                x.dtype == types.float64 or isinstance(x.dtype, types.Integer)):
            def array(x):
                src = np.ascontiguousarray(x).astype(np.float64)
                out = np.empty(src.shape)
                _call_loop(fn, data, src.ctypes.data, out.ctypes.data, src.size)
                return out
            return array
        return None

    return stub


#: ``{ufunc: stand-in}`` for the ufuncs routed to NumPy's loops.
EXACT = {u: s for u, s in ((getattr(np, n), _exact(getattr(np, n))) for n in _NAMES) if s}

_module = pytypes.ModuleType("numpy")
_module.__dict__.update(np.__dict__)
_module.__dict__.update({u.__name__: s for u, s in EXACT.items()})


def exact_copy(fn):
    """``fn`` with its globals' ``numpy`` module and routed ufuncs replaced by the
    stand-ins (``fn`` itself when it reads none of them)."""
    glob = fn.__globals__
    swap = {}
    for name in fn.__code__.co_names:
        value = glob.get(name)
        if value is np:
            swap[name] = _module
        elif isinstance(value, np.ufunc) and value in EXACT:
            swap[name] = EXACT[value]
    if not swap:
        return fn
    copy = pytypes.FunctionType(fn.__code__, {**glob, **swap}, fn.__name__,
                                fn.__defaults__, fn.__closure__)
    copy.__kwdefaults__ = fn.__kwdefaults__
    return copy
