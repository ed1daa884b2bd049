"""Bokeh plots of sweep results and the Pareto front."""

import itertools

import numpy as np
import pandas as pd
import pytest
from bokeh.embed import file_html
from bokeh.models import HoverTool
from bokeh.resources import INLINE

from nbsnn.sweep.plots import heatmaps, pareto, pareto_front, plot_sweep
from nbsnn.sweep.results import tidy


@pytest.fixture
def results():
    rng = np.random.default_rng(0)
    records = []
    for i, (syn, scale, steps) in enumerate(itertools.product([0, 0.005, 0.01], [1, 10, 100],
                                                              [10, 30])):
        failed = i == 4
        records.append({
            "key": str(i), "synapse": syn, "scale_firing_rates": scale, "n_steps": steps,
            "accuracy": None if failed else float(rng.uniform()),
            "mean_rate": None if failed else float(rng.uniform(1, 100)),
            "latency": None if failed else float(rng.uniform(0.001, 0.03)),
            "wall_time": 0.1, "error_type": "RuntimeError" if failed else None,
            "error": "boom" if failed else None,
        })
    return tidy(records, ["synapse", "scale_firing_rates", "n_steps"])


def brute_force_front(acc, cost):
    front = []
    for i in range(len(acc)):
        dominated = any(acc[j] >= acc[i] and cost[j] <= cost[i]
                        and (acc[j] > acc[i] or cost[j] < cost[i]) for j in range(len(acc)))
        front.append(not dominated)
    return np.array(front)


def test_pareto_front_matches_brute_force(results):
    mask = pareto_front(results, "accuracy", "mean_rate")
    ok = results["error_type"].isna()
    assert not mask[~ok].any()
    rows = results[ok]
    expected = brute_force_front(rows["accuracy"].to_numpy(), rows["mean_rate"].to_numpy())
    np.testing.assert_array_equal(mask[ok].to_numpy(), expected)
    assert 1 <= mask.sum() < ok.sum()


def test_heatmaps_one_per_pair_with_hover(results):
    layout = heatmaps(results, "accuracy")
    figs = [child[0] for child in layout.children]
    assert len(figs) == 3  # three parameters, three pairs
    axes = {(f.xaxis[0].axis_label, f.yaxis[0].axis_label) for f in figs}
    assert axes == {("synapse", "scale_firing_rates"), ("synapse", "n_steps"),
                    ("scale_firing_rates", "n_steps")}
    fig = next(f for f in figs if f.xaxis[0].axis_label == "synapse"
               and f.yaxis[0].axis_label == "scale_firing_rates")
    assert list(fig.x_range.factors) == ["0", "0.005", "0.01"]
    assert list(fig.y_range.factors) == ["1", "10", "100"]
    source = fig.renderers[0].data_source
    cells = pd.DataFrame(dict(source.data))
    ok = results[results["error_type"].isna()]
    expected = ok[(ok.synapse == 0.005) & (ok.scale_firing_rates == 10)]["accuracy"].mean()
    cell = cells[(cells._x == "0.005") & (cells._y == "10")]
    assert cell["value"].item() == pytest.approx(expected)
    assert cell["n"].item() == 2
    tips = dict(fig.select_one(HoverTool).tooltips)
    assert {"synapse", "scale_firing_rates", "accuracy", "points"} <= set(tips)


def test_pareto_plots_mark_the_front_and_show_parameters(results):
    layout = pareto(results, "accuracy", ("mean_rate", "latency", "not_a_column"))
    assert len(layout.children) == 2
    fig = layout.children[0]
    scatter = fig.renderers[-1].data_source.data
    n_front = int(pareto_front(results, "accuracy", "mean_rate").sum())
    assert list(scatter["color"]).count("crimson") == n_front
    assert {"p_synapse", "p_scale_firing_rates", "p_n_steps"} <= set(scatter)
    tips = dict(fig.select_one(HoverTool).tooltips)
    assert {"synapse", "scale_firing_rates", "n_steps", "accuracy", "mean_rate"} <= set(tips)


def test_plot_sweep_renders_to_html(results):
    html = file_html(plot_sweep(results), INLINE, "sweep")
    assert "accuracy vs mean_rate" in html and "scale_firing_rates" in html


def test_plots_explain_missing_columns(results):
    with pytest.raises(ValueError, match="no column 'spikes'"):
        heatmaps(results, "spikes")
    bare = results.copy()
    bare.attrs = {}
    with pytest.raises(ValueError, match="give params"):
        heatmaps(bare, "accuracy")
