"""Diehl & Cook (2015) training speed: nbsnn against BindsNET 0.3.4 on PyTorch CPU.

Training examples per second at 100 and 400 excitatory neurons on scikit-learn's
digits (64 inputs): Poisson spikes up to 63.75 Hz for 350 ms, then 150 ms of rest,
dt = 1 ms, STDP on, weights normalised once per sample. Both run in the same
invocation on the same machine; BindsNET in its own environment (PyTorch must not
enter nbsnn's), through ``bindsnet_diehl_cook.py``. Run from the repository root::

    python benchmarks/bench_learning.py [--samples 40] [--bindsnet-python PATH]
    python benchmarks/bench_learning.py --accuracy 300 100   # test accuracy too

nbsnn's time excludes the build and the first sample (kernel loading); BindsNET's
excludes its first sample. ``--accuracy N_TRAIN N_TEST`` also trains both 100-neuron
networks on N_TRAIN digits (one pass), freezes them, assigns labels from activity on the
same digits and reports the test accuracy on N_TEST held-out ones.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import subprocess
import sys
import time
import warnings

import nengo
import numpy as np
from sklearn.datasets import load_digits

import nbsnn
from nbsnn.learning import (
    DiehlCook,
    PoissonSpikes,
    assign_labels,
    predict,
    spike_counts,
)

HERE = pathlib.Path(__file__).resolve().parent
T, R = 0.35, 0.15
warnings.filterwarnings("ignore", "divide by zero encountered in log1p")


def nbsnn_rate(n_exc, n_samples):
    """(examples/s, spikes per sample) of nbsnn's Diehl & Cook while it learns."""
    X = load_digits().data / 16.0
    enc = PoissonSpikes(X[: n_samples + 1], presentation_time=T, rest_time=R)
    net = DiehlCook(enc, n_exc=n_exc, seed=0)
    with net:
        probe = nengo.Probe(net.exc.neurons)
    with nbsnn.Simulator(net, progress_bar=False) as sim:
        sim.run(T + R)  # warm-up sample
        t0 = time.perf_counter()
        sim.run(n_samples * (T + R))
        elapsed = time.perf_counter() - t0
    counts = spike_counts(sim.data[probe], enc)[1:]
    return n_samples / elapsed, counts.sum(axis=1).mean()


def _bindsnet(python, *args):
    """Run ``bindsnet_diehl_cook.py`` with ``args``; its JSON as a dict, or
    ``{"error": why}``."""
    if not pathlib.Path(python).exists():
        return {"error": f"no BindsNET environment at {python}"}
    proc = subprocess.run([python, str(HERE / "bindsnet_diehl_cook.py"), *map(str, args)],
                          capture_output=True, text=True, check=False)
    if proc.returncode:
        return {"error": proc.stderr.strip().splitlines()[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def nbsnn_accuracy(n_train, n_test, n_exc=100):
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    order = np.random.RandomState(0).permutation(len(X))
    train, test = order[:n_train], order[-n_test:]

    def counts(images, **kw):
        enc = PoissonSpikes(images, presentation_time=T, rest_time=R)
        net = DiehlCook(enc, n_exc=n_exc, seed=1, **kw)
        with net:
            probe = nengo.Probe(net.exc.neurons)
            end = len(images) * (T + R)
            w = nengo.Probe(net.input_conn, "weights", sample_every=end)
            th = nengo.Probe(net.exc.neurons, "theta", sample_every=end)
        with nbsnn.Simulator(net, progress_bar=False) as sim:
            sim.run(end)
        return spike_counts(sim.data[probe], enc), sim.data[w][-1], sim.data[th][-1]

    _, W, theta = counts(X[train])
    frozen = dict(rule=None, weights=W, theta=theta, inc_theta=0.0)
    assignments = assign_labels(counts(X[train], **frozen)[0], y[train], 10)
    return (predict(counts(X[test], **frozen)[0], assignments, 10) == y[test]).mean()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--bindsnet-python", default=os.environ.get(
        "BINDSNET_PYTHON", "/work/bindsnetenv/bin/python"))
    parser.add_argument("--accuracy", type=int, nargs=2, metavar=("N_TRAIN", "N_TEST"))
    args = parser.parse_args()
    print("| excitatory neurons | nbsnn examples/s | BindsNET examples/s | ratio "
          "| spikes/sample (nbsnn / BindsNET) |")
    print("|---|---|---|---|---|")
    for n_exc in (100, 400):
        rate, spikes = nbsnn_rate(n_exc, args.samples)
        peer = _bindsnet(args.bindsnet_python, n_exc, max(5, args.samples // 4))
        if "error" in peer:
            print(f"| {n_exc} | {rate:.1f} | not run: {peer['error']} | – | {spikes:.1f} / – |")
        else:
            print(f"| {n_exc} | {rate:.1f} | {peer['examples_per_s']:.2f} "
                  f"(torch {peer['torch']}, {peer['threads']} threads) | "
                  f"**{rate / peer['examples_per_s']:.0f}×** | "
                  f"{spikes:.1f} / {peer['spikes_per_sample']:.1f} |")
        sys.stdout.flush()
    if args.accuracy:
        n_train, n_test = args.accuracy
        print(f"\ntest accuracy, 100 neurons, {n_train} train / {n_test} test digits: "
              f"nbsnn {nbsnn_accuracy(n_train, n_test):.1%}", end="; ")
        peer = _bindsnet(args.bindsnet_python, "accuracy", 100, n_train, n_test)
        print("BindsNET " + (peer["error"] if "error" in peer else f"{peer['accuracy']:.1%}"))


if __name__ == "__main__":
    main()
