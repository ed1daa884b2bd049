"""`NotebookState`: a JSON value kept in the notebook's metadata, so it is saved with the notebook.

The kernel cannot write the notebook file; the page can. This widget carries
a value to the page, which keeps it in the notebook's metadata
(``metadata["nbsnn"][key]``, saved with the notebook like any edit). When a
`NotebookState` is made again under the same key (the notebook reopened and
run), the page hands the saved value back. Needs nbsnn's widget module (its
JupyterLab extension, also loaded by Notebook 7); without it nothing is kept.
"""

from ipywidgets import Widget
from traitlets import Any, Unicode

from .widgets import WIDGET_MODULE, live_widget_version

__all__ = ["NotebookState"]


class NotebookState(Widget):
    """A JSON-able value under ``key`` in the notebook's metadata.

    Parameters
    ----------
    key : str
        Where the value is kept (``metadata["nbsnn"][key]``).
    on_saved : callable
        Called with the saved value when the page finds one under ``key``
        (only while `value` is still None).

    Attributes
    ----------
    value : JSON-able or None
        Set it to keep a new value (None: nothing kept yet).
    """

    _model_name = Unicode("NotebookStateModel").tag(sync=True)
    _model_module = Unicode(WIDGET_MODULE).tag(sync=True)
    _model_module_version = Unicode("*").tag(sync=True)
    key = Unicode().tag(sync=True)
    value = Any(None, allow_none=True).tag(sync=True)
    saved = Any(None, allow_none=True).tag(sync=True)  # set by the page

    def __init__(self, key, on_saved):
        super().__init__(key=str(key), _model_module_version=f"^{live_widget_version()}")
        self.observe(lambda change: change["new"] is not None and on_saved(change["new"]), names="saved")
