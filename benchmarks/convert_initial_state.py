"""Low-rate spiking accuracy of the digits CNN for several initial-voltage rules.

The converter draws the spiking neurons' initial voltages once per layer (shared by
every sample, as NengoDL does) from the neuron type's ``initial_state``; Nengo's default
for `nengo.SpikingRectifiedLinear` is ``Uniform(0, 1)``. This script swaps in other rules
through ``swap_activations`` and measures accuracy and conv0/conv1 rates at the
``d_spiking_scale*`` settings (30 steps, synapse 0.01) of ``shared/anchors/nengodl_digits.md``,
on models trained with the anchor recipe and several training seeds. Run from the
repository root::

    python benchmarks/convert_initial_state.py [--train-seeds 5] [--seeds 5]
"""

from __future__ import annotations

import argparse
import os
import pathlib
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import nengo  # noqa: E402
import numpy as np  # noqa: E402

from bench_converter import sd, train  # noqa: E402
from nbsnn.convert import evaluate  # noqa: E402
from nbsnn.convert.data import load_digits_split  # noqa: E402


class Stratified(nengo.dists.Distribution):
    """``n`` values, one uniform draw in each of ``n`` equal bins of [0, 1), shuffled."""

    def sample(self, n, d=None, rng=np.random):
        assert d is None
        return (rng.permutation(n) + rng.uniform(size=n)) / n


RULES = {
    "Uniform(0, 1) (Nengo default)": None,
    "stratified Uniform(0, 1)": Stratified(),
    "0.5 (round)": nengo.dists.Choice([0.5]),
    "0 (floor)": nengo.dists.Choice([0.0]),
}


def main(argv=None):
    """Print a Markdown table: rule, scale, accuracy and rates over all draws."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train-seeds", type=int, default=5)
    parser.add_argument("--seeds", type=int, default=5, help="network seeds per model")
    parser.add_argument("--scales", type=float, nargs="+", default=[5, 10, 15])
    args = parser.parse_args(argv)
    (_, _), (x, y) = load_digits_split(1.0)
    models = [train(1.0, seed=s) for s in range(args.train_seeds)]
    print(f"SpikingRectifiedLinear, 30 steps, synapse 0.01; mean ± sd over "
          f"{args.train_seeds} training seeds x {args.seeds} network seeds")
    print("| initial voltage | scale | accuracy | conv0 Hz | conv1 Hz |")
    print("|---|---|---|---|---|")
    for rule, dist in RULES.items():
        neuron = nengo.SpikingRectifiedLinear(
            initial_state=None if dist is None else {"voltage": dist})
        for scale in args.scales:
            accs, conv0, conv1 = [], [], []
            for model in models:
                for seed in range(args.seeds):
                    res = evaluate(model, x, y, n_steps=30, minibatch_size=60,
                                   swap_activations={"relu": neuron},
                                   scale_firing_rates=scale, synapse=0.01, seed=seed)
                    accs.append(res.accuracy)
                    conv0.append(res.mean_rates["conv0"])
                    conv1.append(res.mean_rates["conv1"])
            print(f"| {rule} | {scale:g} | {100 * np.mean(accs):.2f}% ± {100 * sd(accs):.2f} "
                  f"| {np.mean(conv0):.2f} | {np.mean(conv1):.2f} |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
