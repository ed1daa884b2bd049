"""Packs a model's signals into two flat buffers that compiled kernels index.

Nengo keeps one NumPy array per base signal. nbsnn copies every dense float64 base
into one float buffer (mutable signals first, read-only ones after) and every int64
base into one int buffer, then points the simulator's `SignalDict` at views of
those buffers. Nengo's own Python step functions (used for operators without a
kernel) and the compiled kernels therefore work on the same memory.
"""

import numpy as np
from nengo.builder.signal import SignalDict

__all__ = ["SignalMemory", "packable"]


def _is_packable(sig, array, dtype):
    return not sig.sparse and isinstance(array, np.ndarray) and array.dtype == dtype


def packable(signals):
    """Whether every dense signal is float64 or int64 (the kernels' types)."""
    return all(
        sig.sparse or _is_packable(sig, array, np.float64) or _is_packable(sig, array, np.int64)
        for sig, array in signals.items()
        if sig.base is sig
    )


class SignalMemory:
    """Flat float64 and int64 buffers holding a model's base signals.

    Parameters
    ----------
    signals : SignalDict
        The signals as initialised by Nengo (``op.init_signals``); their base
        arrays are replaced in place by views of the new buffers.

    Attributes
    ----------
    buf, ibuf : ndarray
        The float64 and int64 buffers.
    n_mutable : int
        Length of the prefix of ``buf`` that holds writable signals.
    """

    def __init__(self, signals):
        bases = [s for s in signals if s.base is s]
        floats = [s for s in bases if _is_packable(s, signals[s], np.float64)]
        floats.sort(key=lambda s: s.readonly)  # mutable first
        ints = [s for s in bases if _is_packable(s, signals[s], np.int64)]

        self.start = {}
        self.buf, self.n_mutable = self._pack(floats, signals, np.float64)
        self.ibuf, _ = self._pack(ints, signals, np.int64)
        self.float_bases = set(floats)
        self.int_bases = set(ints)
        self._float_index = np.arange(self.buf.size, dtype=np.int64)
        self._int_index = np.arange(self.ibuf.size, dtype=np.int64)
        self.initial_buf = self.buf.copy()
        self.initial_ibuf = self.ibuf.copy()

        packed = dict(signals)
        for sig in floats + ints:
            buffer = self.buf if sig in self.float_bases else self.ibuf
            view = buffer[self.start[sig] : self.start[sig] + sig.size].reshape(sig.shape)
            view.setflags(write=not sig.readonly)
            packed[sig] = view
        # keep unpacked bases (sparse, other dtypes); views are re-derived lazily
        self.signals = SignalDict()
        for sig, value in packed.items():
            if sig.base is sig:
                dict.__setitem__(self.signals, sig, value)

    def _pack(self, sigs, signals, dtype):
        total, n_mutable = 0, 0
        for sig in sigs:
            self.start[sig] = total
            total += sig.size
            n_mutable = total if not sig.readonly else n_mutable
        buffer = np.zeros(total, dtype=dtype)
        for sig in sigs:
            buffer[self.start[sig] : self.start[sig] + sig.size] = np.ravel(signals[sig])
        return buffer, n_mutable

    def is_float(self, sig):
        """Whether ``sig`` lives in the float buffer."""
        return sig is not None and sig.base in self.float_bases

    def positions(self, sig):
        """Buffer positions of each element of ``sig`` (an int64 array of its shape)."""
        base = sig.base
        start = self.start[base]
        everything = self._float_index if base in self.float_bases else self._int_index
        index = everything[start : start + base.size]
        return np.ndarray(
            shape=sig.shape, dtype=np.int64, buffer=index, offset=sig.offset,
            strides=sig.strides,
        ).copy()

    def reset(self):
        """Restore every signal to its initial value."""
        self.buf[:] = self.initial_buf
        self.ibuf[:] = self.initial_ibuf
        for sig in self.signals:
            if sig.base is sig and sig not in self.start:
                self.signals.reset(sig)
