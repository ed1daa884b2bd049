"""Points per minute of a fixed sweep of the converted digits CNN, with 1 and 2 Dask workers.

The sweep: synapse {0, 0.005, 0.01, 0.02} x scale_firing_rates {10, 50, 100, 250}
(16 points), each converting the anchor CNN (committed weights) with spiking ReLUs and
running the 360 test digits for 30 steps (minibatch 60). nbsnn's kernel cache is filled
first. For each worker count, a fresh embedded LocalCluster is started (start-up timed
separately: worker processes, kernel warm-up, and two points per worker that import
TensorFlow, unpickle the model and load both network structures' kernels); then the 16
points are timed. A serial in-process loop gives the baseline.

Usage: python benchmarks/bench_sweep.py [--workers 1 2] [--images 360] [--steps 30]
"""

import argparse
import os
import pathlib
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

WEIGHTS = pathlib.Path(__file__).parents[1] / "tests" / "convert" / "data" / "digits_cnn.weights.h5"
SPACE = {"synapse": [0, 0.005, 0.01, 0.02], "scale_firing_rates": [10, 50, 100, 250]}


def main():
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--images", type=int, default=360)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--no-serial", action="store_true")
    args = parser.parse_args()

    from nbsnn.convert.data import load_digits_split
    from nbsnn.convert.models import digits_cnn
    from nbsnn.sweep import grid, local_client, sweep
    from nbsnn.sweep.converted import evaluate_converted

    model = digits_cnn()
    model.load_weights(WEIGHTS)
    _, (x, y) = load_digits_split()
    data = {"model": model, "x": x[:args.images], "y": y[:args.images], "n_steps": args.steps}
    n_points = len(grid(SPACE))
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; "
          f"{n_points} points, {args.images} images x {args.steps} steps")
    # fill nbsnn's on-disk kernel cache for both network structures (with and without
    # a synapse), so that no configuration below pays for compiling
    for synapse in (0, 0.01):
        evaluate_converted(**data, synapse=synapse, scale_firing_rates=10)
    rows = []
    if not args.no_serial:
        t0 = time.perf_counter()
        for point in grid(SPACE):
            evaluate_converted(**data, **point)
        elapsed = time.perf_counter() - t0
        rows.append(("serial (no Dask)", 0.0, elapsed, n_points / elapsed * 60))
    for n in args.workers:
        t0 = time.perf_counter()
        client = local_client(n_workers=n)
        warm = [{"synapse": s, "scale_firing_rates": 1 + i / 1000}
                for i in range(n) for s in (0, 0.01)]
        sweep(evaluate_converted, warm, data=data, client=client, progress=False)
        startup = time.perf_counter() - t0
        t0 = time.perf_counter()
        df = sweep(evaluate_converted, SPACE, data=data, client=client, progress=False)
        elapsed = time.perf_counter() - t0
        assert df["error_type"].isna().all(), df["error"].tolist()
        rows.append((f"{n} worker{'s' * (n > 1)}", startup, elapsed, n_points / elapsed * 60))
        client.close()
        client.cluster.close()
    print("| run | start-up s | sweep s | points/min |")
    print("|---|---|---|---|")
    for name, startup, elapsed, rate in rows:
        print(f"| {name} | {startup:.1f} | {elapsed:.1f} | {rate:.1f} |")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
