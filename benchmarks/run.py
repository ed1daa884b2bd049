"""Benchmarks of nbsnn.Simulator against nengo.Simulator (issue B1-B4, B4H, B5).

Usage: ``python benchmarks/run.py [--cpu-time] [B1 B2 ...]``. Each (benchmark, simulator) pair
runs in its own process, so build time, steps/s and peak memory (max RSS) are
measured cleanly; the ratio is against nengo.Simulator in the same invocation.
"load s" is the once-per-process cost of a first (tiny) simulator: importing and,
for nbsnn, loading the compiled kernels from the disk cache. "build s" is the first
build with an empty decoder cache (a fresh Nengo cache folder per process);
"rebuild s" builds the unchanged network again in the same process (Nengo's disk
cache, nbsnn's memory of decoders). B5 is the 100,000-neuron build benchmark; it
also runs "nbsnn-blas1", nbsnn with ``build_cache.BLAS_THREADS = 1`` (solves side
by side on single-threaded BLAS: faster, decoders not bit-identical to Nengo's).
``--cpu-time`` times the runs by the process's CPU time instead of wall time (both
simulators alike), which varies less while other jobs share the cores.
For the spiking networks (B4, B4H) the last column gives the mean firing rate, the
synaptic events a step (spikes times synapses per neuron) and the time per event.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))

#: Pause between build and timed run: the decoder solves leave BLAS worker threads
#: spinning for a while (~0.1-0.3 s), which takes a core from whichever simulator runs
#: just then (and counts in ``--cpu-time``); steps/s are the steady state after that.
SETTLE_S = 1.0


def measure(name, backend, clock=time.perf_counter):
    """Build and run one benchmark on one backend; returns a dict of figures."""
    sys.path.insert(0, HERE)
    import nengo
    import numpy as np
    from networks import BENCHMARKS

    import nbsnn
    from nbsnn.backend import build_cache

    make, t_nengo, t_nbsnn = BENCHMARKS[name]
    cache_dir = tempfile.TemporaryDirectory(prefix="nbsnn-bench-")
    nengo.rc["decoder_cache"]["path"] = cache_dir.name
    if backend == "nbsnn-blas1":
        build_cache.BLAS_THREADS = 1
    net = make()
    simulator = nengo.Simulator if backend == "nengo" else nbsnn.Simulator
    duration = t_nengo if backend == "nengo" else t_nbsnn
    start = time.perf_counter()
    with nengo.Network() as tiny:  # once per process: load compiled kernels (nbsnn)
        nengo.Ensemble(1, 1)
    simulator(tiny, progress_bar=False).close()
    loaded = time.perf_counter()
    with simulator(net, progress_bar=False) as sim:
        built = time.perf_counter()
        sim.run_steps(10)
        time.sleep(SETTLE_S)
        warm = clock()
        sim.run(duration)
        done = clock()
        rate = events = None
        if hasattr(net, "spikes"):
            spikes = sim.data[net.spikes] != 0
            rate = float(np.mean(spikes) / sim.dt)
            events = float(spikes.sum(axis=1).mean() * net.synapses_per_neuron)
    steps = int(round(duration / sim.dt))
    del sim
    rebuild = time.perf_counter()
    simulator(net, progress_bar=False).close()
    rebuilt = time.perf_counter()
    cache_dir.cleanup()
    return {
        "load_s": loaded - start,
        "build_s": built - loaded,
        "rebuild_s": rebuilt - rebuild,
        "steps_per_s": steps / (done - warm),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "mean_rate_hz": rate,
        "events_per_step": events,
    }


def main(names, cpu_time=False):
    names = names or ["B1", "B2", "B3", "B4", "B4H", "B5"]
    print(f"{'bench':<6}{'backend':<12}{'build s':>9}{'rebuild s':>10}{'steps/s':>11}"
          f"{'ratio':>8}{'peak MB':>9}{'load s':>8}")
    for name in names:
        results = {}
        backends = ("nengo", "nbsnn") + (("nbsnn-blas1",) if name == "B5" else ())
        for backend in backends:
            out = subprocess.run(
                [sys.executable, __file__, "--one", name, backend]
                + (["--cpu-time"] if cpu_time else []),
                check=True, capture_output=True, text=True,
            ).stdout
            results[backend] = json.loads(out.strip().splitlines()[-1])
        for backend, r in results.items():
            ratio = r["steps_per_s"] / results["nengo"]["steps_per_s"]
            extra = ""
            if r["mean_rate_hz"]:
                ns = 1e9 / (r["steps_per_s"] * r["events_per_step"])
                extra = (f"  (mean rate {r['mean_rate_hz']:.1f} Hz, {r['events_per_step']:,.0f}"
                         f" synaptic events a step, {ns:.2f} ns an event)")
            print(f"{name:<6}{backend:<12}{r['build_s']:>9.2f}{r['rebuild_s']:>10.2f}"
                  f"{r['steps_per_s']:>11,.0f}"
                  f"{ratio:>7.1f}x{r['peak_rss_mb']:>9.0f}{r['load_s']:>8.2f}{extra}")


if __name__ == "__main__":
    args = sys.argv[1:]
    cpu = "--cpu-time" in args
    args = [a for a in args if a != "--cpu-time"]
    if args[:1] == ["--one"]:
        clock = time.process_time if cpu else time.perf_counter
        print(json.dumps(measure(args[1], args[2], clock)))
    else:
        main(args, cpu)
