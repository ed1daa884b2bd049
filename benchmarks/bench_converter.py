"""Converted digits CNN on the 360 test images: accuracy, rates and wall time per condition.

Reproduces the conditions of ``shared/anchors/nengodl_digits.md`` (same model, split,
neurons, n_steps, synapses and scales) with `nbsnn.convert.evaluate`, and prints a
Markdown table with NengoDL 3.6's figures beside nbsnn's. Run from the repository root::

    python benchmarks/bench_converter.py [--minibatch 60] [--epochs-reg 60] [--quick]
    python benchmarks/bench_converter.py --train-seeds 20 [--seeds 5]
    python benchmarks/bench_converter.py --lowlat [--seeds 5] [--deep-seeds 3]

``digits_cnn`` uses the committed weights (``tests/convert/data``); the other models are
trained here (plain Keras, seed 0; the regularised ones with `FiringRateRegularizer`).
``--quick`` runs only the ``digits_cnn`` rows. Wall times: ``convert+build`` is
`Converter` plus simulator build, ``run`` the simulation of all 360 images, measured twice
(first / last run; numpy has no compile step) beside NengoDL's warm figure. Accuracy is
the mean ± sd (sample sd) over ``--seeds`` network seeds (the seed draws the spiking
neurons' initial voltages; NengoDL's figure is one draw).

``--train-seeds N`` runs only the training-seed study instead: it trains the anchor
recipe with seeds 0..N-1 and evaluates the low-rate ``digits_cnn`` conditions (and the
scales of ``RATE_CURVE_SCALES``, to read accuracy off at NengoDL's conv0 rate) on each
model with ``--seeds`` network seeds, then places NengoDL's single draw in that
distribution.

``--lowlat`` runs only the low-latency study instead: NengoDL's recipe (ReLU trained as in
the anchor, ``SpikingRectifiedLinear``, rate scaling, synapse 0.01, last-step read-out)
against conversion-aware training with `QCFS` layers (same recipe with each ReLU replaced
by ``QCFS(L)``, then `IntegrateAndFire` neurons, no synapse, mean read-out), on the
anchor CNN and on a deeper CNN on digits upsampled to 16 x 16; accuracy and spikes per
inference (all layers) after T steps, mean ± sd over training seeds (each model is
trained with seed s and converted with network seed s).
"""

from __future__ import annotations

import argparse
import os
import pathlib
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import nengo  # noqa: E402
import numpy as np  # noqa: E402

from nbsnn.convert import Converter, evaluate, run_batches  # noqa: E402
from nbsnn.convert.data import load_digits_split  # noqa: E402
from nbsnn.convert.models import digits_cnn, digits_deep_cnn  # noqa: E402
from nbsnn.convert.regularization import (  # noqa: E402
    FiringRateRegularizer,
    rate_scales_from_data,
)
from nbsnn.neurons import IntegrateAndFire  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[1]
WEIGHTS = ROOT / "tests" / "convert" / "data" / "digits_cnn.weights.h5"

# condition -> (spiking, n_steps, synapse, scale)
CONDITIONS = {
    "a_rate_relu": (False, 10, None, 1),
    "b_spiking_naive": (True, 30, None, 1),
    "c_spiking_synapse0.001": (True, 60, 0.001, 1),
    "c_spiking_synapse0.005": (True, 60, 0.005, 1),
    "c_spiking_synapse0.01": (True, 60, 0.01, 1),
    "d_spiking_scale2": (True, 30, 0.01, 2),
    "d_spiking_scale5": (True, 30, 0.01, 5),
    "d_spiking_scale10": (True, 30, 0.01, 10),
    "x_spiking_scale50": (True, 30, 0.01, 50),
    "x_spiking_scale100": (True, 30, 0.01, 100),
    "x_spiking_scale1000_nosyn": (True, 10, None, 1000),
}
REG_CONDITIONS = ("a_rate_relu", "b_spiking_naive", "c_spiking_synapse0.01")
REG_N_STEPS = {"c_spiking_synapse0.01": 30}  # the anchor's regularised rows use 30 steps

# NengoDL 3.6.0 figures from shared/anchors/nengodl_digits.md: (accuracy %, conv0 Hz, warm s)
ANCHOR = {
    ("digits_cnn", "a_rate_relu"): (97.78, 0.46, 0.37),
    ("digits_cnn", "b_spiking_naive"): (12.50, 0.54, 0.82),
    ("digits_cnn", "c_spiking_synapse0.001"): (11.67, 0.57, 2.66),
    ("digits_cnn", "c_spiking_synapse0.005"): (9.44, 0.57, 2.69),
    ("digits_cnn", "c_spiking_synapse0.01"): (12.78, 0.57, 2.20),
    ("digits_cnn", "d_spiking_scale2"): (19.17, 1.14, 1.07),
    ("digits_cnn", "d_spiking_scale5"): (22.78, 2.71, 2.71),
    ("digits_cnn", "d_spiking_scale10"): (54.44, 5.30, 0.77),
    ("digits_cnn", "x_spiking_scale50"): (93.33, 23.45, 0.98),
    ("digits_cnn", "x_spiking_scale100"): (96.39, 46.44, 1.36),
    ("digits_cnn", "x_spiking_scale1000_nosyn"): (92.78, 461.57, 0.15),
    ("digits_cnn_in255", "a_rate_relu"): (95.83, 14.83, 0.70),
    ("digits_cnn_in255", "b_spiking_naive"): (10.83, 15.02, 1.41),
    ("digits_cnn_in255", "c_spiking_synapse0.001"): (12.50, 14.93, 2.77),
    ("digits_cnn_in255", "c_spiking_synapse0.005"): (22.50, 14.93, 1.98),
    ("digits_cnn_in255", "c_spiking_synapse0.01"): (40.83, 14.93, 2.18),
    ("digits_cnn_in255", "d_spiking_scale2"): (50.56, 29.86, 1.39),
    ("digits_cnn_in255", "d_spiking_scale5"): (86.39, 74.32, 1.25),
    ("digits_cnn_in255", "d_spiking_scale10"): (94.72, 148.45, 1.34),
    ("digits_cnn_in255", "x_spiking_scale50"): (95.56, 741.45, 1.35),
    ("digits_cnn_in255", "x_spiking_scale100"): (96.11, 1482.73, 1.37),
    ("digits_cnn_in255", "x_spiking_scale1000_nosyn"): (95.56, 14826.26, 0.32),
    ("digits_cnn_reg", "a_rate_relu"): (96.11, 16.12, 0.40),
    ("digits_cnn_reg", "b_spiking_naive"): (10.00, 16.26, 1.39),
    ("digits_cnn_reg", "c_spiking_synapse0.01"): (43.89, 16.26, 1.37),
    ("digits_cnn_reg_in255", "a_rate_relu"): (91.94, 192.36, 0.77),
    ("digits_cnn_reg_in255", "b_spiking_naive"): (13.61, 192.72, 1.55),
    ("digits_cnn_reg_in255", "c_spiking_synapse0.01"): (81.11, 192.72, 1.37),
}


# training-seed study: conditions evaluated on every trained model, and extra scales
# around d_spiking_scale10 (same neuron, 30 steps, synapse 0.01) for accuracy vs rate
TRAIN_SEED_CONDITIONS = ("d_spiking_scale2", "d_spiking_scale5", "d_spiking_scale10",
                         "x_spiking_scale50")
RATE_CURVE_SCALES = (9, 11, 12, 13)
NENGODL_RATE_MODEL_HZ = 0.46  # NengoDL's conv0 rate in a_rate_relu (its own weights)
# d_spiking_scale10 at the scale that puts each model's expected conv0 rate at NengoDL's
MATCHED = "d_spiking_scale10 rate-matched"


def train(scale, regularizer=None, epochs=40, lr=1e-3, seed=0, build=None, size=8):
    """Train the anchor CNN (or ``build()``) on digits in [0, scale] (Adam, batch 32)."""
    keras.utils.set_random_seed(seed)
    (x_train, y_train), _ = load_digits_split(scale, size)
    model = digits_cnn(regularizer) if build is None else build()
    model.compile(
        optimizer=keras.optimizers.Adam(lr),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    model.fit(x_train, y_train, epochs=epochs, batch_size=32, verbose=0)
    return model


def run_seeds(model, x, y, spiking, n_steps, synapse, scale, minibatch, seeds):
    """Evaluate one condition once per network seed 0..seeds-1.

    Returns per-seed accuracies and conv0 rates (arrays) and the (convert+build, run)
    wall times of every run.
    """
    swap = {keras.activations.relu: nengo.SpikingRectifiedLinear()} if spiking else None
    accs, rates, times = [], [], []
    for seed in range(seeds):
        t0 = time.perf_counter()
        conv = Converter(model, swap_activations=swap, scale_firing_rates=scale,
                         synapse=synapse, minibatch_size=minibatch, seed=seed)
        convert_time = time.perf_counter() - t0
        res = run_batches(conv, x, n_steps, probe_neurons=True, seed=seed)
        times.append((convert_time + res["build_time"], res["run_time"]))
        accs.append(float(np.mean(res["output"][:, -1].argmax(-1) == y)))
        rates.append(float(res["neurons"]["conv0"].mean()))
    return np.array(accs), np.array(rates), times


def sd(values):
    """Sample standard deviation (0 for a single value)."""
    return float(np.std(values, ddof=1)) if len(values) > 1 else 0.0


def run_condition(model, x, y, spiking, n_steps, synapse, scale, minibatch, seeds):
    """Evaluate one condition once per seed.

    Returns mean and sample standard deviation of the accuracy over seeds, the mean
    conv0 rate, and (convert+build, run) wall times of every run.
    """
    accs, rates, times = run_seeds(model, x, y, spiking, n_steps, synapse, scale,
                                   minibatch, seeds)
    return float(np.mean(accs)), sd(accs), float(np.mean(rates)), times


def rate_model_hz(model, x):
    """Mean conv0 ReLU activity of ``model`` on ``x``: the rate network's conv0 rate."""
    conv0 = keras.Model(model.input, model.get_layer("conv0").output)
    return float(np.mean(conv0.predict(x, verbose=0)))


def train_seed_study(n_train, seeds, minibatch):
    """Train the anchor recipe with seeds 0..n_train-1; print where NengoDL's draws lie."""
    (_, _), (x, y) = load_digits_split(1.0)
    names = TRAIN_SEED_CONDITIONS
    curve = sorted(set(RATE_CURVE_SCALES) | {CONDITIONS["d_spiking_scale10"][3]})
    # accuracies and conv0 rate / rate-network rate of every (training, network) seed draw
    draws = {name: ([], []) for name in names + (MATCHED,)}
    per_model = []  # per training seed: Keras acc, rate network Hz, results, matched, curve
    print(f"Training-seed study: anchor recipe with seeds 0..{n_train - 1}, "
          f"{seeds} network seeds each, minibatch {minibatch}")
    print("| training seed | Keras acc | rate-model conv0 Hz | "
          + " | ".join(f"{n} acc / Hz" for n in names)
          + " | rate-matched scale: acc @ conv0 Hz |")
    print("|---|---|---|" + "---|" * len(names) + "---|")
    target_rate = ANCHOR[("digits_cnn", "d_spiking_scale10")][1]
    for train_seed in range(n_train):
        t0 = time.perf_counter()
        model = train(1.0, seed=train_seed)
        keras_acc = float(np.mean(model.predict(x, verbose=0).argmax(-1) == y))
        base_hz = rate_model_hz(model, x)
        results = {}
        for name in names:
            spiking, n_steps, synapse, scale = CONDITIONS[name]
            accs, rates, _ = run_seeds(model, x, y, spiking, n_steps, synapse, scale,
                                       minibatch, seeds)
            draws[name][0].extend(accs)
            draws[name][1].extend(rates / (scale * base_hz))
            results[name] = (accs.mean(), rates.mean())
        curve_acc, curve_hz = [], []
        for scale in curve:
            if scale == CONDITIONS["d_spiking_scale10"][3]:
                acc, hz = results["d_spiking_scale10"]
            else:
                accs, rates, _ = run_seeds(model, x, y, True, 30, 0.01, scale, minibatch,
                                           seeds)
                acc, hz = accs.mean(), rates.mean()
            curve_acc.append(acc)
            curve_hz.append(hz)
        # the scale whose expected conv0 rate (scale x rate-model rate) is NengoDL's
        matched = target_rate / base_hz
        accs, rates, _ = run_seeds(model, x, y, True, 30, 0.01, matched, minibatch, seeds)
        at_rate = (accs.mean(), rates.mean(), matched)
        draws[MATCHED][0].extend(accs)
        draws[MATCHED][1].extend(rates / (matched * base_hz))
        per_model.append((keras_acc, base_hz, results, at_rate, curve_hz, curve_acc))
        print(f"| {train_seed} | {100 * keras_acc:.2f}% | {base_hz:.3f} | "
              + " | ".join(f"{100 * results[n][0]:.2f}% / {results[n][1]:.2f}"
                           for n in names)
              + f" | {100 * at_rate[0]:.2f}% @ {at_rate[1]:.2f} Hz (scale {at_rate[2]:.1f}) |",
              flush=True)
        print(f"training seed {train_seed}: {time.perf_counter() - t0:.0f} s", file=sys.stderr)

    def mean_sd(values, fmt="{:.2f}", factor=1.0):
        values = factor * np.asarray(values, dtype=float)
        return f"{fmt.format(np.mean(values))} ± {fmt.format(sd(values))}"

    print("| mean ± sd over training seeds | "
          + mean_sd([m[0] for m in per_model], factor=100) + " | "
          + mean_sd([m[1] for m in per_model], fmt="{:.3f}") + " | "
          + " | ".join(mean_sd([m[2][n][0] for m in per_model], factor=100) + " / "
                       + mean_sd([m[2][n][1] for m in per_model]) for n in names)
          + " | " + mean_sd([m[3][0] for m in per_model], factor=100) + " @ "
          + mean_sd([m[3][1] for m in per_model]) + " |")

    print("\nAccuracy vs conv0 rate (SpikingRectifiedLinear, 30 steps, synapse 0.01; "
          "mean over network seeds) per training seed")
    print("| training seed | " + " | ".join(f"scale {s}" for s in curve) + " |")
    print("|---|" + "---|" * len(curve))
    for train_seed, m in enumerate(per_model):
        print(f"| {train_seed} | " + " | ".join(
            f"{100 * a:.2f}% @ {hz:.2f} Hz" for hz, a in zip(m[4], m[5])) + " |")

    print(f"\nNengoDL's single draw within the {n_train} x {seeds} (training seed, "
          f"network seed) draws of nbsnn")
    print("| condition | NengoDL acc | nbsnn acc: mean ± sd of single draws | "
          "draws >= NengoDL | NengoDL spiking/rate-model conv0 | nbsnn ratio mean ± sd "
          "| draws >= NengoDL ratio |")
    print("|---|---|---|---|---|---|---|")
    for name in names + (MATCHED,):
        accs, ratios = (np.asarray(v) for v in draws[name])
        cond = "d_spiking_scale10" if name == MATCHED else name
        a_acc, a_hz, _ = ANCHOR[("digits_cnn", cond)]
        a_ratio = a_hz / (CONDITIONS[cond][3] * NENGODL_RATE_MODEL_HZ)
        print(f"| {name} | {a_acc:.2f}% | {mean_sd(accs, factor=100)}% "
              f"| {np.sum(100 * accs >= a_acc - 1e-9)} / {accs.size} | {a_ratio:.3f} "
              f"| {mean_sd(ratios, fmt='{:.3f}')} | {np.sum(ratios >= a_ratio)} / "
              f"{ratios.size} |", flush=True)


# low-latency study. A run: (model, training, row label, how it is converted), where the
# training is "relu" (the anchor recipe) or "qcfsL" (the same with QCFS(L) for each ReLU)
# and the conversion one of ("recipe", scale, synapse): NengoDL's recipe;
# ("if", neuron type): QCFS layers swapped to that neuron type, no synapse, mean read-out;
# ("posthoc", L[, T]): the ReLU model through to_qcfs(L) with thresholds from training
# data, no retraining (with T: biases calibrated for T steps on the training data, Li et
# al. 2021), then as "if".
LOWLAT_STEPS = (1, 2, 4, 8, 10, 30)
IF = IntegrateAndFire()
LOWLAT_RUNS = [
    ("digits_cnn", "relu in 0-255", "NengoDL recipe, scale 10", ("recipe", 10, 0.01)),
    ("digits_cnn", "relu", "NengoDL recipe, scale 100", ("recipe", 100, 0.01)),
    ("digits_cnn", "qcfs2", "QCFS L=2", ("if", IF)),
    ("digits_cnn", "qcfs4", "QCFS L=4", ("if", IF)),
    ("digits_cnn", "qcfs8", "QCFS L=8", ("if", IF)),
    ("digits_cnn", "qcfs4", "QCFS L=4, initial voltage 0",
     ("if", IntegrateAndFire(initial_state={"voltage": nengo.dists.Choice([0.0])}))),
    ("digits_cnn", "qcfs4", "QCFS L=4, SpikingRectifiedLinear", (
        "if", nengo.SpikingRectifiedLinear())),
    ("digits_cnn", "relu", "ReLU, post-hoc to_qcfs(L=4), no retraining", ("posthoc", 4)),
    ("digits_cnn", "relu", "ReLU, post-hoc to_qcfs(L=4), biases calibrated for T=2",
     ("posthoc", 4, 2)),
]
DEEP_RUNS = [
    ("digits_deep_cnn", "relu", "NengoDL recipe, scale 100", ("recipe", 100, 0.01)),
    ("digits_deep_cnn", "qcfs2", "QCFS L=2", ("if", IF)),
    ("digits_deep_cnn", "qcfs4", "QCFS L=4", ("if", IF)),
    ("digits_deep_cnn", "relu", "ReLU, post-hoc to_qcfs(L=4), no retraining", ("posthoc", 4)),
    ("digits_deep_cnn", "relu", "ReLU, post-hoc to_qcfs(L=4), biases calibrated for T=2",
     ("posthoc", 4, 2)),
]


def lowlat_model(name, training, seed, cache=None):
    """Train (or load from ``cache``) one model of the low-latency study."""
    scale_in = 255.0 if training.endswith("0-255") else 1.0
    levels = int(training[4:]) if training.startswith("qcfs") else None
    size = 16 if name == "digits_deep_cnn" else 8
    build = (lambda: digits_deep_cnn(size, levels=levels)) if size == 16 else (
        lambda: digits_cnn(levels=levels))
    path = cache and pathlib.Path(cache) / f"{name}-{training}-{seed}.weights.h5"
    if path and path.exists():
        model = build()
        model.load_weights(path)
    else:
        model = train(scale_in, seed=seed, build=build, size=size)
        if path:
            path.parent.mkdir(parents=True, exist_ok=True)
            model.save_weights(path)
    return model, scale_in, size


def spiking_curve(model, x, y, n_steps, swap, scale, synapse, readout, seed, minibatch,
                  dt=0.001):
    """Accuracy and spikes per inference (all layers) after each of ``n_steps`` steps."""
    conv = Converter(model, swap_activations=swap, scale_firing_rates=scale,
                     synapse=synapse, minibatch_size=minibatch, seed=seed, dt=dt)
    res = run_batches(conv, x, n_steps, probe_neurons=True, seed=seed, dt=dt)
    out = res["output"]
    if readout == "mean":
        out = np.cumsum(out, axis=1) / np.arange(1, n_steps + 1)[None, :, None]
    acc = np.mean(out.argmax(-1) == y[:, None], axis=0)
    spikes = dt * sum(np.cumsum(a.sum(axis=2), axis=1).mean(axis=0)
                      for a in res["neurons"].values())
    return acc, spikes


def lowlat_study(runs, seeds, minibatch, cache=None):
    """Print the low-latency table for ``runs`` (see ``LOWLAT_RUNS``)."""
    from nbsnn.convert import calibrate_biases, to_qcfs

    print(f"mean ± sd over training seeds 0..{seeds - 1}; minibatch {minibatch}")
    print("| model | conversion | neurons | synapse | read-out | ANN acc | T | "
          "spiking acc | spikes per inference |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, training, label, how in runs:
        curves, keras_accs = [], []
        for seed in range(seeds):
            model, scale_in, size = lowlat_model(name, training, seed, cache)
            (x_train, _), (x, y) = load_digits_split(scale_in, size)
            if how[0] == "posthoc":
                model = to_qcfs(model, how[1], x=x_train, per_channel=True)
                if len(how) > 2:
                    model = calibrate_biases(model, x_train, how[2], {"qcfs": IF},
                                             minibatch, seed=seed)
            keras_accs.append(np.mean(model.predict(x, verbose=0).argmax(-1) == y))
            if how[0] == "recipe":
                swap = {keras.activations.relu: nengo.SpikingRectifiedLinear()}
                curves.append(spiking_curve(model, x, y, max(LOWLAT_STEPS), swap, how[1],
                                            how[2], "last", seed, minibatch))
            else:
                neuron = how[1] if how[0] == "if" else IF
                curves.append(spiking_curve(model, x, y, max(LOWLAT_STEPS),
                                            {"qcfs": neuron}, None, None, "mean", seed,
                                            minibatch))
        if how[0] == "recipe":
            neurons, synapse, readout = "SpikingRectifiedLinear", how[2], "last"
        else:
            neurons = type(how[1] if how[0] == "if" else IF).__name__
            synapse, readout = "-", "mean"
        accs = np.array([c[0] for c in curves])
        spikes = np.array([c[1] for c in curves])
        for T in LOWLAT_STEPS:
            print(f"| {name} | {label} | {neurons} | {synapse} | {readout} "
                  f"| {100 * np.mean(keras_accs):.2f}% ± {100 * sd(keras_accs):.2f} | {T} "
                  f"| {100 * accs[:, T - 1].mean():.2f}% ± {100 * sd(accs[:, T - 1]):.2f} "
                  f"| {spikes[:, T - 1].mean():.0f} ± {sd(spikes[:, T - 1]):.0f} |",
                  flush=True)


def main(argv=None):
    """Run the benchmark and print the Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minibatch", type=int, default=60)
    parser.add_argument("--epochs-reg", type=int, default=60)
    parser.add_argument("--seeds", type=int, default=5, help="network seeds per condition")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--train-seeds", type=int, default=0,
                        help="run only the training-seed study with this many seeds")
    parser.add_argument("--lowlat", action="store_true",
                        help="run only the low-latency study (QCFS against NengoDL's recipe)")
    parser.add_argument("--deep-seeds", type=int, default=3,
                        help="training seeds of the deeper model in --lowlat")
    parser.add_argument("--cache", help="folder to keep trained weights in between runs")
    parser.add_argument("--rows", help="--lowlat: only the rows whose label contains this")
    args = parser.parse_args(argv)
    if args.lowlat:
        def chosen(runs):
            return [run for run in runs if args.rows is None or args.rows in run[2]]

        lowlat_study(chosen(LOWLAT_RUNS), args.seeds, args.minibatch, args.cache)
        if args.deep_seeds:
            print("\nDeeper CNN, digits upsampled to 16 x 16")
            lowlat_study(chosen(DEEP_RUNS), args.deep_seeds, min(args.minibatch, 20),
                         args.cache)
        return None
    if args.train_seeds:
        return train_seed_study(args.train_seeds, args.seeds, args.minibatch)

    models = {}
    models["digits_cnn"] = (digits_cnn(), 1.0, CONDITIONS)
    models["digits_cnn"][0].load_weights(WEIGHTS)
    if not args.quick:
        models["digits_cnn_in255"] = (train(255.0), 255.0, CONDITIONS)
        reg = FiringRateRegularizer(target=250.0, weight=1e-3)
        models["digits_cnn_reg"] = (
            train(1.0, reg, epochs=args.epochs_reg, lr=0.01), 1.0, REG_CONDITIONS)
        models["digits_cnn_reg_in255"] = (
            train(255.0, reg, epochs=args.epochs_reg), 255.0, REG_CONDITIONS)

    print(f"nbsnn: mean ± sd over network seeds 0..{args.seeds - 1}, minibatch {args.minibatch}")
    print("| weights | condition | n_steps | synapse | scale | NengoDL acc | nbsnn acc "
          "| NengoDL conv0 Hz | nbsnn conv0 Hz | NengoDL warm s | nbsnn convert+build s "
          "| nbsnn run s (1st / 2nd) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, (model, scale_in, conditions) in models.items():
        (_, _), (x, y) = load_digits_split(scale_in)
        rows = [(cond, cond, *CONDITIONS[cond]) for cond in conditions]
        if name == "digits_cnn":
            # d_spiking_scale10 at the scale that gives NengoDL's conv0 rate in expectation
            spiking, n_steps, synapse, _ = CONDITIONS["d_spiking_scale10"]
            matched = ANCHOR[(name, "d_spiking_scale10")][1] / rate_model_hz(model, x)
            rows.insert(8, (MATCHED, "d_spiking_scale10",
                            spiking, n_steps, synapse, matched))
        for label, cond, spiking, n_steps, synapse, scale in rows:
            if conditions is REG_CONDITIONS:
                n_steps = REG_N_STEPS.get(cond, n_steps)
            acc, acc_sd, rate, times = run_condition(
                model, x, y, spiking, n_steps, synapse, scale, args.minibatch, args.seeds)
            a_acc, a_rate, a_warm = ANCHOR[(name, cond)]
            scale = f"{scale:.2f}" if label != cond else scale
            print(f"| {name} | {label} | {n_steps} | {synapse or '-'} | {scale} "
                  f"| {a_acc:.2f}% | {100 * acc:.2f}% ± {100 * acc_sd:.2f} | {a_rate:.2f} "
                  f"| {rate:.2f} | {a_warm:.2f} | {times[-1][0]:.2f} "
                  f"| {times[0][1]:.2f} / {times[-1][1]:.2f} |", flush=True)

    # beyond NengoDL: mean read-out over the presentation, per-layer scales from data
    model = models["digits_cnn"][0]
    (x_train, _), (x, y) = load_digits_split(1.0)
    spiking = {keras.activations.relu: nengo.SpikingRectifiedLinear()}
    print(f"\nBeyond NengoDL (digits_cnn, SpikingRectifiedLinear, mean ± sd over "
          f"{args.seeds} seeds)")
    print("| scale_firing_rates | n_steps | synapse | readout | nbsnn acc | conv0 Hz | conv1 Hz |")
    print("|---|---|---|---|---|---|---|")
    rows = [(100, 30, 0.01), (100, 20, None), (100, 10, None), (50, 30, None), (50, 20, None)]
    for target in (150.0, 300.0):
        scales = rate_scales_from_data(model, x_train, target_rate=target, percentile=99.0)
        rows.append((scales, 20, None))
    for scale, n_steps, synapse in rows:
        for readout in ("last", "mean"):
            accs, rates0, rates1 = [], [], []
            for seed in range(args.seeds):
                res = evaluate(model, x, y, n_steps=n_steps, minibatch_size=args.minibatch,
                               swap_activations=spiking, scale_firing_rates=scale,
                               synapse=synapse, readout=readout, seed=seed)
                accs.append(res.accuracy)
                rates0.append(res.mean_rates["conv0"])
                rates1.append(res.mean_rates["conv1"])
            label = scale if not isinstance(scale, dict) else ", ".join(
                f"{layer.name} {s:.0f}" for layer, s in scale.items())
            print(f"| {label} | {n_steps} | {synapse or '-'} | {readout} "
                  f"| {100 * np.mean(accs):.2f}% ± {100 * sd(accs):.2f} "
                  f"| {np.mean(rates0):.2f} | {np.mean(rates1):.2f} |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
