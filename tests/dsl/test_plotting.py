"""Bokeh figure builders for probe data."""

import nengo
import numpy as np

from nbsnn import plotting
from nbsnn.dsl import compile_cell
from nbsnn.dsl.run import run


def glyphs(fig):
    return [r.glyph for r in fig.renderers]


def test_values_figure_draws_one_line_per_column():
    t = np.linspace(0, 1, 50)
    data = np.column_stack([np.sin(t), np.cos(t), t])
    fig = plotting.values_figure(t, data, "v")
    assert len(fig.renderers) == 3
    source = fig.renderers[1].data_source
    assert np.allclose(source.data["y1"], np.cos(t))
    assert fig.title.text == "v"


def test_raster_has_one_mark_per_spike():
    rng = np.random.RandomState(0)
    spikes = (rng.rand(100, 20) < 0.05) * 1000.0
    fig = plotting.raster_figure(np.arange(100) * 1e-3, spikes, max_neurons=10)
    data = fig.renderers[0].data_source.data
    assert len(data["t"]) == np.count_nonzero(spikes[:, :10])
    assert set(data["neuron"]) <= set(range(10))


def test_probes_layout_picks_raster_for_spikes():
    net = compile_cell("s = input 0.8\na = ensemble 20 LIF\ns -> a\nprobe a\nprobe a spikes\n"
                  "probe a voltage", seed=0)
    result = run(net, 0.1)
    layout = result.layout()
    assert len(layout.children) == 3
    kinds = [type(glyphs(f)[0]).__name__ for f in layout.children]
    assert kinds == ["Line", "Scatter", "Line"]
    assert len(layout.children[2].renderers) == 16  # first 16 voltage traces
    shared = {id(f.x_range) for f in layout.children}
    assert len(shared) == 1


def test_run_result_sample_every():
    net = compile_cell("s = input 1\nprobe s sample_every=10ms", seed=0)
    result = run(net, 0.1)
    probe = result.probes["s_probe"]
    assert isinstance(probe, nengo.Probe)
    assert np.allclose(result.trange_for(probe), np.arange(1, 11) * 0.01)
    assert result["s_probe"].shape == (10, 1)
