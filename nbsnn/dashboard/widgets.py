"""The bokeh widget the live views draw in, and loading BokehJS into the page.

`StreamingBokehModel` wraps a bokeh layout as an ipywidget (a
`jupyter_bokeh.BokehModel` made for frequent streaming). `load_bokehjs` puts
BokehJS on the page once per kernel, as views are made, so that views shown
inside any ``ipywidgets`` container render.
"""

import os

from jupyter_bokeh import BokehModel

__all__ = ["StreamingBokehModel", "load_bokehjs"]

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
    """

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


_loaded_in = set()  # ids of the kernels whose page got BokehJS from here


def load_bokehjs(force=False):
    """Put BokehJS on the page (inline unless BOKEH_RESOURCES says otherwise).

    Does nothing outside a Jupyter kernel, and only once per kernel unless
    ``force`` (a display of a view forces it, so a reloaded page gets it too).
    """
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return
    if id(shell.kernel) in _loaded_in and not force:
        return
    from bokeh.io import output_notebook
    from bokeh.resources import Resources

    mode = os.environ.get("BOKEH_RESOURCES", "inline")
    output_notebook(resources=Resources(mode=mode), hide_banner=True)
    _loaded_in.add(id(shell.kernel))
