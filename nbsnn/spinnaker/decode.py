"""Turn recorded spike times back into Nengo probe data on the host."""

import numpy as np

__all__ = ["bin_spikes", "decode_recordings", "ProbeData"]


class ProbeData(dict):
    """Probe -> array mapping, the shape of ``nengo.Simulator.data`` for probes.

    Attributes
    ----------
    dt : float
        Time step (s) of the arrays.
    """

    def __init__(self, data, dt):
        super().__init__(data)
        self.dt = dt

    def trange(self):
        """Return the times (s) of the rows, like ``nengo.Simulator.trange()``."""
        n = len(next(iter(self.values()))) if self else 0
        return self.dt * np.arange(1, n + 1)


def bin_spikes(spiketrains, n_steps, dt):
    """Count spikes per Nengo step and scale them like Nengo does (1/dt per spike).

    Parameters
    ----------
    spiketrains : sequence of array_like
        Spike times in ms, one sequence per neuron.
    n_steps : int
        Number of Nengo steps.
    dt : float
        Nengo step (s); a spike in ``((k-1) dt, k dt]`` belongs to step ``k``.

    Returns
    -------
    ndarray
        ``(n_steps, n_neurons)`` spike array in Nengo's units.
    """
    out = np.zeros((n_steps, len(spiketrains)))
    for j, times in enumerate(spiketrains):
        times = np.asarray(times, dtype=float) / (dt * 1e3)
        steps = np.ceil(times - 1e-6).astype(int) - 1
        steps = steps[(steps >= 0) & (steps < n_steps)]
        np.add.at(out[:, j], steps, 1.0 / dt)
    return out


def decode_recordings(description, spiketrains):
    """Compute every probe's data from recorded spikes.

    Parameters
    ----------
    description : NetworkDescription
        The exported network.
    spiketrains : dict
        Population label -> list of per-neuron spike-time arrays (ms).

    Returns
    -------
    ProbeData
    """
    data = dict(description.host_data)
    for rec in description.recordings:
        spikes = bin_spikes(spiketrains[rec.population], description.n_steps, description.dt)
        if rec.decoders is None:
            values = spikes[:, rec.neurons] * rec.amplitude
        else:
            values = spikes @ rec.decoders.T
        if rec.synapse is not None:
            values = rec.synapse.filt(values, dt=description.dt, y0=0)
        data[rec.probe] = values
    return ProbeData(data, description.dt)
