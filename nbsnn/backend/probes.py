"""Probe storage: chunks of samples appended by the compiled loop."""

import numpy as np
from nengo.ensemble import Neurons
from nengo.simulator import SimulationData

from ..kernels import compact

__all__ = ["ProbeBuffer", "ChunkedSimulationData", "SpikeEvents", "records_spikes"]


def records_spikes(probe):
    """Whether ``probe`` records the unfiltered output of spiking neurons, which is
    stored as events (the few nonzero entries of each sample)."""
    return (
        isinstance(probe.target, Neurons)
        and probe.attr == "output"
        and probe.synapse is None
        and probe.target.ensemble.neuron_type.spiking
    )


class SpikeEvents:
    """Samples stored as events: for each, ``[count, indices..., values...]`` of its
    nonzero entries, flattened into ``data``; `to_array` restores the dense form."""

    def __init__(self, data, count, shape):
        self.data, self.count, self.shape = data, count, tuple(shape)

    def __len__(self):
        return self.count

    def to_array(self):
        dense = np.zeros((self.count, int(np.prod(self.shape))))
        compact.expand_events(self.data, dense)
        return dense.reshape((self.count,) + self.shape)


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
        """Append an array of samples with shape ``(n, *shape)``, or `SpikeEvents`."""
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
        chunks = [c.to_array() if isinstance(c, SpikeEvents) else c for c in self._chunks]
        if len(chunks) != 1:
            chunks = [np.concatenate(chunks) if chunks else np.zeros((0,) + self.shape)]
        self._chunks = chunks
        return chunks[0]


class ChunkedSimulationData(SimulationData):
    """`~nengo.simulator.SimulationData` that reads `ProbeBuffer` entries."""

    def __getitem__(self, key):
        raw = self.raw[key]
        if not isinstance(raw, ProbeBuffer):
            return super().__getitem__(key)
        if not len(raw):  # as Nengo: np.asarray of an empty list
            empty = np.zeros(0)
            empty.setflags(write=False)
            return empty
        if key not in self._cache or len(self._cache[key]) != len(raw):
            data = raw.to_array().view()
            data.setflags(write=False)
            self._cache[key] = data
        return self._cache[key]
