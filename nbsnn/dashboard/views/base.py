"""The `View` base class and the two shapes of bokeh view built on it.

A view is an ipywidget bound to one `LiveSession`. It owns

- its **probe plan**: the `nengo.Probe` objects it adds to the session's copy
  of the network (``self.probes``, made in ``__init__``);
- how it **collects** a chunk: `View.collect` runs on the session's worker
  thread right after ``sim.run_steps`` and returns the chunk's new rows;
- how it **publishes** them: `View.append` keeps the rows in the view's ring
  buffer (bounded: the last ``session.history`` seconds) and `View.publish`
  draws what is new; the session's `Publisher` decides when to call it;
- how it **shows a moment** of the kept history (`View.show_at`, for scrubbing)
  and what it **exports** (`View.data`, a pandas DataFrame, and `to_csv`).

`SeriesView` streams time series (rows ``t, y0, y1, ...``) with ``rollover``;
`SnapshotView` redraws one row at a time (rates, weights, images). Figures are
built by the pure functions of `nbsnn.dashboard.plots`.
"""

import math

import ipywidgets as w
import numpy as np
from bokeh.layouts import column
from bokeh.models import CustomJS, Div

from ..ring import RingBuffer
from ..widgets import BokehJSOnDisplay, StreamingBokehModel, load_bokehjs

__all__ = ["SeriesView", "SnapshotView", "View", "sample_times"]

# After a stream is drawn, report the last time plotted (see Publisher.drawn).
_DRAWN_JS = """
const data = source.data;
const t = data instanceof Map ? data.get("t") : data.t;
if (t && t.length) {
  const last = String(t[t.length - 1]);
  requestAnimationFrame(() => setTimeout(() => { drawn.text = last; }, 0));
}
"""


def sample_times(offset, dt, n0, n1, sample_every):
    """Simulated times of the samples a probe takes in steps ``n0+1 .. n1``.

    Uses Nengo's rule: a probe with ``sample_every`` records after step ``n``
    when ``n % (sample_every / dt) < 1``.
    """
    steps = np.arange(n0 + 1, n1 + 1)
    if sample_every is not None:
        steps = steps[steps % (sample_every / dt) < 1]
    return offset + steps * dt


class View(w.VBox):
    """A widget showing one aspect of a live session.

    Subclasses build their body widget and probe plan, then call this
    ``__init__``; they override the hooks below that apply to them.

    Parameters
    ----------
    session : LiveSession
        The session the view belongs to.
    title : str
        Shown in the view's header.
    body : ipywidgets.Widget
        What the view draws (or the controls it offers).
    probes : sequence of nengo.Probe, optional
        Probes the view added to ``session.model``.

    Attributes
    ----------
    kind : str
        The name the view type is registered under (see `register_view`).
    closed : bool
        Whether `close` was called.
    """

    kind = None
    needs_target = True  # whether `LiveSession.view` must be given a target

    def __init__(self, session, title, body, probes=()):
        self.session = session
        self.title = title
        self.body = body
        self.probes = list(probes)
        self.closed = False
        self.close_button = w.Button(icon="times", tooltip="close this view", layout={"width": "32px"})
        self.close_button.on_click(lambda _: self.close())
        header = w.HBox([w.HTML(f"<b>{_escape(title)}</b>"), self.close_button])
        header.add_class("nbsnn-view-header")
        super().__init__([header, body])
        self.add_class("nbsnn-view")
        session.attach(self)

    # -- hooks (override what applies) ------------------------------------

    def built(self, sim):
        """Called on the worker thread after the simulator is (re)built."""

    def collect(self, sim, n0, n1):
        """Return the rows of steps ``n0+1 .. n1`` (worker thread), or None."""
        return None

    def append(self, rows):
        """Keep a chunk's rows (main thread)."""

    def publish(self):
        """Draw what is new; return the last time drawn if the browser reports it."""
        return None

    def show_at(self, t):
        """Show the moment ``t`` (simulated seconds) of the kept history."""

    def clear(self):
        """Forget everything drawn (after a reset)."""

    @property
    def data(self):
        """What the view draws, as a pandas DataFrame."""
        import pandas as pd

        return pd.DataFrame()

    # -- common -----------------------------------------------------------

    def to_csv(self, path, **kwargs):
        """Write `data` to a CSV file (``kwargs`` go to `pandas.DataFrame.to_csv`)."""
        self.data.to_csv(path, index=False, **kwargs)

    def close(self):
        """Detach from the session and close the widget (safe to call twice)."""
        if getattr(self, "closed", True):  # closed, or failed before attaching
            return
        self.closed = True
        self.session.detach(self)
        self.body.close()
        super().close()

    def __repr__(self):
        return f"<{type(self).__name__} {self.title!r}>"


def _escape(text):
    import html

    return html.escape(str(text))


class _BokehView(BokehJSOnDisplay, View):
    """A view drawn by one bokeh layout in a `StreamingBokehModel`."""

    def __init__(self, session, title, layout, probes=(), report=None):
        publisher = session.publisher
        if report is not None and publisher.channel is None and publisher.reporter is None:
            # without a frame channel, the session's first time plot reports through a hidden Div
            # the frames it has drawn
            drawn = Div(text="", visible=False, name="nbsnn-drawn")
            report.js_on_change("streaming", CustomJS(args={"source": report, "drawn": drawn}, code=_DRAWN_JS))
            drawn.on_change("text", lambda attr, old, new: new and publisher.drawn(float(new)))
            layout = column(layout, drawn)
            publisher.reporter = self
        self.plot = StreamingBokehModel(layout)
        load_bokehjs()
        super().__init__(session, title, self.plot, probes)


class SeriesView(_BokehView):
    """Time series streamed to a bokeh source with columns ``t, y0, y1, ...``.

    Parameters
    ----------
    session : LiveSession
    title : str
    figure, source
        From a `plots` builder; ``source`` has the columns of ``columns``.
    columns : sequence of str
        Source columns, ``t`` first.
    sample_every : float or None
        The probes' sampling period (None: every step); sets the ring sizes.
    probes : sequence of nengo.Probe
    labels : sequence of str, optional
        Column names of `data` for the value columns (default: ``columns[1:]``).
    rows_per_second : float, optional
        Rows per simulated second when rows are not one per sample (a raster's spikes).
    """

    def __init__(self, session, title, figure, source, columns, sample_every, probes,
                 labels=None, rows_per_second=None):
        if rows_per_second is None:
            rows_per_second = 1.0 / (sample_every or session.dt)
        self.source = source
        self.columns = tuple(columns)
        self.labels = list(labels) if labels is not None else list(self.columns[1:])
        self.sample_every = sample_every
        self.window_rows = math.ceil(session.window * rows_per_second) + 1
        self.ring = RingBuffer(math.ceil(session.history * rows_per_second) + 1, self.columns)
        self._sent_total = 0
        self._redraw = False
        super().__init__(session, title, figure, probes, report=source)

    def collect(self, sim, n0, n1):
        times = sample_times(self.session.time_offset, sim.dt, n0, n1, self.sample_every)
        blocks = [np.asarray(sim.data[p]).reshape(-1, p.size_in) for p in self.probes]
        n = min([len(times)] + [len(b) for b in blocks])
        return self.rows(times[:n], [b[:n] for b in blocks])

    def rows(self, times, blocks):
        """Turn a chunk's sample times and probe blocks into ring rows."""
        return np.column_stack([times] + blocks)

    def append(self, rows):
        self.ring.extend_rows(rows)

    def source_data(self, rows):
        """The bokeh source's columns for ring ``rows`` (by default the ring's own columns)."""
        return {c: rows[:, i].tolist() for i, c in enumerate(self.columns)}

    def source_rollover(self, rows):
        """Rows the bokeh source keeps after streaming ``source_data(rows)`` (the window's).

        Called once per stream, with the rows streamed.
        """
        return self._rows_in_window()

    def publish(self):
        new = self.ring.total - self._sent_total
        self._sent_total = self.ring.total
        if self._redraw:
            self._redraw = False
            self._show_rows(self._window(np.inf))
        elif new > 0:
            rows = self.ring.rows(new)
            self.session.publisher.stream(
                self, self.source, self.source_data(rows), self.source_rollover(rows)
            )
        else:
            return None
        return self.ring.last("t")[0] if len(self.ring) else None

    def _rows_in_window(self):
        """How many kept rows fall in the window ending at the last one (the source keeps those)."""
        recent = self.ring.last("t", self.window_rows)
        return max(1, int(np.count_nonzero(recent > recent[-1] - self.session.window)))

    def _window(self, t):
        rows = self.ring.rows()
        rows = rows[rows[:, 0] <= t]
        return rows[rows[:, 0] > rows[-1, 0] - self.session.window] if len(rows) else rows

    def _show_rows(self, rows):
        self.source.data = self.source_data(rows)

    def show_at(self, t):
        self._show_rows(self._window(t))
        self._redraw = True  # the next live frame draws the latest window again

    def clear(self):
        self.ring.clear()
        self._sent_total = 0
        self._redraw = False
        self.source.data = self.source_data(np.empty((0, len(self.columns))))

    def history(self):
        """The kept rows as columns (as the source has them), oldest first."""
        return self.ring.data()

    @property
    def data(self):
        import pandas as pd

        rows = self.ring.rows()
        return pd.DataFrame(rows, columns=["t"] + self.labels)


class SnapshotView(_BokehView):
    """A view that redraws from the latest sampled row (rates, weights, images).

    Subclasses implement `draw` (a row to the source's data).

    Parameters
    ----------
    session : LiveSession
    title : str
    figure, source
        From a `plots` builder.
    probe : nengo.Probe
        Sampled every ``probe.sample_every`` seconds.
    labels : sequence of str
        Names of the row's values (columns of `data` after ``t``).
    """

    def __init__(self, session, title, figure, source, probe, labels):
        self.source = source
        self.labels = list(labels)
        self.sample_every = probe.sample_every
        self.ring = RingBuffer(
            math.ceil(session.history / probe.sample_every) + 1, ["t"] + self.labels
        )
        self._drawn_total = 0
        super().__init__(session, title, figure, [probe])

    def collect(self, sim, n0, n1):
        (probe,) = self.probes
        times = sample_times(self.session.time_offset, sim.dt, n0, n1, self.sample_every)
        values = np.asarray(sim.data[probe]).reshape(-1, len(self.labels))
        n = min(len(times), len(values))
        return np.column_stack([times[:n], values[:n]])

    def append(self, rows):
        self.ring.extend_rows(rows)

    def publish(self):
        if self.ring.total != self._drawn_total and len(self.ring):
            self._drawn_total = self.ring.total
            self.session.publisher.replace(self, self.source, self.draw(self.ring.rows(1)[0, 1:]))
        return None

    def draw(self, values):
        """The source's data for one sampled row of values."""
        raise NotImplementedError

    def show_at(self, t):
        rows = self.ring.rows()
        rows = rows[rows[:, 0] <= t]
        if len(rows):
            self.source.data = self.draw(rows[-1, 1:])
        self._drawn_total = -1  # the next live frame draws the latest again

    def clear(self):
        self.ring.clear()
        self._drawn_total = 0

    @property
    def data(self):
        import pandas as pd

        return pd.DataFrame(self.ring.rows(), columns=["t"] + self.labels)
