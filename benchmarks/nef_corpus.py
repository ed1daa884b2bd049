"""Classic NEF models with Python Nodes, run unchanged on nengo.Simulator and nbsnn.

Usage: ``python benchmarks/nef_corpus.py [--seconds S]``. Each model is built and
run on ``nengo.Simulator``, on ``nbsnn.Simulator`` (Node functions compiled) and on
``nbsnn.Simulator(compile_nodes=False)`` (Node functions in Python, as before
compiled nodes), in this one process. Reported per model and in total: stepping time
(``sim.run``, after a 10-step warm-up), the ratio to Nengo, build time, the compile
time of the Node functions (the first build; a rebuild reuses them), how many
operators still run as Python, and the largest difference of any probe from Nengo's
(and whether compiled and Python Nodes give identical outputs).
"""

import argparse
import time
import warnings

import nengo
import numpy as np

import nbsnn
from nbsnn.backend import node_compile
from nbsnn.exceptions import PerformanceWarning


def learned_channel():
    """A communication channel learned with PES from an error Node (learning stops at
    70 % of the run)."""
    with nengo.Network(seed=1) as net:
        stim = nengo.Node(lambda t: np.sin(2 * np.pi * t) * np.cos(0.7 * t), label="stim")
        pre = nengo.Ensemble(200, 1, label="pre")
        post = nengo.Ensemble(200, 1, label="post")
        error = nengo.Node(lambda t, x: x[0] - x[1] if t < 0.7 * T else 0.0, size_in=2,
                           label="error")
        nengo.Connection(stim, pre)
        conn = nengo.Connection(pre, post, function=lambda x: [0.0],
                                learning_rule_type=nengo.PES(learning_rate=3e-4))
        nengo.Connection(post, error[0])
        nengo.Connection(stim, error[1], transform=-1)
        nengo.Connection(error, conn.learning_rule)
        net.watch = [nengo.Probe(post, synapse=0.01), nengo.Probe(error)]
    return net


def controlled_oscillator():
    """Nengo's controlled oscillator: a kick starts it, a speed Node sets its frequency."""
    tau, w_max = 0.1, 10.0
    with nengo.Network(seed=2) as net:
        kick = nengo.Node(lambda t: [1.0, 0.0] if t < 0.08 else [0.0, 0.0], label="kick")
        speed = nengo.Node(lambda t: 0.3 if (t % 2.0) < 1.0 else -0.5, label="speed")
        osc = nengo.Ensemble(500, 3, radius=1.7, label="oscillator")

        def feedback(x):
            x0, x1, w = x
            w = w * w_max
            return [x0 + w * tau * x1, x1 - w * tau * x0, 0.0]

        nengo.Connection(kick, osc[:2])
        nengo.Connection(speed, osc[2])
        nengo.Connection(osc, osc, function=feedback, synapse=tau)
        phase = nengo.Node(lambda t, x: np.arctan(x[1] / (abs(x[0]) + 1.0)), size_in=3,
                           label="phase")
        nengo.Connection(osc, phase, synapse=0.02)
        net.watch = [nengo.Probe(osc, synapse=0.02), nengo.Probe(phase)]
    return net


def product():
    """A product network of two sine inputs, checked by an exact-product error Node."""
    with nengo.Network(seed=3) as net:
        a = nengo.Node(lambda t: np.sin(2 * np.pi * t), label="a")
        b = nengo.Node(lambda t: np.cos(np.pi * t) * 0.8, label="b")
        prod = nengo.networks.Product(100, 1, label="product")
        nengo.Connection(a, prod.input_a)
        nengo.Connection(b, prod.input_b)
        exact = nengo.Node(lambda t, x: x[0] * x[1], size_in=2, label="exact")
        nengo.Connection(a, exact[0], synapse=None)
        nengo.Connection(b, exact[1], synapse=None)
        error = nengo.Node(lambda t, x: x[0] - x[1], size_in=2, label="error")
        nengo.Connection(prod.output, error[0], synapse=0.01)
        nengo.Connection(exact, error[1], synapse=0.01)
        net.watch = [nengo.Probe(prod.output, synapse=0.01), nengo.Probe(error)]
    return net


def gated_integrator():
    """Nengo's controlled integrator: the control Node gates the recurrent feedback."""
    tau = 0.1
    with nengo.Network(seed=4) as net:
        stim = nengo.Node(lambda t: 1.0 if 0.2 < (t % 2.0) < 0.4 else
                          (-0.5 if 1.0 < (t % 2.0) < 1.2 else 0.0), label="input")
        control = nengo.Node(lambda t: 1.0 if (t % 2.0) < 1.5 else 0.3, label="control")
        A = nengo.Ensemble(225, 2, radius=1.5, label="A")
        nengo.Connection(stim, A, transform=[[tau], [0]], synapse=tau)
        nengo.Connection(control, A[1], synapse=0.005)
        nengo.Connection(A, A[0], function=lambda x: x[0] * x[1], synapse=tau)
        readout = nengo.Node(lambda t, x: np.tanh(2.0 * x), size_in=1, label="readout")
        nengo.Connection(A[0], readout, synapse=0.01)
        net.watch = [nengo.Probe(A, synapse=0.01), nengo.Probe(readout)]
    return net


def bandpass_controls():
    """Several Nodes at once: two sine sources, a mixer with input and a rectifier,
    feeding a 2-D ensemble (the kind of plumbing notebooks wrap around networks)."""
    gains = np.array([0.7, -0.4])
    with nengo.Network(seed=5) as net:
        src = nengo.Node(lambda t: [np.sin(5 * t), np.sin(13 * t + 1.0)], label="sources")
        mix = nengo.Node(lambda t, x: x * gains + 0.1 * np.sin(t), size_in=2, label="mixer")
        rect = nengo.Node(lambda t, x: np.maximum(x, 0.0), size_in=2, label="rectifier")
        ens = nengo.Ensemble(300, 2, label="ens")
        nengo.Connection(src, mix, synapse=None)
        nengo.Connection(mix, rect, synapse=0.005)
        nengo.Connection(rect, ens)
        net.watch = [nengo.Probe(ens, synapse=0.01), nengo.Probe(rect)]
    return net


MODELS = [learned_channel, controlled_oscillator, product, gated_integrator,
          bandpass_controls]
T = 2.0


def measure(make, simulator, **kwargs):
    """``(build s, run s, node compile s, python ops, probe data)`` of one model."""
    net = make()
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PerformanceWarning)
        sim = simulator(net, progress_bar=False, **kwargs)
    built = time.perf_counter()
    with sim:
        sim.run_steps(10)
        warm = time.perf_counter()
        sim.run(T)
        done = time.perf_counter()
        runner = getattr(sim, "_runner", None)
        compile_s = sum(n.compile_seconds for _, _, n in runner.program.nodes) if runner else 0
        n_nodes = len(runner.program.nodes) if runner else 0
        python = len(sim.python_ops) if runner else None
        data = [sim.data[p].copy() for p in net.watch]
    return dict(build=built - start, run=done - warm, compile=compile_s, nodes=n_nodes,
                python=python, data=data)


def main():
    global T
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=T, help="simulated time per model")
    T = parser.parse_args().seconds
    with nengo.Network() as tiny:  # load the compiled kernels once, outside the timings
        nengo.Ensemble(1, 1)
    nbsnn.Simulator(tiny, progress_bar=False).close()
    node_compile._cache.clear()
    header = (f"{'model':24} {'nengo s':>8} {'nbsnn s':>8} {'ratio':>6} {'py-nodes s':>10} "
              f"{'ratio':>6} {'build s':>8} {'nodes':>5} {'compile s':>9} {'python':>6} "
              f"{'max |diff|':>10} {'same':>5}")
    print(f"{T:g} s simulated per model\n{header}")
    total = {"nengo": 0.0, "nbsnn": 0.0, "py": 0.0}
    all_same = True
    for make in MODELS:
        ref = measure(make, nengo.Simulator)
        ours = measure(make, nbsnn.Simulator)
        py = measure(make, nbsnn.Simulator, compile_nodes=False)
        diff = max(float(np.max(np.abs(a - b))) for a, b in zip(ours["data"], ref["data"]))
        same = all(np.array_equal(a, b) for a, b in zip(ours["data"], py["data"]))
        all_same &= same
        for key, m in (("nengo", ref), ("nbsnn", ours), ("py", py)):
            total[key] += m["run"]
        print(f"{make.__name__:24} {ref['run']:8.3f} {ours['run']:8.3f} "
              f"{ref['run'] / ours['run']:6.1f} {py['run']:10.3f} {ref['run'] / py['run']:6.1f} "
              f"{ours['build']:8.2f} {ours['nodes']:5d} {ours['compile']:9.2f} "
              f"{ours['python']:6d} {diff:10.1e} {str(same):>5}")
    print(f"{'total':24} {total['nengo']:8.3f} {total['nbsnn']:8.3f} "
          f"{total['nengo'] / total['nbsnn']:6.1f} {total['py']:10.3f} "
          f"{total['nengo'] / total['py']:6.1f}")
    print(f"compiled and Python Nodes give identical outputs: {all_same}")


if __name__ == "__main__":
    main()
