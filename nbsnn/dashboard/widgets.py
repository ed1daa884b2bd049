"""The widgets the live views draw in, and loading BokehJS into the page.

`StreamingBokehModel` wraps a bokeh layout as an ipywidget (a
`jupyter_bokeh.BokehModel` made for frequent streaming). `FrameChannel`
carries a live session's frames to the page: one message per frame for all its
views. Both use the widget module of nbsnn's JupyterLab extension (also loaded
by Notebook 7) when it is installed (`live_widget_version`); without it the
plots are plain jupyter_bokeh views and frames go as bokeh document patches,
one per view. `load_bokehjs` puts BokehJS on the page once per kernel and page, as
views are made and shown, so that views shown inside any ``ipywidgets``
container render.
"""

import functools
import json
import os
from pathlib import Path

import numpy as np
from ipywidgets import Widget
from jupyter_bokeh import BokehModel
from traitlets import Unicode

__all__ = ["BokehJSOnDisplay", "FrameChannel", "StreamingBokehModel", "live_widget_version",
           "load_bokehjs"]

WIDGET_MODULE = "nbsnn"


@functools.lru_cache(maxsize=1)
def live_widget_version():
    """Version of the widget module in the installed nbsnn JupyterLab extension, or None.

    Looks where JupyterLab and Notebook 7 look (``jupyter --paths``, data
    folders, ``labextensions/nbsnn``); the first extension named nbsnn found is
    the one the page loads. Set ``NBSNN_LIVE_WIDGETS=0`` to use plain
    jupyter_bokeh views instead.
    """
    if os.environ.get("NBSNN_LIVE_WIDGETS", "1") == "0":
        return None
    from jupyter_core.paths import jupyter_path

    for folder in jupyter_path("labextensions"):
        package = Path(folder) / "nbsnn" / "package.json"
        if package.is_file():
            return json.loads(package.read_text()).get("nbsnn", {}).get("widgetModuleVersion")
    return None

_ECHOED_EVENTS = {"ColumnsStreamed", "ColumnsPatched"}


class StreamingBokehModel(BokehModel):
    """A `jupyter_bokeh.BokehModel` made for frequent streaming.

    - With jupyter_bokeh 4.1 and bokeh 3.9 the browser sends every
      ``source.stream()``/``patch()`` back to the kernel, and the base class
      applies it a second time, so ``source.data`` in Python doubles while the
      plot is right. The dashboard only ever streams from Python, so such
      events coming from the browser are dropped here; other browser events
      (range changes, tool events, selections) are handled as before.
    - `refresh` resends the whole document, for changes that a view
      displayed later must show.
    - With nbsnn's widget module installed, the browser side is its
      ``LiveBokehView``, which sends back only changes made in the browser
      (jupyter_bokeh's view sends back every patch it applies, each one a
      message to the kernel and two kernel status updates for the page).
    """

    def __init__(self, model, **kwargs):
        version = live_widget_version()
        if version is not None:
            kwargs.update(
                _model_name="LiveBokehModel", _model_module=WIDGET_MODULE, _model_module_version=f"^{version}",
                _view_name="LiveBokehView", _view_module=WIDGET_MODULE, _view_module_version=f"^{version}",
            )
        super().__init__(model, **kwargs)

    def refresh(self):
        """Send the whole document again (the browser redraws it from scratch).

        Changes made before the widget is first shown reach no browser view
        (patches go to views already drawn); a change that must be seen however
        late the widget is shown, such as new tuning curves, calls this.
        """
        self.render_bundle = self._model_to_traits(self._model)

    def _sync_model(self, model, content, buffers):
        if content.get("event") == "jsevent" and content.get("kind") in _ECHOED_EVENTS:
            return
        super()._sync_model(model, content, buffers)

    def close(self):
        """Close the widget and unhook it from its document (safe to call twice)."""
        if getattr(self, "_unhooked", False):
            return
        self._unhooked = True
        super().close()


class FrameChannel(Widget):
    """One message per frame to the page, with the new rows of all of a session's views.

    Views hand their updates to `stream` / `replace`, which also apply them to
    the Python sources (without a document patch), and the publisher sends
    them together with `flush`. In the page, nbsnn's ``FrameChannelModel``
    applies them to the BokehJS sources of every view showing them and, once
    painted, reports the frame's time back (`on_drawn`). Needs nbsnn's widget
    module (`live_widget_version`).
    """

    _model_name = Unicode("FrameChannelModel").tag(sync=True)
    _model_module = Unicode(WIDGET_MODULE).tag(sync=True)
    _model_module_version = Unicode("*").tag(sync=True)

    def __init__(self, **kwargs):
        super().__init__(_model_module_version=f"^{live_widget_version()}", **kwargs)
        self._updates = []
        self._buffers = []  # binary columns of the updates
        self._drawn_callbacks = []
        self.on_msg(self._on_report)

    def stream(self, plot, source, columns, rollover):
        """Append ``columns`` (lists) to ``source`` (shown by ``plot``), keeping ``rollover`` rows."""
        source._stream(columns, rollover, setter=plot)  # the plot's widget sends no patch for it
        self._add(source, "stream", columns, rollover=rollover)

    def replace(self, plot, source, data):
        """Give ``source`` (shown by ``plot``) new ``data``."""
        source.lookup("data").__set__(source, data, setter=plot)
        self._add(source, "data", data)

    def _add(self, source, op, data, **more):
        columns = {name: _encode_column(column, self._buffers) for name, column in data.items()}
        self._updates.append({"id": source.id, "op": op, "columns": columns, **more})

    def flush(self, t):
        """Send the updates gathered since the last flush as one frame of time ``t``.

        Returns ``t`` if a frame was sent (the page reports it once drawn),
        else None.
        """
        if not self._updates:
            return None
        updates, buffers = self._updates, self._buffers
        self._updates, self._buffers = [], []
        self.send({"t": t, "updates": updates}, buffers)
        return t

    def on_drawn(self, callback):
        """Call ``callback(t)`` when the page reports it has painted the frame of time ``t``."""
        self._drawn_callbacks.append(callback)

    def _on_report(self, _, content, buffers):
        t = content.get("drawn")
        if t is not None:
            for callback in self._drawn_callbacks:
                callback(float(t))


def _encode_column(column, buffers):
    """A source column for the page: numbers as a float64 buffer (appended to ``buffers``),
    arrays (lines, images) as buffers with their shapes, anything else as a JSON list."""
    if len(column) and isinstance(column[0], (list, np.ndarray)):
        arrays = [np.asarray(a, dtype=np.float64) for a in column]
        return {"ndarrays": [{"shape": list(a.shape), "buffer": _add_buffer(a, buffers)} for a in arrays]}
    array = np.asarray(column)
    if array.ndim == 1 and array.dtype.kind in "biuf":
        return {"buffer": _add_buffer(array, buffers)}
    return [x.tolist() if isinstance(x, np.ndarray) else x for x in column]


def _add_buffer(array, buffers):
    buffers.append(np.ascontiguousarray(array, dtype=np.float64).tobytes())
    return len(buffers) - 1


_loaded_for = {}  # kernel id -> (page's widget control comm, cell id, execute request id) of the last load


def load_bokehjs(force=False):
    """Put BokehJS on the page (inline unless BOKEH_RESOURCES says otherwise).

    Does nothing outside a Jupyter kernel. Writes BokehJS once per kernel and
    page, and again only when a page has connected to the kernel since (a
    reload, a second tab: the page's widget manager opens a new
    ``jupyter.widget.control`` comm), when the cell that holds it runs again
    (which clears its outputs; JupyterLab and Notebook 7 name the cell), or
    with ``force``. Each load is ~8 MB of cell output (bokeh's
    ``output_notebook`` writes the ~4 MB inline BokehJS twice, as
    ``application/javascript`` for Notebook 6 and nbconvert's HTML and as
    ``application/vnd.bokehjs_load.v0+json`` for JupyterLab), so views load it
    when made and shown but not once per view.
    """
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return
    request = shell.kernel.get_parent() or {}
    cell = request.get("metadata", {}).get("cellId")
    here = (getattr(Widget, "_control_comm", None), cell, request.get("header", {}).get("msg_id"))
    last = _loaded_for.get(id(shell.kernel))
    rerun = last is not None and cell is not None and cell == last[1] and here[2] != last[2]
    if not force and last is not None and last[0] is here[0] and not rerun:
        return
    from bokeh.io import output_notebook
    from bokeh.resources import Resources

    mode = os.environ.get("BOKEH_RESOURCES", "inline")
    output_notebook(resources=Resources(mode=mode), hide_banner=True)
    _loaded_for[id(shell.kernel)] = here



class BokehJSOnDisplay:
    """Mixin for a widget that draws bokeh: `load_bokehjs` before it is displayed."""

    def _repr_mimebundle_(self, **kwargs):
        load_bokehjs()
        return super()._repr_mimebundle_(**kwargs)
