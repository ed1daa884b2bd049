"""The frame live views show now, as static embedded bokeh: readable without a kernel.

A live view is an ipywidget: a notebook saved or rendered after it ran (nbconvert, the
course's site) shows nothing where the view was, since no kernel feeds it. `snapshot`
takes the views (a `LiveSession`, views, or the ipywidgets box they were composed in) and
returns a `Snapshot`, whose display is the same bokeh figures with the data they hold now,
embedded with `bokeh.embed.components` (HTML plus the document's JSON, drawn by BokehJS;
no kernel, no widget manager). Boxes keep their arrangement (``HBox`` a row, ``VBox`` a
column); controls (toolbar, sliders) are left out.

The page needs BokehJS: in Jupyter the views load it (`load_bokehjs`), and a notebook that
made views carries it inline in its outputs, so nbconvert's HTML of it shows the snapshot
offline.
"""

import logging
from contextlib import contextmanager

import ipywidgets as w

from .session import LiveSession
from .views.base import View
from .widgets import StreamingBokehModel, load_bokehjs

__all__ = ["Snapshot", "snapshot"]


class Snapshot:
    """Static copies of live views' current frames (see `snapshot`).

    Attributes
    ----------
    views : list of View
        The bokeh views copied, in display order.
    time : float or None
        The simulated time the views show: their session's time, or the moment it was
        scrubbed to (None for views of several sessions).
    html : str
        The HTML displayed: the views' ``<div>`` elements, arranged, and the script that
        draws them with BokehJS.
    """

    def __init__(self, views, time, html_text):
        self.views = views
        self.time = time
        self.html = html_text

    def _repr_mimebundle_(self, **kwargs):
        load_bokehjs()
        return {"text/html": self.html, "text/plain": repr(self)}

    def __repr__(self):
        when = "" if self.time is None else f" at t = {self.time:.3f} s"
        return f"<Snapshot of {len(self.views)} view(s){when}>"


def snapshot(*items, caption=True):
    """A static copy of what live views show now, to display in a notebook.

    Parameters
    ----------
    *items : LiveSession, View or ipywidgets.Box
        A session (all its open views, in a column), single views, or a box the views
        were composed in (walked recursively; its rows and columns are kept).
    caption : bool, optional
        Add a line under the copy saying that it is the last frame, and at which time.

    Returns
    -------
    Snapshot
        Displays as embedded bokeh (``text/html``).
    """
    from bokeh.embed import components

    layout, views = _arrange(items)
    if not views:
        raise ValueError("snapshot: no bokeh views among the given items (controls are not copied)")
    with _quiet_python_callbacks():
        script, divs = components([_layout(view) for view in views])
    by_view = dict(zip(map(id, views), divs))
    sessions = {id(view.session): view.session for view in views}
    time = None
    if len(sessions) == 1:
        (session,) = sessions.values()
        time = session.time if session.scrubbed_to is None else session.scrubbed_to
    body = _render(layout, by_view)
    if caption:
        when = "" if time is None else f" at t = {time:.2f} s"
        body += (f'<p class="nbsnn-snapshot-caption"><em>Last frame{when} (a static copy; '
                 "run the notebook for the live view).</em></p>")
    return Snapshot(views, time, f'<div class="nbsnn-snapshot">{body}</div>\n{script}')


# -- arranging ---------------------------------------------------------------------------

def _arrange(items):
    """A tree of ("row" | "column", children) and view leaves; plus the bokeh views in order."""
    views = []

    def walk(item):
        if isinstance(item, LiveSession):
            return ("column", [walk(view) for view in item.views])
        if isinstance(item, View):
            if _layout(item) is not None and not item.closed and item not in views:
                views.append(item)
                return item
            return None
        if isinstance(item, w.Box):
            kind = "row" if isinstance(item, w.HBox) else "column"
            return (kind, [walk(child) for child in item.children])
        return None

    return ("column", [walk(item) for item in items]), views


def _layout(view):
    """The bokeh layout a view draws in (None for controls)."""
    plot = getattr(view, "plot", None)
    # jupyter_bokeh's BokehModel keeps the layout it wraps as `_model` (no public name)
    return plot._model if isinstance(plot, StreamingBokehModel) else None


def _render(node, divs):
    if node is None:
        return ""
    if isinstance(node, View):
        return divs[id(node)]
    kind, children = node
    inner = "".join(_render(child, divs) for child in children)
    if not inner:
        return ""
    direction = "row; flex-wrap: wrap" if kind == "row" else "column"
    return f'<div style="display: flex; flex-direction: {direction}; gap: 8px">{inner}</div>'


@contextmanager
def _quiet_python_callbacks():
    """Bokeh warns that the views' Python callbacks cannot run in standalone output;
    a static copy means exactly that, so the warning is dropped while copying."""
    logger = logging.getLogger("bokeh.embed.util")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)
