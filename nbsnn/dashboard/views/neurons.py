"""Views of an ensemble's neurons: raster, voltage, rates (histogram, map), tuning curves."""

import collections

import numpy as np
import nengo

from ...exceptions import ViewError
from .. import plots
from ..targets import describe
from ..widgets import StreamingBokehModel
from . import register_view
from .base import SeriesView, SnapshotView, View
from .values import plot_period

__all__ = [
    "MOST_ACTIVE",
    "RASTER_MAX_RATE",
    "RATE_SAMPLE_EVERY",
    "RATE_SYNAPSE",
    "RasterView",
    "RateMapView",
    "RatesView",
    "TuningView",
    "VoltageView",
    "select_neurons",
]

RASTER_MAX_RATE = 250.0  # Hz; a raster keeps history * neurons * this many spikes
RATE_SYNAPSE = 0.05
RATE_SAMPLE_EVERY = 0.05
MOST_ACTIVE = "most active"
ACTIVITY_DECAY = 0.8  # per chunk, for choosing the most active neurons


def ensemble_of(session, target, what):
    """The copy's ensemble that ``target`` (an Ensemble or its Neurons) names."""
    obj = session.resolve(target, what)
    if isinstance(obj, nengo.ensemble.Neurons):
        obj = obj.ensemble
    if not isinstance(obj, nengo.Ensemble):
        raise ViewError(
            f"{what}: {describe(obj)} is a {type(obj).__name__}, not an Ensemble; "
            "neuron views need an ensemble's neurons"
        )
    if isinstance(obj.neuron_type, nengo.Direct):
        raise ViewError(f"{what}: {describe(obj)} uses nengo.Direct and has no neurons")
    return obj


def select_neurons(ensemble, neurons, what):
    """Neuron indices of ``ensemble`` from a slice, a list, an int (the first n) or None (all).

    Returns
    -------
    slice or ndarray
        A slice when ``neurons`` is one (probing a slice keeps Nengo's
        optimizer free to merge operators), else sorted indices.

    Raises
    ------
    ViewError
        If an index is out of range or the selection is empty.
    """
    n = ensemble.n_neurons
    if neurons is None:
        return slice(0, n)
    if isinstance(neurons, (int, np.integer)):
        neurons = slice(0, min(int(neurons), n))
    if isinstance(neurons, slice):
        if len(range(n)[neurons]) == 0:
            raise ViewError(f"{what}: {neurons} selects no neuron of {describe(ensemble)} ({n} neurons)")
        return neurons
    indices = np.asarray(neurons)
    if indices.ndim != 1 or indices.size == 0 or not np.issubdtype(indices.dtype, np.integer):
        raise ViewError(f"{what}: neurons must be a slice, a list of indices or {MOST_ACTIVE!r}, got {neurons!r}")
    bad = indices[(indices < 0) | (indices >= n)]
    if bad.size:
        raise ViewError(
            f"{what}: neuron indices {bad.tolist()} are out of range for {describe(ensemble)}, "
            f"which has {n} neurons (0..{n - 1})"
        )
    return np.unique(indices)


def _indices(selection, n):
    return np.arange(n)[selection] if isinstance(selection, slice) else selection


@register_view("raster")
class RasterView(SeriesView):
    """Spike raster: one tick per spike at (time, neuron index); `data` has one row per spike.

    Parameters
    ----------
    session : LiveSession
    target : Ensemble, Neurons or str
    neurons : slice, list of int, int or "most active", optional
        Which neurons: a slice or list of indices, the first ``n``, or the
        ``n_active`` most active ones (re-chosen every frame). Default: the
        first 40.
    n_active : int, optional
        How many neurons "most active" shows.
    """

    needs_target = True

    def __init__(self, session, target, neurons=40, n_active=40, title=None):
        ens = ensemble_of(session, target, "raster view")
        if not ens.neuron_type.spiking:
            raise ViewError(
                f"raster view: {describe(ens)} uses {type(ens.neuron_type).__name__}, which does "
                "not spike; show its rates instead"
            )
        self.ensemble = ens
        self.most_active = isinstance(neurons, str)
        if self.most_active and neurons != MOST_ACTIVE:
            raise ViewError(f"raster view: neurons={neurons!r}; did you mean {MOST_ACTIVE!r}?")
        if self.most_active:
            selection = slice(0, ens.n_neurons)
            shown = min(int(n_active), ens.n_neurons)
            first, span = 0, ens.n_neurons
        else:
            selection = select_neurons(ens, neurons, "raster view")
            shown = len(_indices(selection, ens.n_neurons))
            idx = _indices(selection, ens.n_neurons)
            first, span = int(idx.min()), int(idx.max() - idx.min() + 1)
        self.indices = _indices(selection, ens.n_neurons)
        self.n_shown = shown
        self._activity = np.zeros(ens.n_neurons)
        self._line_ends = collections.deque()  # the last time of each line the source holds
        probe = session.probe(ens.neurons[selection], "output")
        title = title or f"Spike raster: {describe(ens)}"
        fig, source = plots.spike_raster_figure(span, session.window, describe(ens), first=first)
        super().__init__(
            session, title, fig, source, ["t", "neuron"], None, [probe], ["neuron"],
            rows_per_second=max(1000.0, shown * RASTER_MAX_RATE),
        )

    def rows(self, times, blocks):
        (spikes,) = blocks
        if self.most_active:
            self._activity = ACTIVITY_DECAY * self._activity + np.count_nonzero(spikes, axis=0)
            keep = np.zeros(spikes.shape[1], dtype=bool)
            keep[np.argsort(-self._activity, kind="stable")[: self.n_shown]] = True
            spikes = spikes * keep
        data = plots.spike_raster_data(spikes, times)
        return np.column_stack([data["t"], self.indices[data["neuron"].astype(int)]])

    def source_data(self, rows):
        """One raster line (`plots.spike_raster_lines`) for all of ``rows``."""
        if not len(rows):
            return {"xs": [], "ys": []}
        line = plots.spike_raster_lines(rows[:, 0], rows[:, 1])
        return {"xs": [line["x"]], "ys": [line["y"]]}

    def source_rollover(self, rows):
        """The lines (one per frame) with spikes in the window ending at the last of ``rows``."""
        self._line_ends.append(rows[-1, 0])
        start = rows[-1, 0] - self.session.window
        while self._line_ends[0] <= start:
            self._line_ends.popleft()  # rolled out of the source with its line
        return len(self._line_ends)

    def _show_rows(self, rows):
        super()._show_rows(rows)
        self._line_ends = collections.deque(rows[-1:, 0])

    def clear(self):
        super().clear()
        self._activity = np.zeros(self.ensemble.n_neurons)
        self._line_ends.clear()


@register_view("voltage")
class VoltageView(SeriesView):
    """Membrane voltage of a few neurons over time.

    Parameters
    ----------
    session : LiveSession
    target : Ensemble, Neurons or str
    neurons : slice, list of int or int, optional
        Which neurons (default: the first 3).
    """

    needs_target = True

    def __init__(self, session, target, neurons=3, title=None):
        ens = ensemble_of(session, target, "voltage view")
        if "voltage" not in ens.neuron_type.probeable:
            raise ViewError(
                f"voltage view: {describe(ens)} uses {type(ens.neuron_type).__name__}, "
                "which has no membrane voltage"
            )
        selection = select_neurons(ens, neurons, "voltage view")
        self.ensemble = ens
        self.indices = _indices(selection, ens.n_neurons)
        labels = [f"neuron {i}" for i in self.indices]
        period = plot_period(session)
        probe = session.probe(ens.neurons[selection], "voltage", sample_every=period)
        title = title or f"Membrane voltage: {describe(ens)}"
        columns = ["t"] + [f"y{i}" for i in range(len(labels))]
        fig, source = plots.series_figure(title, labels, session.window, "nbsnn-voltage", y_label="voltage")
        super().__init__(session, title, fig, source, columns, period, [probe], labels)


def _rate_probe(session, ens, selection):
    synapse = nengo.Lowpass(RATE_SYNAPSE) if ens.neuron_type.spiking else None
    return session.probe(ens.neurons[selection], "output", synapse=synapse, sample_every=RATE_SAMPLE_EVERY)


def _top_rate(ens):
    return 1.25 * float(getattr(ens.max_rates, "high", 400.0))


@register_view("rates")
class RatesView(SnapshotView):
    """Histogram of firing rates across neurons (spikes filtered with 50 ms, every 50 ms).

    Parameters
    ----------
    session : LiveSession
    target : Ensemble, Neurons or str
    neurons : slice, list of int or int, optional
        Which neurons (default: all; probing the whole population keeps
        Nengo's optimizer free to merge its operators).
    """

    needs_target = True

    def __init__(self, session, target, neurons=None, title=None):
        ens = ensemble_of(session, target, f"{self.kind} view")
        selection = select_neurons(ens, neurons, f"{self.kind} view")
        self.ensemble = ens
        self.indices = _indices(selection, ens.n_neurons)
        self.edges = np.linspace(0.0, _top_rate(ens), 26)
        fig, source = self.figure(describe(ens))
        super().__init__(
            session, title or fig.title.text, fig, source, _rate_probe(session, ens, selection),
            [f"neuron {i}" for i in self.indices],
        )

    def figure(self, label):
        """The figure and source (`plots.rate_histogram_figure`)."""
        return plots.rate_histogram_figure(self.edges, label)

    def draw(self, values):
        return plots.rate_histogram_data(values, self.edges)


@register_view("rate_map")
class RateMapView(RatesView):
    """Per-neuron firing rates as a heat map (neurons in a near-square grid)."""

    def figure(self, label):
        return plots.rate_map_figure(len(self.indices), label, high=_top_rate(self.ensemble))

    def draw(self, values):
        return plots.rate_map_data(values)


@register_view("tuning")
class TuningView(View):
    """Tuning curves: firing rate against the value on dimension 0 (recomputed on rebuild).

    Parameters
    ----------
    session : LiveSession
    target : Ensemble or str
    n_curves : int, optional
        How many neurons (the first ones).
    """

    needs_target = True

    def __init__(self, session, target, n_curves=20, title=None):
        ens = ensemble_of(session, target, "tuning view")
        self.ensemble = ens
        self.n_curves = int(n_curves)
        self.curves = None
        self._fresh = False
        fig, self.source = plots.tuning_figure(describe(ens))
        self.plot = StreamingBokehModel(fig)
        super().__init__(session, title or fig.title.text, self.plot)

    def built(self, sim):
        self.curves = plots.tuning_data(self.ensemble, sim, n_curves=self.n_curves)
        self._fresh = True

    def publish(self):
        if self._fresh:
            self._fresh = False
            self.source.data = self.curves
            self.plot.refresh()  # shown even if the widget is displayed later
        return None

    @property
    def data(self):
        import pandas as pd

        if self.curves is None:
            return pd.DataFrame()
        table = {"x": self.curves["xs"][0] if self.curves["xs"] else []}
        table.update({f"neuron {i}": ys for i, ys in enumerate(self.curves["ys"])})
        return pd.DataFrame(table)
