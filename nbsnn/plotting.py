"""Bokeh figures of probe data (pure builders; nothing is shown or served here)."""

from __future__ import annotations

import numpy as np

__all__ = ["values_figure", "raster_figure", "probe_figure", "probes_layout"]

_WIDTH = 640
_HEIGHT = 220
_MAX_LINES = 16


def _figure(title: str, y_label: str, x_range=None):
    from bokeh.plotting import figure

    kwargs = {"x_range": x_range} if x_range is not None else {}
    fig = figure(title=title, width=_WIDTH, height=_HEIGHT, x_axis_label="time (s)",
                 y_axis_label=y_label, tools="pan,wheel_zoom,box_zoom,reset,save",
                 **kwargs)
    fig.toolbar.logo = None
    return fig


def values_figure(trange, data, title: str = "", y_label: str = "value",
                  x_range=None):
    """Line plot of a probe's values over time, one line per column.

    Parameters
    ----------
    trange : array_like, shape (n_steps,)
        Sample times.
    data : array_like, shape (n_steps,) or (n_steps, n_columns)
        Probe data. Only the first 16 columns are drawn.
    title, y_label : str
        Figure title and y-axis label.
    x_range : bokeh Range, optional
        Shared x range (to link figures).

    Returns
    -------
    bokeh.plotting.figure
    """
    from bokeh.models import ColumnDataSource
    from bokeh.palettes import Category10_10

    trange = np.asarray(trange, dtype=float)
    data = np.asarray(data, dtype=float).reshape(len(trange), -1)
    fig = _figure(title, y_label, x_range)
    columns = {"t": trange}
    for i in range(min(data.shape[1], _MAX_LINES)):
        columns[f"y{i}"] = data[:, i]
    source = ColumnDataSource(columns)
    for i in range(min(data.shape[1], _MAX_LINES)):
        label = f"[{i}]" if data.shape[1] > 1 else None
        kwargs = {"legend_label": label} if label else {}
        fig.line("t", f"y{i}", source=source, color=Category10_10[i % 10],
                 line_width=1.5, **kwargs)
    if data.shape[1] > 1:
        fig.legend.click_policy = "hide"
        fig.legend.location = "top_left"
    return fig


def raster_figure(trange, spikes, title: str = "", max_neurons: int = 100, x_range=None):
    """Spike raster: a tick at (time, neuron) for every spike.

    Parameters
    ----------
    trange : array_like, shape (n_steps,)
        Sample times.
    spikes : array_like, shape (n_steps, n_neurons)
        Spike probe data (non-zero where a neuron spiked).
    title : str
        Figure title.
    max_neurons : int
        Draw at most this many neurons (the first ones).
    x_range : bokeh Range, optional
        Shared x range.

    Returns
    -------
    bokeh.plotting.figure
    """
    from bokeh.models import ColumnDataSource

    trange = np.asarray(trange, dtype=float)
    spikes = np.asarray(spikes).reshape(len(trange), -1)[:, :max_neurons]
    steps, neurons = np.nonzero(spikes)
    fig = _figure(title, "neuron", x_range)
    source = ColumnDataSource({"t": trange[steps], "neuron": neurons})
    fig.scatter("t", "neuron", source=source, marker="dash", angle=np.pi / 2,
                size=6, color="black")
    fig.y_range.flipped = True
    return fig


def probe_figure(trange, data, probe, x_range=None):
    """Draw one Nengo probe: a raster for spikes, lines otherwise.

    Parameters
    ----------
    trange : array_like
        Sample times of this probe.
    data : array_like
        The probe's data.
    probe : nengo.Probe
        The probe (its target and attribute pick the kind of plot).
    x_range : bokeh Range, optional
        Shared x range.

    Returns
    -------
    bokeh.plotting.figure
    """
    import nengo

    title = str(probe.label or probe)
    data = np.asarray(data)
    if isinstance(probe.target, nengo.ensemble.Neurons) and probe.attr == "output" \
            and probe.target.ensemble.neuron_type.spiking:
        return raster_figure(trange, data, title, x_range=x_range)
    if data.ndim > 2:
        data = data.reshape(len(data), -1)
    labels = {"voltage": "voltage", "weights": "weight"}
    return values_figure(trange, data, title, labels.get(probe.attr, "value"), x_range)


def probes_layout(trange_for, data, probes):
    """Lay out linked figures in a column, one per probe.

    Parameters
    ----------
    trange_for : callable
        ``trange_for(probe)`` gives the sample times of a probe (probes may
        sample at different rates).
    data : mapping
        Probe -> data array.
    probes : sequence of nengo.Probe
        The probes to draw, in order.

    Returns
    -------
    bokeh.layouts.column
    """
    from bokeh.layouts import column

    figures = []
    x_range = None
    for probe in probes:
        fig = probe_figure(trange_for(probe), data[probe], probe, x_range)
        x_range = x_range or fig.x_range
        figures.append(fig)
    return column(*figures)
