"""Live views of a running network, composed as ipywidgets (a widget kit).

``LiveSession(net)`` runs a `nengo.Network` in chunks (play / pause / step /
reset / speed) and hands out views bound to it (``session.view("raster",
ens)``, or the classes in `nbsnn.dashboard.views`); each view is an ipywidget
that composes with ``HBox`` / ``VBox`` / ``GridBox``. ``Dashboard(net)`` (or
``%snn live NAME``) is one ready-made composition. Needs the
``nbsnn[dashboard]`` extra. See docs/dashboard.md.
"""

from .preset import Dashboard, LiveBox
from .session import LiveSession
from .views import VIEW_TYPES, SeriesView, SnapshotView, View, register_view
from .widgets import load_bokehjs

__all__ = [
    "Dashboard",
    "LiveBox",
    "LiveSession",
    "SeriesView",
    "SnapshotView",
    "VIEW_TYPES",
    "View",
    "load_bokehjs",
    "register_view",
]
