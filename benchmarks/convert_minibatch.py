"""Converted digits CNN: build and run time per minibatch size, on both simulators.

360 test images, SpikingRectifiedLinear, scale 100, synapse 0.01, 30 steps; the best of 3
runs each, with and without probes on the neuron layers. Prints the Markdown table of
docs/converter.md ("Minibatch size and simulator speed"). Run from the repository root::

    python benchmarks/convert_minibatch.py
"""

import os
import pathlib

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import nengo  # noqa: E402
import numpy as np  # noqa: E402

import nbsnn  # noqa: E402
from nbsnn.convert import Converter, run_batches  # noqa: E402
from nbsnn.convert.data import load_digits_split  # noqa: E402
from nbsnn.convert.models import digits_cnn  # noqa: E402

WEIGHTS = pathlib.Path(__file__).resolve().parents[1] / "tests/convert/data/digits_cnn.weights.h5"


def best_of(model, x, y, simulator, minibatch, probes, repeats=3):
    """Best build and run times of ``repeats`` evaluations, and the accuracy."""
    swap = {keras.activations.relu: nengo.SpikingRectifiedLinear()}
    build, run = np.inf, np.inf
    for _ in range(repeats):
        conv = Converter(model, swap_activations=swap, scale_firing_rates=100, synapse=0.01,
                         minibatch_size=minibatch, seed=0)
        res = run_batches(conv, x, 30, probe_neurons=probes, simulator=simulator, seed=0)
        build, run = min(build, res["build_time"]), min(run, res["run_time"])
    return build, run, float(np.mean(res["output"][:, -1].argmax(-1) == y))


def main():
    model = digits_cnn()
    model.load_weights(WEIGHTS)
    _, (x, y) = load_digits_split(1.0)
    print("| simulator | minibatch B | neuron probes | build s | run s (360 images) | accuracy |")
    print("|---|---|---|---|---|---|")
    for simulator in (nengo.Simulator, nbsnn.Simulator):
        for minibatch in (20, 60, 120, 360):
            plain = best_of(model, x, y, simulator, minibatch, probes=False)
            probed = best_of(model, x, y, simulator, minibatch, probes=True)
            print(f"| {simulator.__module__.split('.')[0]}.Simulator | {minibatch} | no / yes "
                  f"| {plain[0]:.2f} / {probed[0]:.2f} | {plain[1]:.2f} / {probed[1]:.2f} "
                  f"| {100 * plain[2]:.2f}% |", flush=True)


if __name__ == "__main__":
    main()
