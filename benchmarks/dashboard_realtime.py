"""Real-time factor of the live dashboard's run loop on a 10,000-neuron network.

Usage: ``python benchmarks/dashboard_realtime.py [simulated seconds]``. Runs
`nbsnn.dashboard.live.LiveRunner` (the dashboard's loop, plots and ring buffers
included, no browser) at full speed (``speed=None``) on ten chained ensembles of
1,000 LIF neurons, with nbsnn.Simulator, and prints the real-time factor.
"""

import asyncio
import sys
import time

import nengo
import numpy as np

from nbsnn.dashboard.live import LiveRunner


def chain(n_ensembles=10, n_neurons=1000):
    with nengo.Network(seed=0) as net:
        prev = nengo.Node(0.5, label="stim")
        for i in range(n_ensembles):
            ens = nengo.Ensemble(n_neurons, 1, label=f"e{i}")
            nengo.Connection(prev, ens)
            prev = ens
    return net


def main(duration=10.0):
    runner = LiveRunner(chain(), speed=None)
    try:
        runner.step(10)  # build and warm up
        start, t0 = time.perf_counter(), runner.time
        asyncio.run(runner.run(duration))
        wall = time.perf_counter() - start
        simulated = runner.time - t0
        print(f"10,000 LIF neurons in the dashboard loop: {simulated:.1f} s simulated in "
              f"{wall:.1f} s wall = {simulated / wall:.1f}x real time "
              f"({runner.frames} frames, {runner.frames / wall:.1f} fps)")
        assert np.isfinite(runner.real_time_factor)
    finally:
        runner.close()


if __name__ == "__main__":
    main(*(float(a) for a in sys.argv[1:]))
