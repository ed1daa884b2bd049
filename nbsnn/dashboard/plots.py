"""Bokeh figures and data sources for the live dashboard (pure builders).

Every ``*_figure`` function returns ``(figure, source)``: a bokeh figure and the
``ColumnDataSource`` it draws from, with the source's columns empty. Every
``*_data`` function turns simulator output into the column dict that source
takes. Nothing here needs Jupyter, a running simulation or a browser, so all of
it can be tested in plain Python.

Sources carry a ``name`` (``nbsnn-values``, ``nbsnn-raster``, ...) so that a
browser test or a user can find them in the rendered document.
"""

import numpy as np
from bokeh.models import ColumnDataSource, DataRange1d, LinearColorMapper
from bokeh.palettes import Category10_10, Viridis256
from bokeh.plotting import figure

__all__ = [
    "FIGURE_HEIGHT",
    "FIGURE_WIDTH",
    "RASTER_TICK",
    "graph_data",
    "graph_figure",
    "grid_shape",
    "image_data",
    "image_figure",
    "rate_map_data",
    "rate_map_figure",
    "rate_histogram_data",
    "rate_histogram_figure",
    "series_figure",
    "spike_raster_data",
    "spike_raster_figure",
    "spike_raster_lines",
    "tuning_data",
    "tuning_figure",
    "weights_data",
    "weights_figure",
    "xy_figure",
]

FIGURE_WIDTH = 420
FIGURE_HEIGHT = 220


def _following_x_range(window):
    """An x range that shows the last ``window`` seconds and follows new data."""
    return DataRange1d(follow="end", follow_interval=float(window), range_padding=0.0)


def _figure(title, x_label, y_label, **kwargs):
    fig = figure(
        title=title,
        width=FIGURE_WIDTH,
        height=FIGURE_HEIGHT,
        tools="pan,wheel_zoom,box_zoom,reset,save",
        toolbar_location="above",
        **kwargs,
    )
    fig.xaxis.axis_label = x_label
    fig.yaxis.axis_label = y_label
    return fig


def series_figure(title, labels, window, name, y_label="value"):
    """A figure of several time series on a following time axis.

    Parameters
    ----------
    title : str
        Figure title.
    labels : sequence of str
        One label per series; the source gets columns ``t`` and ``y0``,
        ``y1``, ... in this order.
    window : float
        Seconds of simulated time shown.
    name : str
        Name given to the source.
    y_label : str, optional
        Label of the y axis.

    Returns
    -------
    fig : bokeh.plotting.figure
    source : bokeh.models.ColumnDataSource
    """
    columns = {"t": []}
    columns.update({f"y{i}": [] for i in range(len(labels))})
    source = ColumnDataSource(columns, name=name)
    fig = _figure(title, "time (s)", y_label, x_range=_following_x_range(window))
    for i, label in enumerate(labels):
        fig.line(
            "t",
            f"y{i}",
            source=source,
            color=Category10_10[i % 10],
            line_width=2,
            legend_label=label,
        )
    if labels:
        fig.legend.location = "top_left"
        fig.legend.click_policy = "hide"
        fig.legend.label_text_font_size = "8pt"
    return fig, source


def spike_raster_figure(n_neurons, window, label="neurons", first=0):
    """A spike raster: one vertical tick per spike at (time, neuron index).

    The ticks are lines broken by NaN (`spike_raster_lines`), one line per
    frame's spikes: a browser draws thousands of ticks as a few paths (markers
    cost a path each) and indexes a few lines instead of every point.

    Parameters
    ----------
    n_neurons : int
        Number of neuron indices shown (sets the y range, from ``first``).
    window : float
        Seconds of simulated time shown.
    label : str, optional
        Name of the population, used in the title.

    Returns
    -------
    fig : bokeh.plotting.figure
    source : bokeh.models.ColumnDataSource
        Columns ``xs`` and ``ys``: per row, the ``x`` and ``y`` of `spike_raster_lines`.
    """
    source = ColumnDataSource({"xs": [], "ys": []}, name="nbsnn-raster")
    fig = _figure(
        f"Spike raster: {label}",
        "time (s)",
        "neuron",
        x_range=_following_x_range(window),
        y_range=(first - 0.5, first + n_neurons - 0.5),
    )
    fig.multi_line("xs", "ys", source=source, color="black", line_width=1.5)
    return fig, source


RASTER_TICK = 0.4  # half the height of a raster tick, in neuron rows


def spike_raster_lines(times, neurons):
    """Points ``x, y`` of one raster line: three per spike (its tick's two ends and a NaN break)."""
    n = len(times)
    x = np.full(3 * n, np.nan)
    y = np.full(3 * n, np.nan)
    x[0::3] = x[1::3] = times
    y[0::3] = np.asarray(neurons, dtype=float) - RASTER_TICK
    y[1::3] = np.asarray(neurons, dtype=float) + RASTER_TICK
    return {"x": x.tolist(), "y": y.tolist()}


def spike_raster_data(spikes, times):
    """Columns for `spike_raster_figure` from a block of spike-probe rows.

    Parameters
    ----------
    spikes : ndarray, shape (n_steps, n_neurons)
        Spike probe output (non-zero where a neuron spiked).
    times : ndarray, shape (n_steps,)
        Simulated time of each row.

    Returns
    -------
    dict
        ``{"t": ..., "neuron": ...}``, one entry per spike.
    """
    steps, neurons = np.nonzero(np.asarray(spikes))
    return {"t": np.asarray(times, dtype=float)[steps], "neuron": neurons.astype(float)}


def rate_histogram_figure(edges, label="neurons"):
    """A histogram of firing rates across neurons.

    Parameters
    ----------
    edges : ndarray
        Bin edges in Hz.
    label : str, optional
        Name of the population, used in the title.

    Returns
    -------
    fig : bokeh.plotting.figure
    source : bokeh.models.ColumnDataSource
        Columns ``left``, ``right``, ``count``.
    """
    source = ColumnDataSource(
        rate_histogram_data(np.zeros(0), edges), name="nbsnn-rates"
    )
    fig = _figure(f"Firing rates: {label}", "rate (Hz)", "neurons")
    fig.quad(
        left="left",
        right="right",
        bottom=0,
        top="count",
        source=source,
        fill_color=Category10_10[0],
        line_color="white",
    )
    return fig, source


def rate_histogram_data(rates, edges):
    """Columns for `rate_histogram_figure`.

    Parameters
    ----------
    rates : ndarray
        One firing rate (Hz) per neuron. Rates beyond the last edge are
        counted in the last bin.
    edges : ndarray
        Bin edges in Hz.

    Returns
    -------
    dict
        ``{"left": ..., "right": ..., "count": ...}``.
    """
    edges = np.asarray(edges, dtype=float)
    rates = np.clip(np.asarray(rates, dtype=float).ravel(), edges[0], edges[-1])
    counts, _ = np.histogram(rates, bins=edges)
    return {"left": edges[:-1], "right": edges[1:], "count": counts.astype(float)}


def tuning_figure(label="neurons"):
    """Tuning curves: firing rate against the represented value.

    Returns
    -------
    fig : bokeh.plotting.figure
    source : bokeh.models.ColumnDataSource
        Columns ``xs`` and ``ys`` (one list per neuron) for ``multi_line``.
    """
    source = ColumnDataSource({"xs": [], "ys": []}, name="nbsnn-tuning")
    fig = _figure(f"Tuning curves: {label}", "input (dimension 0)", "rate (Hz)")
    fig.multi_line("xs", "ys", source=source, color=Category10_10[1], alpha=0.6)
    return fig, source


def tuning_data(ensemble, sim, n_curves=20, n_points=101):
    """Columns for `tuning_figure`, computed from a built simulator.

    Parameters
    ----------
    ensemble : nengo.Ensemble
        The ensemble, as it is in ``sim``'s network.
    sim : nengo.Simulator
        A simulator (``nbsnn.Simulator``) built from the network holding
        ``ensemble``.
    n_curves : int, optional
        How many neurons to show (the first ones).
    n_points : int, optional
        Number of input points along the first dimension, from ``-radius``
        to ``radius``; the other dimensions are held at zero.

    Returns
    -------
    dict
        ``{"xs": [...], "ys": [...]}``.
    """
    from nengo.utils.ensemble import tuning_curves

    x = np.linspace(-ensemble.radius, ensemble.radius, n_points)
    inputs = np.zeros((n_points, ensemble.dimensions))
    inputs[:, 0] = x
    _, rates = tuning_curves(ensemble, sim, inputs=inputs)
    rates = np.asarray(rates)[:, :n_curves]
    return {"xs": [x] * rates.shape[1], "ys": [rates[:, i] for i in range(rates.shape[1])]}


def weights_figure(shape, label="connection"):
    """An image of a connection's weights (or decoders), for learning rules.

    Parameters
    ----------
    shape : tuple of int
        ``(rows, columns)`` of the weight matrix.
    label : str, optional
        Name of the connection, used in the title.

    Returns
    -------
    fig : bokeh.plotting.figure
    source : bokeh.models.ColumnDataSource
        Columns ``image``, ``x``, ``y``, ``dw``, ``dh`` for ``image``.
    """
    rows, cols = shape
    source = ColumnDataSource(
        weights_data(np.zeros((rows, cols))), name="nbsnn-weights"
    )
    fig = _figure(
        f"Weights: {label}",
        "presynaptic index",
        "postsynaptic index",
        x_range=(0, cols),
        y_range=(0, rows),
    )
    mapper = LinearColorMapper(palette=Viridis256)
    fig.image(
        image="image", x="x", y="y", dw="dw", dh="dh", source=source, color_mapper=mapper
    )
    return fig, source


def weights_data(weights):
    """Columns for `weights_figure` from a weight matrix.

    Parameters
    ----------
    weights : ndarray, shape (rows, columns)

    Returns
    -------
    dict
    """
    weights = np.atleast_2d(np.asarray(weights, dtype=float))
    rows, cols = weights.shape
    return {"image": [weights], "x": [0], "y": [0], "dw": [cols], "dh": [rows]}


def xy_figure(x_label, y_label, title="XY"):
    """One value against another: a trail of the recent ``(x, y)`` points.

    Returns
    -------
    fig : bokeh.plotting.figure
    source : bokeh.models.ColumnDataSource
        Columns ``t``, ``x``, ``y``.
    """
    source = ColumnDataSource({"t": [], "x": [], "y": []}, name="nbsnn-xy")
    fig = _figure(title, x_label, y_label)
    fig.line("x", "y", source=source, color=Category10_10[0], line_width=2)
    return fig, source


def grid_shape(n):
    """``(rows, columns)`` of the most square grid holding ``n`` cells."""
    cols = max(1, int(np.ceil(np.sqrt(n))))
    return int(np.ceil(n / cols)), cols


def image_figure(shape, title, low=None, high=None, name="nbsnn-image"):
    """An image of a vector reshaped to ``shape`` (row 0 at the top).

    Parameters
    ----------
    shape : tuple of int
        ``(rows, columns)``.
    title : str
    low, high : float, optional
        Colour scale limits (default: each image's own range).
    name : str, optional
        Name given to the source.

    Returns
    -------
    fig : bokeh.plotting.figure
    source : bokeh.models.ColumnDataSource
        Columns ``image``, ``x``, ``y``, ``dw``, ``dh``.
    """
    rows, cols = shape
    source = ColumnDataSource(image_data(np.zeros(rows * cols), shape), name=name)
    fig = _figure(title, "column", "row", x_range=(0, cols), y_range=(rows, 0))
    fig.width = fig.height = min(FIGURE_HEIGHT + 40, FIGURE_WIDTH)
    mapper = LinearColorMapper(palette=Viridis256, low=low, high=high)
    fig.image(image="image", x="x", y="y", dw="dw", dh="dh", source=source, color_mapper=mapper)
    return fig, source


def image_data(values, shape):
    """Columns for `image_figure`: ``values`` (padded with NaN) as a ``shape`` image."""
    rows, cols = shape
    flat = np.full(rows * cols, np.nan)
    values = np.asarray(values, dtype=float).ravel()
    flat[: values.size] = values[: rows * cols]
    # bokeh draws image row 0 at the lowest y; with the y axis flipped, that is the top
    return {"image": [flat.reshape(rows, cols)], "x": [0], "y": [0], "dw": [cols], "dh": [rows]}


def rate_map_figure(n_neurons, label="neurons", high=None):
    """Per-neuron firing rates as a heat map (neurons in a near-square grid, row by row)."""
    return image_figure(
        grid_shape(n_neurons), f"Rate map: {label}", low=0.0, high=high, name="nbsnn-rate-map"
    )


def rate_map_data(rates):
    """Columns for `rate_map_figure` from one rate per neuron."""
    return image_data(rates, grid_shape(np.asarray(rates).size))


_GRAPH_STYLE = {  # kind -> (marker, colour)
    "ensemble": ("circle", Category10_10[0]),
    "node": ("square", Category10_10[1]),
    "network": ("diamond", Category10_10[2]),
}


def graph_data(items, edges):
    """Columns for `graph_figure`: ``(items, edges)`` sources' data from `graph_layout`."""
    nodes = {
        "x": [item.x for item in items],
        "y": [item.y for item in items],
        "label": [item.label for item in items],
        "kind": [item.kind for item in items],
        "marker": [_GRAPH_STYLE[item.kind][0] for item in items],
        "color": [_GRAPH_STYLE[item.kind][1] for item in items],
    }
    lines = {
        "x0": [items[a].x for a, _ in edges],
        "y0": [items[a].y for a, _ in edges],
        "x1": [items[b].x for _, b in edges],
        "y1": [items[b].y for _, b in edges],
    }
    # where a tap selects the connection: its middle, clear of the items' markers
    for end, (near, far) in (("0", ("0", "1")), ("1", ("1", "0"))):
        for axis in "xy":
            lines[f"tap_{axis}{end}"] = [
                (1 - _TAP_SPAN) / 2 * f + (1 + _TAP_SPAN) / 2 * n
                for n, f in zip(lines[axis + near], lines[axis + far])
            ]
    return nodes, lines


_TAP_SPAN = 0.6  # the middle part of a connection that a tap selects


def graph_figure(items, edges, title="Network"):
    """A network graph: items as markers (ensembles ●, nodes ■, networks ◆), connections as arrows.

    Items and connections can be tapped (selected).

    Returns
    -------
    fig : bokeh.plotting.figure
    nodes : bokeh.models.ColumnDataSource
        One row per item (``x``, ``y``, ``label``, ``kind``, ...); tapping one selects it.
    lines : bokeh.models.ColumnDataSource
        One row per connection (``x0``, ``y0``, ``x1``, ``y1``; ``tap_*``: the middle
        part where a tap selects it).
    """
    from bokeh.models import Arrow, LabelSet, NormalHead, TapTool

    node_data, line_data = graph_data(items, edges)
    nodes = ColumnDataSource(node_data, name="nbsnn-graph")
    lines = ColumnDataSource(line_data, name="nbsnn-graph-edges")
    fig = figure(title=title, name="nbsnn-graph-figure", width=FIGURE_WIDTH, height=FIGURE_HEIGHT + 60,
                 tools="pan,wheel_zoom,reset",
                 toolbar_location="above", x_range=DataRange1d(range_padding=0.3),
                 y_range=DataRange1d(range_padding=0.4))
    fig.axis.visible = False
    fig.grid.visible = False
    fig.add_layout(Arrow(end=NormalHead(size=8), x_start="x0", y_start="y0", x_end="x1", y_end="y1",
                         source=lines, line_color="gray"))
    # a wide invisible segment under each arrow makes the connection easy to tap
    wires = fig.segment("tap_x0", "tap_y0", "tap_x1", "tap_y1", source=lines, line_width=12, line_alpha=0.0,
                        nonselection_line_alpha=0.0, selection_line_alpha=0.25, selection_line_color="gray")
    markers = fig.scatter("x", "y", source=nodes, marker="marker", color="color", size=22)
    fig.add_layout(LabelSet(x="x", y="y", text="label", source=nodes, y_offset=14, text_align="center",
                            text_font_size="9pt"))
    fig.add_tools(TapTool(renderers=[markers, wires]))
    return fig, nodes, lines
