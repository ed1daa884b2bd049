"""Evaluate functions used by the sweep tests (module level, so workers can import them)."""

import os

import nengo
import numpy as np

from nbsnn.simulator import Simulator


def decode_error(n_neurons, synapse, seed=0):
    """RMS error of a spiking ensemble decoding a constant 0.5 (a real Nengo simulation)."""
    with nengo.Network(seed=seed) as net:
        stim = nengo.Node(0.5)
        ens = nengo.Ensemble(n_neurons, 1)
        nengo.Connection(stim, ens)
        probe = nengo.Probe(ens, synapse=synapse)
    with Simulator(net, progress_bar=False) as sim:
        sim.run(0.1)
    decoded = sim.data[probe][50:, 0]
    return {"metric": float(np.sqrt(np.mean((decoded - 0.5) ** 2))), "pid": os.getpid()}


def arithmetic(a, b, log=None, offset=0.0, weights=None):
    """``a * b + offset`` (+ sum of ``weights``); appends ``a,b`` to ``log``; fails at a == 0."""
    if log is not None:
        with open(log, "a") as f:
            f.write(f"{a},{b}\n")
    if a == 0:
        raise ZeroDivisionError(f"a={a} is not allowed")
    value = a * b + offset
    if weights is not None:
        value += float(np.sum(weights))
    return {"accuracy": value, "mean_rate": float(a), "latency": float(b)}


def slow(a, log):
    """Sleep a little, then log and return ``a``: gives a test time to interrupt a sweep."""
    import time

    time.sleep(0.4)
    with open(log, "a") as f:
        f.write(f"{a}\n")
    return float(a)


def crash(a):
    """Kill the worker process at ``a == 1`` (as a segfault would); return ``a`` otherwise."""
    if a == 1:
        os._exit(3)
    return float(a)
