"""Encoders from data to spikes, as Nengo processes (use them as `nengo.Node` outputs).

Every encoder takes ``data`` in [0, 1], one sample (shape ``(n,)``) or many (shape
``(n_samples, n)``), and presents the samples in turn: each for
``presentation_time`` seconds, then ``rest_time`` seconds of silence, cycling through
the samples. A spike is an output of ``1 / dt`` in one step (a count ``k`` gives
``k / dt``), as Nengo's spiking neurons emit. Encoders depend only on time, so
`nbsnn.Simulator` computes them ahead of the compiled loop (prefetch) with the same
random stream as `nengo.Simulator`.
"""

import nengo
import numpy as np
from nengo.exceptions import ValidationError
from nengo.params import NdarrayParam, NumberParam

__all__ = [
    "BernoulliSpikes",
    "PoissonSpikes",
    "Presentation",
    "RankOrderSpikes",
    "TimeToFirstSpike",
]


class Presentation(nengo.Process):
    """Present each sample (a row of ``data``) for ``presentation_time`` seconds,
    then ``rest_value`` for ``rest_time`` seconds; cycles through the samples.

    The base of the spike encoders; on its own it outputs the data values, e.g. to
    drive neurons with currents.
    """

    data = NdarrayParam("data", shape=("*", "*"))
    presentation_time = NumberParam("presentation_time", low=0, low_open=True)
    rest_time = NumberParam("rest_time", low=0)
    rest_value = NumberParam("rest_value")

    def __init__(self, data, presentation_time=np.inf, rest_time=0.0, rest_value=0.0,
                 **kwargs):
        data = np.asarray(data, dtype=np.float64)
        data = data[None, :] if data.ndim == 1 else data
        self.data = data
        self.presentation_time = presentation_time
        self.rest_time = rest_time
        self.rest_value = rest_value
        super().__init__(default_size_in=0, default_size_out=data.shape[1], **kwargs)

    @property
    def period(self):
        """Seconds from one sample's start to the next one's."""
        return self.presentation_time + self.rest_time

    def steps(self, dt):
        """``(presentation, rest)`` lengths in steps."""
        pres = self.presentation_time / dt
        return (np.inf if np.isinf(pres) else int(round(pres))), int(round(self.rest_time / dt))

    def sample_index(self, t, dt=0.001):
        """Index (into ``data``) of the sample presented at time ``t`` (array-like)."""
        pres, rest = self.steps(dt)
        k = np.round(np.asarray(t) / dt).astype(np.int64) - 1
        if np.isinf(pres):
            return np.zeros_like(k)
        return (k // (pres + rest)) % len(self.data)

    def _schedule(self, t, dt, pres, rest):
        """``(sample, phase)`` at time ``t``: the row of ``data`` and the step within
        its presentation, or ``(None, None)`` while resting."""
        k = int(round(t / dt)) - 1
        if np.isinf(pres):
            return self.data[0], k
        sample, phase = divmod(k, pres + rest)
        if phase >= pres:
            return None, None
        return self.data[sample % len(self.data)], phase

    def make_step(self, shape_in, shape_out, dt, rng, state):
        pres, rest = self.steps(dt)
        rest_out = np.full(shape_out, self.rest_value)

        def step_presentation(t):
            x, _ = self._schedule(t, dt, pres, rest)
            return rest_out if x is None else x

        return step_presentation


class _SpikeEncoder(Presentation):
    """Spikes are drawn a block of steps at a time (a whole presentation, or 1000
    steps without a schedule): ``_block(x, phases, dt, rng)`` gives the spike counts
    of sample ``x`` at the given steps of its presentation, shape ``(steps, n)``."""

    def __init__(self, data, presentation_time=np.inf, rest_time=0.0, **kwargs):
        super().__init__(data, presentation_time, rest_time, **kwargs)
        if not ((self.data >= 0) & (self.data <= 1)).all():
            raise ValidationError(
                f"{type(self).__name__} takes data in [0, 1] (got values in "
                f"[{self.data.min():g}, {self.data.max():g}]); scale it first",
                attr="data", obj=self)

    def make_step(self, shape_in, shape_out, dt, rng, state):
        pres, rest = self.steps(dt)
        length = 1000 if np.isinf(pres) else pres
        silent = np.zeros(shape_out)
        block = [None]

        def step_encoder(t):
            x, phase = self._schedule(t, dt, pres, rest)
            if x is None:
                return silent
            row = phase % length
            if row == 0 or block[0] is None:
                block[0] = self._block(x, phase - row + np.arange(length), dt, rng) / dt
            return block[0][row]

        return step_encoder


class PoissonSpikes(_SpikeEncoder):
    """Rate coding: each input fires a Poisson spike train at ``data * max_rate`` Hz
    (a step may hold several spikes; counts are Poisson with mean ``rate * dt``)."""

    max_rate = NumberParam("max_rate", low=0)

    def __init__(self, data, max_rate=63.75, presentation_time=np.inf, rest_time=0.0,
                 **kwargs):
        super().__init__(data, presentation_time, rest_time, **kwargs)
        self.max_rate = max_rate

    def _block(self, x, phases, dt, rng):
        # inverse-transform sampling: one uniform per input and step
        lam = x * (self.max_rate * dt)
        u = rng.random_sample((phases.size, x.size))
        p = np.exp(-lam) * np.ones_like(u)
        cdf, count, k = p.copy(), np.zeros_like(u), 0
        more = u > cdf
        while more.any() and k < 1000:
            k += 1
            count += more
            p = p * lam / k
            cdf = cdf + p
            more &= u > cdf
        return count


class BernoulliSpikes(_SpikeEncoder):
    """Each input spikes in each step with probability ``data * max_prob``."""

    max_prob = NumberParam("max_prob", low=0, high=1)

    def __init__(self, data, max_prob=1.0, presentation_time=np.inf, rest_time=0.0,
                 **kwargs):
        super().__init__(data, presentation_time, rest_time, **kwargs)
        self.max_prob = max_prob

    def _block(self, x, phases, dt, rng):
        return (rng.random_sample((phases.size, x.size)) < x * self.max_prob) * 1.0


class TimeToFirstSpike(_SpikeEncoder):
    """Latency coding: each input with ``x > 0`` spikes once per presentation,
    ``round((1 - x) * max_latency / dt)`` steps after the presentation starts
    (strongest first); zeros never spike."""

    max_latency = NumberParam("max_latency", low=0)

    def __init__(self, data, max_latency=0.1, presentation_time=np.inf, rest_time=0.0,
                 **kwargs):
        super().__init__(data, presentation_time, rest_time, **kwargs)
        self.max_latency = max_latency

    def _block(self, x, phases, dt, rng):
        when = np.where(x > 0, np.round((1 - x) * (self.max_latency / dt)), -1)
        return (when[None, :] == phases[:, None]) * 1.0


class RankOrderSpikes(_SpikeEncoder):
    """Rank-order coding: the inputs with ``x > 0`` spike once per presentation, one
    at a time every ``interval`` seconds, in order of decreasing ``x`` (ties by index)."""

    interval = NumberParam("interval", low=0, low_open=True)

    def __init__(self, data, interval=0.001, presentation_time=np.inf, rest_time=0.0,
                 **kwargs):
        super().__init__(data, presentation_time, rest_time, **kwargs)
        self.interval = interval

    def _block(self, x, phases, dt, rng):
        every = max(1, int(round(self.interval / dt)))
        order = np.argsort(-x, kind="stable")
        order = order[x[order] > 0]
        when = np.full(x.size, -1)
        when[order] = np.arange(order.size) * every
        return (when[None, :] == phases[:, None]) * 1.0
