"""Sweep results as a tidy pandas DataFrame: one row per point."""

from __future__ import annotations

import numbers

import pandas as pd

__all__ = ["METRIC_COLUMNS", "load_results", "metrics_of", "tidy"]

#: Standard metric columns, in the order they appear (when a sweep reports them).
METRIC_COLUMNS = (
    "accuracy", "metric", "mean_rate", "max_rate", "spikes_per_inference", "latency",
)
#: Columns every sweep has.
RUN_COLUMNS = ("wall_time", "error_type", "error")


def metrics_of(output) -> dict:
    """Return an evaluate function's output as a dict of metrics.

    A number becomes ``{"metric": number}``; a mapping is taken as it is.
    """
    if isinstance(output, numbers.Number):
        return {"metric": output}
    if hasattr(output, "items"):
        return dict(output.items())
    raise TypeError(
        f"an evaluate function must return a number or a dict of metrics, got "
        f"{type(output).__name__}; return e.g. {{'accuracy': acc, 'mean_rate': rate}}")


def tidy(records, params) -> pd.DataFrame:
    """Return the records of a sweep as a DataFrame with ordered columns.

    Columns: ``key``, the parameters (in ``params`` order), the standard metrics
    that appear (`METRIC_COLUMNS`), other metrics in the order first seen, then
    ``wall_time``, ``error_type`` and ``error``. ``df.attrs["params"]`` lists the
    parameter names.
    """
    df = pd.DataFrame(list(records))
    params = list(params)
    for col in ("key", *params, *RUN_COLUMNS):
        if col not in df.columns:
            df[col] = None
    head = ["key", *params]
    standard = [c for c in METRIC_COLUMNS if c in df.columns]
    other = [c for c in df.columns if c not in {*head, *standard, *RUN_COLUMNS}]
    df = df[[*head, *standard, *other, *RUN_COLUMNS]].reset_index(drop=True)
    df.attrs["params"] = params
    return df


def load_results(path, params=None) -> pd.DataFrame:
    """Read a sweep's results folder (the ``results=`` of `nbsnn.sweep.sweep`).

    Parameters
    ----------
    path : str or path-like
        The results folder.
    params : list of str, optional
        Parameter column names; by default the columns stored as parameters.
    """
    from .store import ResultStore

    store = ResultStore(path, create=False)
    df = store.read()
    if params is None:
        params = store.params()
    return tidy(df.to_dict("records"), params)
