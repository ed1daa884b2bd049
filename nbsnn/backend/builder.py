"""Translates Nengo operators into records of the compiled step program.

Builders are registered per operator class with `NumbaBuilder.register` and looked
up through the class's MRO, like Nengo's own `~nengo.builder.Builder`. A builder
emits records into the `Program` and returns an `Entry`; raising `NotCompilable`
makes the operator run through Nengo's own Python step function instead.
"""

from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np

from ..kernels import opcodes

__all__ = ["BuildContext", "Entry", "NotCompilable", "NumbaBuilder"]


class NotCompilable(Exception):
    """The operator has no kernel in this form; it runs as Python."""


def _stack(values):
    """Default ``collect``: stack a process's outputs into rows."""
    return np.asarray(values, dtype=np.float64).reshape(len(values), -1), None


@dataclass(eq=False)
class Entry:
    """One operator's place in the step order.

    Parameters
    ----------
    op : Operator
        The Nengo operator.
    kind : {"compiled", "python", "prefetch", "noop"}
        ``compiled`` ops run in kernels; ``python`` ops run Nengo's step function
        between compiled segments; ``prefetch`` ops are state-independent inputs
        whose values are computed in Python for a whole chunk ahead of the kernels;
        ``noop`` ops have nothing to run.
    make : callable or None
        ``make(signals, dt, rng)``, called in step order at every reset so random
        draws happen as in `nengo.Simulator`; returns the Python step function
        (``python``), a source ``f(t) -> values`` (``prefetch``), or nothing.
    width : int
        Number of values a prefetch op produces per step.
    column : int
        First column of a prefetch op in the prefetch table.
    collect : callable or None
        ``collect(values) -> (rows, error)`` of a prefetch op (see
        `BuildContext.prefetch`).
    reason : str or None
        Why a ``python`` op has no kernel (the `NotCompilable` message).
    writes : list of (int, int)
        Buffer ranges a ``python`` op writes, checked for NaN/inf (set by the runner).
    step_fn : callable or None
        What ``make`` returned at the last reset.
    """

    op: object
    kind: str
    make: Optional[Callable] = None
    width: int = 0
    column: int = 0
    collect: Optional[Callable] = None
    reason: Optional[str] = None
    writes: list = field(default_factory=list)
    step_fn: Optional[Callable] = None


class BuildContext:
    """What builders need: the signal memory, the program and the time step.

    ``node_policy(op)`` returns why the Node function of a ``SimPyFunc`` must not be
    compiled (a user's opt-out), or None.
    """

    def __init__(self, memory, program, dt, prefetch_nodes=True, node_policy=None):
        self.memory = memory
        self.program = program
        self.dt = dt
        self.prefetch_nodes = prefetch_nodes
        self.node_policy = node_policy or (lambda op: None)
        self.prefetch_width = 0

    def prefetch(self, op, output, inc, make, collect=None):
        """Emit a record that reads ``output``'s values for each step from the
        prefetch table; ``make(signals, dt, rng)`` returns the source ``f(t)``.

        ``collect(values)`` turns a chunk of source values into rows, returning the
        valid rows and the error of the first invalid value (or None).
        """
        out = self.positions(output)
        opcode = opcodes.PREFETCH_INC if inc else opcodes.PREFETCH
        column = self.prefetch_width
        self.prefetch_width += out.size
        self.program.emit(opcode, [self.program.array(out), out.size, column], op=op,
                          writes=[out])
        return Entry(op, "prefetch", make=make, width=out.size, column=column,
                     collect=collect or _stack)

    def positions(self, sig):
        """Positions of ``sig`` in the float buffer; `NotCompilable` if not there."""
        if not self.memory.is_float(sig):
            raise NotCompilable(f"{sig} is not a packed float64 signal")
        return self.memory.positions(sig)

    def start(self, sig):
        """Start of ``sig`` in the float buffer; `NotCompilable` unless contiguous."""
        pos = self.positions(sig).ravel()
        if pos.size and not np.array_equal(pos, pos[0] + np.arange(pos.size)):
            raise NotCompilable(f"{sig} is not contiguous")
        return int(pos[0]) if pos.size else 0

    def strided(self, sig):
        """``(start, row_stride, col_stride)`` of a 1-D or 2-D float signal."""
        pos = self.positions(sig)
        if pos.size == 0:
            raise NotCompilable(f"{sig} is empty")
        pos2 = pos.reshape(pos.shape + (1,) * (2 - pos.ndim)) if pos.ndim < 2 else pos
        if pos2.ndim != 2:
            raise NotCompilable(f"{sig} has {pos.ndim} dimensions")
        start = pos2[0, 0]
        rs = pos2[1, 0] - start if pos2.shape[0] > 1 else 0
        cs = pos2[0, 1] - start if pos2.shape[1] > 1 else 0
        i, j = np.indices(pos2.shape)
        if not np.array_equal(pos2, start + i * rs + j * cs):
            raise NotCompilable(f"{sig} is not a strided view")
        return int(start), int(rs), int(cs)


class NumbaBuilder:
    """Registry of operator builders, looked up through the operator's MRO."""

    builders = {}

    @classmethod
    def register(cls, op_cls):
        """Decorator registering a builder ``fn(op, ctx) -> Entry`` for ``op_cls``."""

        def register_builder(fn):
            cls.builders[op_cls] = fn
            return fn

        return register_builder

    @classmethod
    def build(cls, op, ctx):
        """Translate ``op``; falls back to a Python entry when it has no kernel."""
        reason = f"no kernel for {type(op).__name__}"
        for klass in type(op).__mro__:
            if klass in cls.builders:
                try:
                    return cls.builders[klass](op, ctx)
                except NotCompilable as e:
                    reason = str(e)
                    break
        return Entry(op, "python", make=op.make_step, reason=reason)
