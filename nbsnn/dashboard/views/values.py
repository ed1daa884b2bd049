"""Views of decoded values: over time (`ValueView`) and against each other (`XYView`)."""

import nengo
import numpy as np

from ...exceptions import ViewError
from .. import plots
from ..targets import describe
from . import register_view
from .base import SeriesView

__all__ = ["DECODED_SYNAPSE", "POINTS_PER_WINDOW", "ValueView", "XYView", "check_output", "output_probe", "plot_period"]

POINTS_PER_WINDOW = 400
DECODED_SYNAPSE = 0.01


def plot_period(session):
    """Sampling period of time plots: about `POINTS_PER_WINDOW` points per window."""
    steps = max(1, round(session.window / (POINTS_PER_WINDOW * session.dt)))
    return steps * session.dt


def check_output(obj, what):
    """Raise `ViewError` unless ``obj`` has an output to show; return the object viewed."""
    base = obj.obj if isinstance(obj, nengo.base.ObjView) else obj
    if not isinstance(base, (nengo.Ensemble, nengo.Node, nengo.Connection, nengo.ensemble.Neurons)):
        raise ViewError(
            f"{what}: {describe(obj)} is a {type(base).__name__} and has no output; "
            "show an Ensemble, Node, Neurons or Connection"
        )
    if obj.size_out == 0:
        raise ViewError(f"{what}: {describe(obj)} has no output (size_out is 0)")
    return base


def output_probe(session, obj, what, sample_every):
    """Probe the output of ``obj`` (a copy's object), filtered if it is decoded.

    Raises
    ------
    ViewError
        If ``obj`` has no output to show.
    """
    base = check_output(obj, what)
    synapse = DECODED_SYNAPSE if isinstance(base, (nengo.Ensemble, nengo.Connection)) else None
    return session.probe(obj, synapse=synapse, sample_every=sample_every)


def _labels(obj):
    name = describe(obj)
    if obj.size_out == 1:
        return [name]
    return [f"{name}[{d}]" for d in range(obj.size_out)]


@register_view("value")
class ValueView(SeriesView):
    """Decoded value(s) over time: one line per dimension.

    Parameters
    ----------
    session : LiveSession
    target : object, str or list of them
        Anything with an output (Ensemble: decoded, filtered with a 10 ms
        synapse; Node; Connection), or a list of them in one plot.
    title : str, optional
    """

    needs_target = True

    def __init__(self, session, target, title=None):
        targets = target if isinstance(target, (list, tuple)) else [target]
        period = plot_period(session)
        objs = [session.resolve(item, "value view") for item in targets]
        for obj in objs:
            check_output(obj, "value view")
        probes = [output_probe(session, obj, "value view", period) for obj in objs]
        labels = [label for obj in objs for label in _labels(obj)]
        self.targets = objs
        title = title or "Value: " + ", ".join(describe(o) for o in objs)
        columns = ["t"] + [f"y{i}" for i in range(len(labels))]
        fig, source = plots.series_figure(title, labels, session.window, "nbsnn-values")
        super().__init__(session, title, fig, source, columns, period, probes, labels)


@register_view("xy")
class XYView(SeriesView):
    """Two dimensions of one output against each other (a trail over the window).

    Parameters
    ----------
    session : LiveSession
    target : object or str
        Anything with an output of at least two dimensions.
    dims : (int, int), optional
        The dimensions shown on x and y.
    """

    needs_target = True

    def __init__(self, session, target, dims=(0, 1), title=None):
        obj = session.resolve(target, "xy view")
        check_output(obj, "xy view")
        dims = tuple(int(d) for d in dims)
        if len(dims) != 2 or not all(0 <= d < obj.size_out for d in dims):
            raise ViewError(
                f"xy view: {describe(obj)} has {obj.size_out} dimensions; "
                f"dims={dims} must be two of 0..{obj.size_out - 1}"
            )
        period = plot_period(session)
        probe = output_probe(session, obj, "xy view", period)
        self.target = obj
        self.dims = dims
        labels = _labels(obj)
        x_label, y_label = labels[dims[0]], labels[dims[1]]
        title = title or f"XY: {describe(obj)}"
        fig, source = plots.xy_figure(x_label, y_label, title)
        super().__init__(session, title, fig, source, ["t", "x", "y"], period, [probe], [x_label, y_label])

    def rows(self, times, blocks):
        (values,) = blocks
        return np.column_stack([times, values[:, self.dims[0]], values[:, self.dims[1]]])
