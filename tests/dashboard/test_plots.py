import nengo
import numpy as np
from nengo.utils.ensemble import tuning_curves

from nbsnn.dashboard import plots
from nbsnn.simulator import Simulator


def test_series_figure_has_named_source_and_one_line_per_label():
    fig, source = plots.series_figure("v", ["a", "b", "c"], 2.0, "nbsnn-values")
    assert source.name == "nbsnn-values"
    assert set(source.data) == {"t", "y0", "y1", "y2"}
    assert len(fig.renderers) == 3
    assert fig.x_range.follow == "end" and fig.x_range.follow_interval == 2.0


def test_spike_raster_data_lists_every_spike():
    spikes = np.zeros((4, 3))
    spikes[1, 2] = spikes[3, 0] = spikes[3, 2] = 1000.0
    data = plots.spike_raster_data(spikes, np.array([0.1, 0.2, 0.3, 0.4]))
    assert sorted(zip(data["t"], data["neuron"])) == [(0.2, 2.0), (0.4, 0.0), (0.4, 2.0)]


def test_rate_histogram_counts_and_clips():
    edges = np.array([0.0, 10.0, 20.0])
    data = plots.rate_histogram_data([1.0, 5.0, 15.0, 500.0, -3.0], edges)
    np.testing.assert_array_equal(data["count"], [3, 2])
    np.testing.assert_array_equal(data["left"], [0, 10])


def test_tuning_data_matches_nengo_tuning_curves():
    with nengo.Network(seed=2) as net:
        ens = nengo.Ensemble(30, 2, radius=1.5)
    with Simulator(net, progress_bar=False) as sim:
        data = plots.tuning_data(ens, sim, n_curves=5, n_points=11)
        inputs = np.zeros((11, 2))
        inputs[:, 0] = np.linspace(-1.5, 1.5, 11)
        _, expected = tuning_curves(ens, sim, inputs=inputs)
    assert len(data["ys"]) == 5
    np.testing.assert_allclose(np.array(data["ys"]).T, expected[:, :5])
    np.testing.assert_allclose(data["xs"][0], inputs[:, 0])


def test_weights_figure_and_data():
    fig, source = plots.weights_figure((2, 7), "a→b")
    assert fig.x_range.end == 7 and fig.y_range.end == 2
    data = plots.weights_data(np.arange(14.0).reshape(2, 7))
    assert data["dw"] == [7] and data["dh"] == [2]
    np.testing.assert_array_equal(data["image"][0][1], np.arange(7.0, 14.0))
