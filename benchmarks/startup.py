"""Start-up cost of the compiled core: first-ever compile vs loading the disk cache.

Usage: ``python benchmarks/startup.py``. Runs a small network in two fresh processes
sharing an empty cache directory (``NBSNN_CACHE_DIR``): the first compiles the
kernels, the second loads them.
"""

import os
import subprocess
import sys
import tempfile
import time

PROBE = """
import time
t0 = time.perf_counter()
import nengo, nbsnn
t1 = time.perf_counter()
with nengo.Network(seed=0) as net:
    a = nengo.Ensemble(50, 1)
    nengo.Connection(nengo.Node(0.5), a)
    nengo.Probe(a, synapse=0.01)
t2 = time.perf_counter()
with nbsnn.Simulator(net, progress_bar=False) as sim:
    t3 = time.perf_counter()
    sim.run_steps(1)
    t4 = time.perf_counter()
print(f"{t1 - t0:.2f} {t3 - t2:.2f} {t4 - t3:.2f}")
"""


def main():
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NBSNN_CACHE_DIR=cache)
        for label in ("first run (compile)", "cached"):
            start = time.perf_counter()
            out = subprocess.run([sys.executable, "-c", PROBE], env=env, check=True,
                                 capture_output=True, text=True).stdout.split()
            total = time.perf_counter() - start
            imp, build, first = (float(v) for v in out)
            print(f"{label:<20} import {imp:5.2f} s  build {build:5.2f} s  "
                  f"first step {first:6.2f} s  process total {total:6.2f} s")


if __name__ == "__main__":
    main()
