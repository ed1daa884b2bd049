"""Probe storage: chunks of samples appended by the compiled loop."""

import numpy as np
from nengo.simulator import SimulationData

__all__ = ["ProbeBuffer", "ChunkedSimulationData"]


class ProbeBuffer:
    """The samples of one probe, kept as the arrays each run chunk produced.

    Behaves like the list Nengo keeps per probe (``len``, ``append``, ``extend``,
    iteration over samples) but concatenates only when the data is read.
    """

    def __init__(self, shape):
        self.shape = tuple(shape)
        self._chunks = []
        self._len = 0

    def __len__(self):
        return self._len

    def add_chunk(self, samples):
        """Append an array of samples with shape ``(n, *shape)``."""
        if len(samples):
            self._chunks.append(samples)
            self._len += len(samples)

    def append(self, sample):
        self.add_chunk(np.asarray(sample)[None])

    def extend(self, samples):
        for sample in samples:
            self.append(sample)

    def __iter__(self):
        return iter(self.to_array())

    def __getitem__(self, index):
        return self.to_array()[index]

    def to_array(self):
        """All samples as one array of shape ``(len, *shape)``."""
        if len(self._chunks) != 1:
            data = (
                np.concatenate(self._chunks)
                if self._chunks
                else np.zeros((0,) + self.shape)
            )
            self._chunks = [data]
        return self._chunks[0]


class ChunkedSimulationData(SimulationData):
    """`~nengo.simulator.SimulationData` that reads `ProbeBuffer` entries."""

    def __getitem__(self, key):
        raw = self.raw[key]
        if not isinstance(raw, ProbeBuffer):
            return super().__getitem__(key)
        if key not in self._cache or len(self._cache[key]) != len(raw):
            data = raw.to_array().view()
            data.setflags(write=False)
            self._cache[key] = data
        return self._cache[key]
