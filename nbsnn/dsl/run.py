"""Run a network on `nbsnn.Simulator` and keep the probe data as plain arrays."""

from __future__ import annotations

from dataclasses import dataclass, field

import nengo
import numpy as np

__all__ = ["RunResult", "run"]


@dataclass
class RunResult:
    """Probe data of one run, kept after the simulator is closed.

    Attributes
    ----------
    network : nengo.Network
        The network that ran.
    dt : float
        Time step in seconds.
    trange : numpy.ndarray
        Time of each step, shape ``(n_steps,)``.
    data : dict
        ``nengo.Probe -> numpy.ndarray`` for every probe of the network.

    Notes
    -----
    ``result["b_probe"]`` looks a probe up by its label;
    ``result[probe]`` by the probe object.
    """

    network: nengo.Network
    dt: float
    trange: np.ndarray
    data: dict = field(repr=False)

    @property
    def probes(self) -> dict:
        """Probe label -> probe."""
        return {str(p.label): p for p in self.data}

    def trange_for(self, probe: nengo.Probe) -> np.ndarray:
        """Sample times of ``probe`` (differs from `trange` with ``sample_every``)."""
        every = probe.sample_every
        if every is None:
            return self.trange
        n = len(self.data[probe])
        return every * np.arange(1, n + 1)

    def __getitem__(self, key) -> np.ndarray:
        if isinstance(key, str):
            probes = self.probes
            if key not in probes:
                raise KeyError(f"no probe labelled {key!r}; probes: {sorted(probes)}")
            key = probes[key]
        return self.data[key]

    def layout(self):
        """Bokeh layout with one figure per probe (see `nbsnn.plotting`)."""
        from ..plotting import probes_layout

        return probes_layout(self.trange_for, self.data, list(self.data))


def run(network: nengo.Network, duration: float, dt: float = 0.001,
        seed: int | None = None) -> RunResult:
    """Simulate ``network`` for ``duration`` seconds on `nbsnn.Simulator`.

    Parameters
    ----------
    network : nengo.Network
        The network to run.
    duration : float
        Simulated time in seconds.
    dt : float
        Time step in seconds.
    seed : int, optional
        Fixes every random choice of the run: the simulator's seed, and the
        network's seed (encoders, gains, biases) when the network has none.
        A network seed that is set (``%%snn NAME --seed N``) is kept.

    Returns
    -------
    RunResult
    """
    from ..simulator import Simulator

    own_seed = network.seed
    if seed is not None and own_seed is None:
        network.seed = seed
    try:
        with Simulator(network, dt=dt, seed=seed, progress_bar=False) as sim:
            sim.run(duration)
            data = {p: np.array(sim.data[p]) for p in network.all_probes}
            trange = np.array(sim.trange())
    finally:
        network.seed = own_seed
    return RunResult(network, dt, trange, data)
