"""Client cost of a large sweep: wall time, peak client memory, and how fast Ctrl-C stops it.

Usage: ``python benchmarks/sweep_scale.py [N]`` (default 20000 points). Runs a sweep of N
points of a trivial evaluate function on an embedded 2-worker cluster (``max_points=None``),
then starts the same sweep in a child process, sends it SIGINT after 10 s and times its exit.
"""

import os
import resource
import signal
import subprocess
import sys
import time

CHILD = """
import sys
from benchmarks.sweep_scale import run
run(int(sys.argv[1]))
"""


def trivial(a):
    """The cheapest evaluate function: the sweep's own overhead is all that is measured."""
    return float(a)


def run(n):
    """Sweep ``n`` points on 2 workers; return the wall time (s)."""
    from nbsnn.sweep import sweep

    t0 = time.perf_counter()
    df = sweep(trivial, {"a": list(range(n))}, n_workers=2, max_points=None, progress=False,
               warmup=False)
    assert len(df) == n and df["error"].isna().all()
    return time.perf_counter() - t0


def main(n=20000):
    wall = run(n)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{n} points: {wall:.1f} s, {1e3 * wall / n:.2f} ms/point, client peak RSS "
          f"{peak:.0f} MiB")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, PYTHONPATH=root)
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(n)], cwd=root, env=env,
                             stderr=subprocess.DEVNULL)
    time.sleep(10)
    t0 = time.perf_counter()
    child.send_signal(signal.SIGINT)
    code = child.wait(timeout=120)
    print(f"Ctrl-C after 10 s: exited (code {code}) in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main(*map(int, sys.argv[1:]))
