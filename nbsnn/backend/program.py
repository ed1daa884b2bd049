"""The step program: the arrays that drive `nbsnn.kernels.interpreter.run`."""

import numpy as np

from ..kernels import linalg, random, records

__all__ = ["Program"]


class Program:
    """Accumulates kernel records, index arrays and constants for one model.

    A record is ``[opcode, *args]``, its fields as `nbsnn.kernels.records.FIELDS`
    lists them; integer arguments that refer to index arrays or constants are
    offsets returned by `array` and `const`.
    """

    def __init__(self, watched=None):
        self.watched = watched  # buffer positions whose NaN/inf is an error
        self._code = []
        self._starts = []
        self._ia = []
        self._ia_len = 0
        self._fc = []
        self._fc_len = 0
        self._checks = []
        self.ops = []  # the Nengo operator behind each record
        self.rngs = []  # RandomStates whose streams compiled kernels draw from
        #: compiled Node functions: (record, offset of its address in ``ia``, CompiledNode)
        self.nodes = []

    def __len__(self):
        return len(self._starts)

    def code_of(self, k):
        """The op code of record ``k``."""
        return self._code[self._starts[k]]

    def array(self, values):
        """Store an integer array; returns its offset in ``ia``."""
        values = np.asarray(values, dtype=np.int64).ravel()
        offset = self._ia_len
        self._ia.append(values)
        self._ia_len += values.size
        return offset

    def operand(self, positions):
        """``(start, RUN)`` for consecutive buffer positions, ``(position, SAME)`` for
        one position repeated (a broadcast scalar), else ``(offset, INDEXED)`` of an
        index array; kernels address it with `nbsnn.kernels.linalg.at`."""
        pos = np.asarray(positions, dtype=np.int64).ravel()
        if pos.size and np.array_equal(pos, pos[0] + np.arange(pos.size)):
            return int(pos[0]), linalg.RUN
        if pos.size and (pos == pos[0]).all():
            return int(pos[0]), linalg.SAME
        return self.array(pos), linalg.INDEXED

    def const(self, *values):
        """Store float constants (scalars or arrays, concatenated); returns the offset."""
        flat = np.concatenate([np.ravel(np.asarray(v, dtype=np.float64)) for v in values])
        offset = self._fc_len
        self._fc.append(flat)
        self._fc_len += flat.size
        return offset

    def rng_stream(self, rng):
        """Register a `numpy.random.RandomState`; returns its stream offset in ``rng``."""
        self.rngs.append(rng)
        return (len(self.rngs) - 1) * (random.N + 1)

    def emit(self, opcode, args, op=None, writes=()):
        """Append a record; ``writes`` are the buffer positions the op writes,
        checked for NaN/inf (where ``watched``) when the program runs in checked mode."""
        fields = records.FIELDS[opcode]
        if len(args) != len(fields):
            raise ValueError(
                f"{records.name(opcode)} record takes {len(fields)} arguments "
                f"({', '.join(fields)}), got {len(args)}")
        self._starts.append(len(self._code))
        self._code.append(opcode)
        self._code.extend(int(a) for a in args)
        ranges = []
        for pos in writes:
            pos = np.asarray(pos).ravel()
            if self.watched is not None:
                pos = pos[self.watched[pos]]
            if pos.size:
                ranges.extend((pos.min(), pos.max() + 1))
        offset = self.array(ranges)
        self._checks.extend((offset, offset + len(ranges)))
        self.ops.append(op)

    def finalize(self):
        """Return the arrays in the form the interpreter takes."""
        ia = np.concatenate(self._ia) if self._ia else np.zeros(0, dtype=np.int64)
        return dict(
            code=np.asarray(self._code, dtype=np.int64),
            starts=np.asarray(self._starts, dtype=np.int64),
            ia=np.concatenate([ia, np.zeros(1, dtype=np.int64)]),
            fc=np.concatenate(self._fc + [np.zeros(1)]),
            checks=np.asarray(self._checks + [0, 0], dtype=np.int64),
        )
