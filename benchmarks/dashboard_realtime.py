"""Real-time factor of a live session's run loop, with five views, on a chain of LIF ensembles.

Usage: ``python benchmarks/dashboard_realtime.py [simulated seconds] [ensembles] [neurons each]``
(default 10 s, 10 × 1,000). Runs `nbsnn.dashboard.LiveSession` at full speed
(``speed=None``) with nbsnn.Simulator and five views (value, raster, voltage,
rates, rate map of the last ensemble; ring buffers and bokeh sources included,
no browser), and prints the real-time factor and the frames sent per second.
"""

import asyncio
import sys
import time

import nengo
import numpy as np

from nbsnn.dashboard import LiveSession

VIEWS = ("value", "raster", "voltage", "rates", "rate_map")


def chain(n_ensembles=10, n_neurons=1000):
    with nengo.Network(seed=0) as net:
        prev = nengo.Node(0.5, label="stim")
        for i in range(n_ensembles):
            ens = nengo.Ensemble(n_neurons, 1, label=f"e{i}")
            nengo.Connection(prev, ens)
            prev = ens
    return net


def main(duration=10.0, n_ensembles=10, n_neurons=1000):
    net = chain(int(n_ensembles), int(n_neurons))
    session = LiveSession(net, speed=None)
    try:
        for kind in VIEWS:
            session.view(kind, net.all_ensembles[-1])
        session.step(10)  # build and warm up
        start, t0 = time.perf_counter(), session.time
        asyncio.run(session.run(duration))
        wall = time.perf_counter() - start
        simulated = session.time - t0
        neurons = int(n_ensembles) * int(n_neurons)
        print(f"{neurons:,} LIF neurons, {len(VIEWS)} views, in the live loop: {simulated:.1f} s "
              f"simulated in {wall:.1f} s wall = {simulated / wall:.2f}x real time "
              f"({session.frames} frames, {session.frames / wall:.1f} fps sent)")
        assert np.isfinite(session.real_time_factor)
    finally:
        session.close()


if __name__ == "__main__":
    main(*(float(a) for a in sys.argv[1:]))
