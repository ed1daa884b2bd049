"""What a Node function reads from outside: its closure cells and module globals.

Numba freezes these values into the compiled code. `Capture` remembers them as
compiled, so `nbsnn.backend.node_compile.CompiledNode.refresh` can tell when one has
changed (and the function must be compiled again), and gives a hashable key of
them for the per-process cache of compiled functions.
"""

import hashlib
import types as pytypes

import numpy as np

__all__ = ["Capture", "code_key", "value_key"]


def _names(code):
    """Global names read by ``code`` and the code objects nested in it."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, pytypes.CodeType):
            names |= _names(const)
    return names


class Capture:
    """The values a function reads from its closure and globals, as numba froze them."""

    def __init__(self, fn):
        self.fn = fn
        self.cells = fn.__closure__ or ()
        glob = fn.__globals__
        self.names = sorted(n for n in _names(fn.__code__) if n in glob)
        self.values = self._read()

    def _now(self):
        values = [_contents(cell) for cell in self.cells]
        return values + [self.fn.__globals__.get(name) for name in self.names]

    def _read(self):
        return [v.copy() if isinstance(v, np.ndarray) else v for v in self._now()]

    def changed(self):
        """Whether a captured value differs from what was compiled."""
        return any(not _same(a, b) for a, b in zip(self._now(), self.values))

    def key(self):
        """A hashable summary of the captured values (for the compile cache)."""
        return tuple(value_key(v) for v in self.values)

    def arrays(self):
        """Names of captured writeable arrays (mutable from Python)."""
        names = list(self.fn.__code__.co_freevars) + self.names
        return [name for name, v in zip(names, self.values) if isinstance(v, np.ndarray)]


def code_key(code):
    """What the compiled code depends on: bytecode, constants, names (not the file
    or line, so a notebook cell run again reuses its compiled functions)."""
    consts = tuple(code_key(c) if isinstance(c, pytypes.CodeType) else value_key(c)
                   for c in code.co_consts)
    return (code.co_code, consts, code.co_names, code.co_varnames, code.co_freevars,
            code.co_argcount, code.co_flags)


def _contents(cell):
    try:
        return cell.cell_contents
    except ValueError:  # a cell not assigned yet
        return None


def _same(now, then):
    if isinstance(then, np.ndarray):
        if not (isinstance(now, np.ndarray) and now.dtype == then.dtype
                and now.shape == then.shape):
            return False
        try:
            return np.array_equal(now, then, equal_nan=True)
        except TypeError:  # no NaN in this dtype
            return np.array_equal(now, then)
    if isinstance(then, (bool, int, float, complex, str, bytes, type(None))):
        return type(now) is type(then) and (now == then or (now != now and then != then))
    if isinstance(then, tuple):
        return (isinstance(now, tuple) and len(now) == len(then)
                and all(_same(a, b) for a, b in zip(now, then)))
    return now is then


def value_key(value):
    """A hashable key of a captured value: its contents for arrays, numbers and tuples,
    its identity for anything else."""
    if isinstance(value, np.ndarray) and not value.dtype.hasobject:
        digest = hashlib.sha256(np.ascontiguousarray(value).view(np.uint8)).digest()
        return ("array", value.dtype.str, value.shape, digest)
    if isinstance(value, tuple):
        return ("tuple",) + tuple(value_key(v) for v in value)
    if isinstance(value, (bool, int, float, complex, str, bytes, type(None))):
        return (type(value).__name__, repr(value))
    return ("object", id(value))
