"""Interactive bokeh plots of sweep results: heat maps and Pareto fronts.

The functions return bokeh layouts; show them with ``bokeh.io.show`` (after
``bokeh.io.output_notebook()`` in a notebook). Hovering a cell or point shows
its parameters and metrics.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd

__all__ = ["heatmaps", "pareto", "pareto_front", "plot_sweep"]


def _params(df: pd.DataFrame, params) -> list[str]:
    params = list(params if params is not None else df.attrs.get("params", []))
    if not params:
        raise ValueError("give params=[...]: the DataFrame does not say which columns are "
                         "parameters (df.attrs['params'] is missing)")
    missing = [p for p in params if p not in df.columns]
    if missing:
        raise ValueError(f"parameters {missing} are not columns of the results")
    return params


def _label(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "None"
    if isinstance(value, (float, np.floating)):
        return f"{value:g}"
    return str(value)


def _factors(column: pd.Series) -> list[str]:
    values = list(dict.fromkeys(column.tolist()))
    try:
        values.sort(key=lambda v: (v is None or v != v, v))
    except TypeError:  # mixed types: keep the order of appearance
        pass
    return list(dict.fromkeys(_label(v) for v in values))


def _ok(df: pd.DataFrame, columns) -> pd.DataFrame:
    """Rows without errors where every column in ``columns`` is a number."""
    rows = df
    if "error_type" in df.columns:
        rows = rows[rows["error_type"].isna()]
    for col in columns:
        if col not in df.columns:
            raise ValueError(f"no column {col!r} in the results; columns: {list(df.columns)}")
        rows = rows[pd.to_numeric(rows[col], errors="coerce").notna()]
    return rows


def heatmaps(df: pd.DataFrame, metric: str = "accuracy", params=None, *,
             agg: str = "mean", width: int = 320, height: int = 280, palette="Viridis256"):
    """Return a grid of heat maps of ``metric``, one per pair of parameters.

    Each cell aggregates (``agg``, over the other parameters) the points that
    share the pair's values; points that raised are left out. With one
    parameter, one row of cells is drawn.

    Parameters
    ----------
    df : pandas.DataFrame
        Results of `nbsnn.sweep.sweep`.
    metric : str
        Column to colour by.
    params : list of str, optional
        Parameters to pair (default: all of ``df.attrs["params"]``).
    agg : str
        Pandas aggregation over the other parameters (``"mean"``, ``"max"``...).
    """
    from bokeh.layouts import gridplot
    from bokeh.models import ColorBar, ColumnDataSource, HoverTool, LinearColorMapper
    from bokeh.plotting import figure

    params = _params(df, params)
    rows = _ok(df, [metric])
    values = pd.to_numeric(rows[metric])
    low, high = (float(values.min()), float(values.max())) if len(values) else (0.0, 1.0)
    mapper = LinearColorMapper(palette=palette, low=low, high=high if high > low else low + 1)
    pairs = list(itertools.combinations(params, 2)) or [(params[0], None)]
    figures = []
    for xname, yname in pairs:
        table = rows.assign(**{metric: values})
        table = table.assign(_x=table[xname].map(_label),
                             _y=table[yname].map(_label) if yname else metric)
        cells = table.groupby(["_x", "_y"], sort=False)[metric].agg([agg, "count"])
        cells = cells.reset_index().rename(columns={agg: "value", "count": "n"})
        source = ColumnDataSource(cells.to_dict("list"))
        y_factors = _factors(df[yname]) if yname else [metric]
        fig = figure(x_range=_factors(df[xname]), y_range=y_factors, width=width,
                     height=height, title=f"{metric} ({agg})", x_axis_label=xname,
                     y_axis_label=yname or "", tools="hover,save,reset",
                     toolbar_location="right")
        fig.rect("_x", "_y", 1, 1, source=source, line_color=None,
                 fill_color={"field": "value", "transform": mapper})
        tips = [(xname, "@_x")] + ([(yname, "@_y")] if yname else [])
        fig.select_one(HoverTool).tooltips = tips + [(metric, "@value{0.000}"), ("points", "@n")]
        fig.grid.grid_line_color = None
        figures.append(fig)
    figures[-1].add_layout(ColorBar(color_mapper=mapper, width=8), "right")
    ncols = max(1, len(params) - 1)
    return gridplot(figures, ncols=min(ncols, 3), merge_tools=False)


def pareto_front(df: pd.DataFrame, maximize=("accuracy",), minimize=("mean_rate",)) -> pd.Series:
    """Return a boolean Series marking the rows no other row dominates.

    A row dominates another when it is at least as good in every objective
    (higher for ``maximize``, lower for ``minimize``) and better in one. Rows
    with an error or a missing objective are never on the front.
    """
    maximize = [maximize] if isinstance(maximize, str) else list(maximize)
    minimize = [minimize] if isinstance(minimize, str) else list(minimize)
    rows = _ok(df, [*maximize, *minimize])
    scores = np.column_stack(
        [pd.to_numeric(rows[c]).to_numpy(float) for c in maximize]
        + [-pd.to_numeric(rows[c]).to_numpy(float) for c in minimize])
    on_front = np.ones(len(rows), dtype=bool)
    for i, s in enumerate(scores):
        dominated = np.all(scores >= s, axis=1) & np.any(scores > s, axis=1)
        on_front[i] = not dominated.any()
    mask = pd.Series(False, index=df.index)
    mask[rows.index[on_front]] = True
    return mask


def pareto(df: pd.DataFrame, metric: str = "accuracy", costs=("mean_rate", "latency"),
           params=None, *, width: int = 380, height: int = 320):
    """Return scatter plots of ``metric`` against each cost, with the Pareto front drawn.

    In each plot the points on the front of (``metric`` up, that cost down) are
    red and joined by a step line; hovering any point shows its parameters.
    Costs missing from the results are skipped.
    """
    from bokeh.layouts import row
    from bokeh.models import ColumnDataSource, HoverTool
    from bokeh.plotting import figure

    params = _params(df, params)
    costs = [c for c in ([costs] if isinstance(costs, str) else costs) if c in df.columns]
    if not costs:
        raise ValueError("none of the costs are columns of the results")
    figures = []
    for cost in costs:
        rows = _ok(df, [metric, cost])
        front = pareto_front(rows, maximize=metric, minimize=cost)
        table = pd.DataFrame({
            "x": pd.to_numeric(rows[cost]).to_numpy(float),
            "y": pd.to_numeric(rows[metric]).to_numpy(float),
            "color": np.where(front, "crimson", "steelblue"),
            **{f"p_{p}": rows[p].map(_label).to_numpy() for p in params},
        })
        fig = figure(width=width, height=height, x_axis_label=cost, y_axis_label=metric,
                     title=f"{metric} vs {cost}", tools="hover,pan,wheel_zoom,box_zoom,reset,save")
        line = table[front.to_numpy()].sort_values("x")
        fig.step(line["x"], line["y"], mode="after", color="crimson", line_width=2, alpha=0.6)
        fig.scatter("x", "y", source=ColumnDataSource(table.to_dict("list")), color="color",
                    size=9, alpha=0.8)
        fig.select_one(HoverTool).tooltips = (
            [(p, f"@p_{p}") for p in params] + [(metric, "@y{0.000}"), (cost, "@x{0.000}")])
        figures.append(fig)
    return row(figures)


def plot_sweep(df: pd.DataFrame, metric: str = "accuracy", costs=("mean_rate", "latency"),
               params=None):
    """Return the heat maps and the Pareto plots of a sweep in one column."""
    from bokeh.layouts import column

    return column(heatmaps(df, metric, params), pareto(df, metric, costs, params))
