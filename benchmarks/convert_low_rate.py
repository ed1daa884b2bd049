"""Attempts to raise the digits CNN's low-rate spiking accuracy at equal n_steps.

Setting of the ``d_spiking_scale*`` rows of ``shared/anchors/nengodl_digits.md``
(`nengo.SpikingRectifiedLinear`, 30 steps, synapse 0.01), on models trained with the
anchor recipe and several training seeds, each with several network seeds. Three
studies, each a Markdown table of accuracy and conv0/conv1 rates:

- ``initial-state``: the rule for the spiking neurons' initial voltages (drawn once
  per layer and shared by every sample); Nengo's default is ``Uniform(0, 1)``.
- ``readout``: the output on the last step (NengoDL) or its mean over the presentation.
- ``layer-scales``: conv0 kept at the global scale, conv1 scaled further.
- ``draws``: one model (training seed 0, the committed weights' recipe) at scale 10 with
  ``--draws`` network seeds: how much a draw's conv0 rate (relative to the rate
  model's) moves its accuracy, i.e. what NengoDL's high-rate draw predicts.

Run from the repository root::

    python benchmarks/convert_low_rate.py [--study readout] [--train-seeds 5] [--seeds 5]
"""

from __future__ import annotations

import argparse
import os
import pathlib
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import keras  # noqa: E402
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


def measure(models, x, y, seeds, **options):
    """Evaluate every model with every network seed; return mean ± sd strings."""
    accs, conv0, conv1 = [], [], []
    for model in models:
        for seed in range(seeds):
            res = evaluate(model, x, y, n_steps=30, minibatch_size=60, synapse=0.01,
                           seed=seed, **options)
            accs.append(res.accuracy)
            conv0.append(res.mean_rates["conv0"])
            conv1.append(res.mean_rates["conv1"])
    return (f"{100 * np.mean(accs):.2f}% ± {100 * sd(accs):.2f}", f"{np.mean(conv0):.2f}",
            f"{np.mean(conv1):.2f}")


def draws(model, x, y, n):
    """Print accuracy vs conv0 rate ratio over ``n`` network seeds at scale 10."""
    conv0 = keras.Model(model.input, model.get_layer("conv0").output)
    base_hz = float(np.mean(conv0.predict(x, verbose=0)))
    spiking = {"relu": nengo.SpikingRectifiedLinear()}
    accs, ratios = [], []
    for seed in range(n):
        res = evaluate(model, x, y, n_steps=30, minibatch_size=60, synapse=0.01, seed=seed,
                       scale_firing_rates=10, swap_activations=spiking)
        accs.append(100 * res.accuracy)
        ratios.append(res.mean_rates["conv0"] / (10 * base_hz))
    accs, ratios = np.array(accs), np.array(ratios)
    slope, intercept = np.polyfit(ratios, accs, 1)
    print(f"\nTraining seed 0, scale 10, network seeds 0..{n - 1}: accuracy "
          f"{accs.mean():.2f}% ± {sd(accs):.2f}, conv0 rate / rate-model rate "
          f"{ratios.mean():.3f} ± {sd(ratios):.3f} (min {ratios.min():.3f}, max "
          f"{ratios.max():.3f}); correlation {np.corrcoef(ratios, accs)[0, 1]:.2f}; "
          f"least squares: accuracy = {intercept:.1f} + {slope:.1f} x ratio, i.e. "
          f"{intercept + slope:.2f}% at ratio 1 and {intercept + 1.152 * slope:.2f}% at "
          f"NengoDL's 1.152; {np.sum(accs >= 54.44)} of {n} draws >= NengoDL's 54.44%",
          flush=True)


def main(argv=None):
    """Print the Markdown tables of the chosen studies."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--study", nargs="+",
                        choices=("initial-state", "readout", "layer-scales", "draws"),
                        default=["initial-state", "readout", "layer-scales", "draws"])
    parser.add_argument("--draws", type=int, default=60, help="network seeds of 'draws'")
    parser.add_argument("--train-seeds", type=int, default=5)
    parser.add_argument("--seeds", type=int, default=5, help="network seeds per model")
    parser.add_argument("--scales", type=float, nargs="+", default=[5, 10, 15])
    args = parser.parse_args(argv)
    (_, _), (x, y) = load_digits_split(1.0)
    models = [train(1.0, seed=s) for s in range(args.train_seeds)]
    spiking = {"relu": nengo.SpikingRectifiedLinear()}
    print(f"SpikingRectifiedLinear, 30 steps, synapse 0.01; mean ± sd over "
          f"{args.train_seeds} training seeds x {args.seeds} network seeds")
    if "initial-state" in args.study:
        print("\n| initial voltage | scale | accuracy | conv0 Hz | conv1 Hz |")
        print("|---|---|---|---|---|")
        for rule, dist in RULES.items():
            neuron = nengo.SpikingRectifiedLinear(
                initial_state=None if dist is None else {"voltage": dist})
            for scale in args.scales:
                row = measure(models, x, y, args.seeds, scale_firing_rates=scale,
                              swap_activations={"relu": neuron})
                print(f"| {rule} | {scale:g} | " + " | ".join(row) + " |", flush=True)
    if "readout" in args.study:
        print("\n| readout | scale | accuracy | conv0 Hz | conv1 Hz |")
        print("|---|---|---|---|---|")
        for readout in ("last", "mean"):
            for scale in args.scales:
                row = measure(models, x, y, args.seeds, scale_firing_rates=scale,
                              swap_activations=spiking, readout=readout)
                print(f"| {readout} | {scale:g} | " + " | ".join(row) + " |", flush=True)
    if "layer-scales" in args.study:
        print("\n| conv0 scale | conv1 scale | accuracy | conv0 Hz | conv1 Hz |")
        print("|---|---|---|---|---|")
        for scale in args.scales:
            for factor in (1, 2, 4):
                row = measure(models, x, y, args.seeds, swap_activations=spiking,
                              scale_firing_rates={"conv0": scale, "conv1": scale * factor})
                print(f"| {scale:g} | {scale * factor:g} | " + " | ".join(row) + " |",
                      flush=True)
    if "draws" in args.study:
        draws(models[0], x, y, args.draws)


if __name__ == "__main__":
    sys.exit(main())
