"""Graphs written by snnTorch and Norse (files and scripts in data/), run on nbsnn
side by side with the outputs those frameworks recorded."""

from pathlib import Path

import nengo
import numpy as np

import nbsnn
from nbsnn.nir import load, run
from nbsnn.nir.dialects import from_norse

DATA = Path(__file__).parent / "data"


def test_snntorch_classifier_same_classification():
    ref = np.load(DATA / "snntorch_digits.npz")
    steps = int(ref["steps"])
    net = load(str(DATA / "snntorch_digits.nir"))  # snnTorch's dt: 1e-4, the default
    x = np.repeat(ref["x_test"][:, None, :], steps, axis=1)  # a constant current
    out = run(net, x, n_steps=steps)["output"]
    spikes = ref["spikes"]
    assert out.shape == spikes.shape == (360, steps, 10)
    ours, theirs = out.sum(1).argmax(1), spikes.sum(1).argmax(1)
    assert np.mean(ours == theirs) >= 0.99
    # snnTorch computes in float32: a few spikes flip near threshold, no more
    assert np.mean(out == spikes) >= 0.99
    accuracy = np.mean(ours == ref["y_test"])
    assert abs(accuracy - float(ref["accuracy"])) <= 0.01
    assert accuracy > 0.9


def test_norse_graph_traces():
    ref = np.load(DATA / "norse.npz")
    dt = float(ref["dt"])
    out = run(load(from_norse(str(DATA / "norse.nir"), dt)), ref["x"])["output"]
    # the LI read-out of LIF -> CubaLIF -> IF layers: same spikes all the way, so the
    # traces differ only by Norse's float32 rounding
    np.testing.assert_allclose(out, ref["li"], atol=1e-5)
    assert np.ptp(ref["li"]) > 1


def test_norse_braille_graph_runs_compiled():
    """The NIR paper's recurrent braille classifier (as Norse's tests ship it)."""
    net = load(str(DATA / "braille.nir"), dt=1e-4)
    assert set(net.layers) >= {"lif1.lif", "lif1.w_rec", "lif2"}
    x = np.random.RandomState(0).binomial(1, 0.3, size=(200, 12)).astype(float)
    out = run(net, x)["output"]
    assert out.shape == (200, 7)
    assert np.all(np.isfinite(out)) and out.any()
    reference = run(net, x, simulator=nengo.Simulator)["output"]
    np.testing.assert_array_equal(out, reference)
    with nbsnn.Simulator(net, dt=net.dt, progress_bar=False) as sim:
        assert not sim.python_ops  # the input is a function of time: prefetched


def test_snntorch_recurrent_graph_same_spikes():
    """snnTorch's Synaptic (CubaLIF) and RLeaky (a recurrent subgraph whose Affine has a
    bias: the recurrence is delayed at the neurons' output, so the bias is there from
    the first step, as in snnTorch)."""
    ref = np.load(DATA / "snntorch_recurrent.npz")
    net = load(str(DATA / "snntorch_recurrent.nir"))
    assert "3.lif" in net.layers
    out = run(net, ref["x"])["output"]
    assert 0.05 < ref["spikes"].mean() < 0.5
    assert np.mean(out == ref["spikes"]) >= 0.99
