"""Compiling Node functions with numba, so they run inside the step program.

`compile_node` turns a Node's function (``f(t)``, ``f(t, x)``, ``f()`` or ``f(x)``)
into a C function ``int64 step(float64 t, float64 *x, float64 *y)`` that
`nbsnn.kernels.nodes.node` calls by address. It raises `NotCompilable`, with the
reason, when the function cannot run in compiled code *with Nengo's numbers*:

- numba cannot compile it in nopython mode (the numba error, summarised);
- it returns something other than numbers, a 1-D array, a tuple or a list of them;
- it uses an operation whose compiled version rounds differently from what NumPy or
  Python computes (`INEXACT`: NumPy's reductions and products, ``@``, binary
  transcendentals, powers of arrays, integer powers that numba unrolls into
  multiplications; the unary transcendentals are routed to NumPy's own loops by
  `nbsnn.backend.node_numpy`), or draws random numbers (`RANDOM`).

Numba freezes the values a function reads from its closure and its module globals.
Nengo would see them change, so each compiled function keeps a `Capture` of those
values; `CompiledNode.refresh` (called before every chunk) recompiles the function
when one of them has changed. Compiled functions are kept per process, keyed by the
function's code and captured values, so rebuilding a network costs no compile.

At run time the wrapper returns 0 on success. It returns nonzero, and the step
runs Nengo's own Python step function instead, where the function raised (an index
out of range, a division by zero) or its value is not finite or has the wrong
shape: Python then raises Nengo's error or, where NumPy's semantics differ from
numba's (``np.float64(1) / 0`` is inf), computes Nengo's value.
"""

import math
import operator
import random
import time
import types as pytypes
from collections import OrderedDict

import numpy as np
from numba import carray, cfunc, njit, types
from numba.core.registry import CPUDispatcher
from numba.extending import overload

from .builder import NotCompilable
from .node_capture import Capture, code_key, value_key
from .node_numpy import exact_copy

__all__ = ["CompiledNode", "INEXACT", "RANDOM", "compile_node"]

#: NumPy functions and array methods whose numba version gives other last bits than
#: NumPy's: transcendental ufuncs (NumPy runs its own SIMD code), and reductions and
#: products (pairwise summation, BLAS).
INEXACT = {
    getattr(np, name) for name in (
        "exp", "expm1", "exp2", "log", "log2", "log10", "log1p", "sin", "cos", "tan",
        "arcsin", "arccos", "arctan", "arctan2", "sinh", "cosh", "tanh", "arcsinh",
        "arccosh", "arctanh", "hypot", "power", "float_power", "cbrt", "logaddexp",
        "logaddexp2", "sum", "mean", "prod", "std", "var", "dot", "vdot", "inner",
        "matmul", "average", "nansum", "nanmean", "nanprod", "nanstd", "nanvar", "cov",
        "corrcoef", "interp", "convolve", "correlate", "trapz", "cumprod",
    ) if hasattr(np, name)
} | {getattr(np.linalg, name) for name in ("norm", "solve", "inv", "det", "lstsq", "pinv")}
#: Random draws: numba's generators are not NumPy's global `RandomState` or Python's
#: `random` (other streams, other numbers).
RANDOM = {v for m in (np.random, random) for v in vars(m).values()
          if isinstance(getattr(v, "__self__", None), (np.random.RandomState, random.Random))}
_INEXACT_METHODS = {"sum", "mean", "prod", "std", "var", "dot", "cumprod"}
#: Integer exponents for which numba's unrolled power equals C's ``pow``.
_EXACT_INT_POWERS = {-1, 0, 1, 2}
#: Compiled functions kept per process (each holds a little machine code).
CACHE_SIZE = 256
_cache = OrderedDict()

_SIGNATURE = types.int64(types.float64, types.CPointer(types.float64),
                         types.CPointer(types.float64))
_ARRAY = types.Array(types.float64, 1, "C")


# -- exactness ------------------------------------------------------------------------

_ROUNDS = ", whose compiled version rounds differently (results would not be Nengo's)"


def _member(key, group):
    try:
        return key in group
    except TypeError:  # an unhashable typing key
        return False


def _inexact(cres, seen=None):
    """What a compiled function (or a jitted function it calls) does that would not
    give Nengo's numbers, in words ("uses np.sum, whose..."), or None."""
    seen = set() if seen is None else seen
    annotation = cres.type_annotation
    for ty in annotation.typemap.values():
        if isinstance(ty, types.Function) and _member(ty.typing_key, RANDOM):
            name = getattr(ty.typing_key, "__name__", "random")
            return (f"draws random numbers ({name}) with numba's own generator, not "
                    "NumPy's or Python's (results would not be Nengo's)")
        if isinstance(ty, types.Function) and _member(ty.typing_key, INEXACT):
            key = ty.typing_key
            return f"uses np.{getattr(key, '__name__', key)}" + _ROUNDS
        if isinstance(ty, types.BoundFunction) and isinstance(ty.this, types.Array):
            method = ty.typing_key[-1] if isinstance(ty.typing_key, tuple) else ""
            if method in _INEXACT_METHODS:
                return f"uses x.{method}()" + _ROUNDS
        if isinstance(ty, types.Dispatcher) and id(ty.dispatcher) not in seen:
            seen.add(id(ty.dispatcher))
            for inner in ty.dispatcher.overloads.values():
                found = _inexact(inner, seen)
                if found:
                    return found
    for expr, sig in annotation.calltypes.items():
        fn = getattr(expr, "op", None) in ("binop", "inplace_binop") and expr.fn
        if fn in (operator.matmul, operator.imatmul):
            return "uses the @ operator" + _ROUNDS
        if fn in (operator.pow, operator.ipow) and sig is not None:
            base, exponent = sig.args
            rhs = getattr(expr, "rhs", None)  # the call's types lose literal values
            exponent = annotation.typemap.get(getattr(rhs, "name", None), exponent)
            exact_int = (isinstance(exponent, types.IntegerLiteral)
                         and exponent.literal_value in _EXACT_INT_POWERS)
            if (isinstance(base, types.Array) or isinstance(exponent, types.Array)) and not (
                    exact_int and exponent.literal_value != 0):
                return "uses ** on arrays (other than x ** 2, x ** -1, x ** 1)" + _ROUNDS
            if isinstance(exponent, types.Integer) and not exact_int:
                return ("uses ** with an integer exponent (write a float one, e.g. "
                        "x ** 3.0)" + _ROUNDS)
    return None


# -- the C wrapper --------------------------------------------------------------------

def _store(value, y):
    """Write a Node function's return value into ``y`` as Nengo's ``output[...] =
    value``; returns 0, or 2 for a non-finite value, 3 for a shape Nengo refuses."""


@overload(_store)
def _store_impl(value, y):
    if isinstance(value, (types.Number, types.Boolean)):
        def store(value, y):
            v = value * 1.0  # float(), also of a bool
            if not math.isfinite(v):
                return 2
            for i in range(y.size):
                y[i] = v
            return 0
        return store
    sequence = (isinstance(value, types.Array) and value.ndim == 1) or isinstance(
        value, (types.UniTuple, types.List))
    if sequence and isinstance(value.dtype, (types.Number, types.Boolean)):
        def store(value, y):
            n = len(value)
            if n != y.size and n != 1:
                return 3
            for i in range(n):
                if not math.isfinite(value[i] * 1.0):
                    return 2
            for i in range(y.size):
                y[i] = value[i if n > 1 else 0] * 1.0
            return 0
        return store
    return None


def _returns(rt):
    """Whether `_store` takes the return type ``rt``."""
    if isinstance(rt, (types.Number, types.Boolean)):
        return not isinstance(rt, types.Complex)
    if (isinstance(rt, types.Array) and rt.ndim == 1) or isinstance(
            rt, (types.UniTuple, types.List)):
        return isinstance(rt.dtype, (types.Integer, types.Float, types.Boolean))
    return False


def _wrap(jitted, has_t, n_in, n_out):
    """The C function ``int64 step(t, x, y)`` around a jitted Node function."""
    if has_t and n_in:
        def step(t, xp, yp):
            x = carray(xp, (n_in,))
            try:
                value = jitted(t, x)
            except Exception:  # noqa: BLE001 - the step reruns in Python, which raises
                return 1
            return _store(value, carray(yp, (n_out,)))
    elif has_t:
        def step(t, xp, yp):
            try:
                value = jitted(t)
            except Exception:  # noqa: BLE001
                return 1
            return _store(value, carray(yp, (n_out,)))
    elif n_in:
        def step(t, xp, yp):
            x = carray(xp, (n_in,))
            try:
                value = jitted(x)
            except Exception:  # noqa: BLE001
                return 1
            return _store(value, carray(yp, (n_out,)))
    else:
        def step(t, xp, yp):
            try:
                value = jitted()
            except Exception:  # noqa: BLE001
                return 1
            return _store(value, carray(yp, (n_out,)))
    return cfunc(_SIGNATURE)(step)


# -- compiling ------------------------------------------------------------------------

def _summary(error):
    """The gist of a numba error: its first line that says what went wrong."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    for line in lines:
        if not line.startswith(("Failed in", "During:", "File ", "^", ">")) and len(line) > 8:
            return line[:200]
    return (lines[0] if lines else type(error).__name__)[:200]


class CompiledNode:
    """A Node function compiled to a C function at `address`.

    Parameters
    ----------
    fn : function
        The Node's function (a plain Python function or a numba dispatcher).
    has_t, n_in, n_out
        Whether it takes time, its input and output sizes.
    """

    def __init__(self, fn, has_t, n_in, n_out):
        self.fn, self.has_t, self.n_in, self.n_out = fn, has_t, n_in, n_out
        self.compile_seconds = 0.0
        self.capture, self.address = self._compile()

    def _compile(self):
        fn = self.fn
        py = fn.py_func if isinstance(fn, CPUDispatcher) else fn
        if not isinstance(py, pytypes.FunctionType):
            raise NotCompilable(f"its function is a {type(fn).__name__}, not a Python "
                                "function numba can compile")
        capture = Capture(py)
        key = (code_key(py.__code__), value_key(py.__defaults__), capture.key(),
               self.has_t, self.n_in, self.n_out, id(fn) if isinstance(fn, CPUDispatcher) else 0)
        if key in _cache:
            _cache.move_to_end(key)
            compiled, _ = _cache[key]
        else:
            start = time.perf_counter()
            compiled = self._jit(fn, py)
            self.compile_seconds += time.perf_counter() - start
            # the captured objects stay alive with the entry: their ids stay theirs
            _cache[key] = compiled, (fn, capture.values)
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
        if isinstance(compiled, str):
            raise NotCompilable(compiled)
        self._wrapper = compiled  # keeps the machine code at `address` alive
        return capture, compiled.address

    def _jit(self, fn, py):
        """The C wrapper, or the reason why there is none (also cached)."""
        jitted = fn if isinstance(fn, CPUDispatcher) else njit(exact_copy(py), boundscheck=True)
        args = (types.float64,) * self.has_t + (_ARRAY,) * bool(self.n_in)
        try:
            jitted.compile(args)
        except Exception as e:  # noqa: BLE001 - numba's many error types
            return f"numba could not compile its function: {_summary(e)}"
        cres = jitted.overloads.get(args) or jitted.overloads[jitted.signatures[-1]]
        rt = cres.signature.return_type
        if not _returns(rt):
            return f"its function returns {rt}, not numbers or a 1-D array of them"
        inexact = _inexact(cres)
        if inexact:
            return f"its function {inexact}"
        try:
            return _wrap(jitted, self.has_t, self.n_in, self.n_out)
        except Exception as e:  # noqa: BLE001
            return f"numba could not compile its function's wrapper: {_summary(e)}"


    def refresh(self):
        """Recompile if a captured value changed; returns whether the address did.

        Raises `NotCompilable` if the function no longer compiles.
        """
        if not self.capture.changed():
            return False
        self.capture, address = self._compile()
        changed, self.address = address != self.address, address
        return changed


def compile_node(op):
    """A `CompiledNode` for the `~nengo.builder.operator.SimPyFunc` ``op``.

    Raises `NotCompilable` saying why the function must run in Python.
    """
    if op.output is None:
        raise NotCompilable("the node has no output (its function runs for side effects)")
    if op.output.ndim != 1 or (op.x is not None and op.x.ndim != 1):
        raise NotCompilable("the node's signals are not vectors")
    n_in = 0 if op.x is None else op.x.size
    if op.x is not None and n_in == 0:
        raise NotCompilable("the node's input is empty")
    return CompiledNode(op.fn, op.t is not None, n_in, op.output.size)
