"""The network graph: click an object or a connection to add one of its views; save and restore.

`NetworkGraph` draws the session's network (`graph_layout`: ensembles, nodes,
collapsible subnetworks, connections, laid out in layers). Tapping an item or
a connection offers the view kinds that apply to it (a connection: its synapse
control, its weights, its output); **Add** makes one and shows it below the
graph. The collapsed subnetworks and the views added are its `state`, a
JSON-able dict, kept in the notebook's metadata (saved with the notebook;
`NotebookState`) and restored when the graph is made again; `save` writes it to
a file and ``NetworkGraph(session, state=...)`` restores from one.
"""

import html
import json
from pathlib import Path

import ipywidgets as w
import nengo

from .. import plots
from ..graph_layout import graph_layout
from ..notebook_state import NotebookState
from ..targets import describe
from ..widgets import (
    BokehJSOnDisplay, StreamingBokehModel, live_widget_version, load_bokehjs,
)
from . import register_view, view_type
from .base import View

__all__ = ["NetworkGraph", "views_for"]


def views_for(session, obj):
    """The view kinds that apply to ``obj`` (an object of ``session.model``), most useful first."""
    if isinstance(obj, nengo.Ensemble):
        if isinstance(obj.neuron_type, nengo.Direct):
            return ["value", "xy"] if obj.dimensions > 1 else ["value"]
        kinds = ["value", "raster", "voltage", "rates", "rate_map", "tuning", "neurons"]
        if not obj.neuron_type.spiking:
            kinds.remove("raster")
        if "voltage" not in obj.neuron_type.probeable:
            kinds.remove("voltage")
        if obj.dimensions > 1:
            kinds[1:1] = ["xy", "image"]
        return kinds
    if isinstance(obj, nengo.Connection):
        kinds = ["synapse"] if type(obj.synapse) is nengo.Lowpass else []
        return kinds + (["weights"] if obj.has_weights else []) + ["value"]
    if isinstance(obj, nengo.Node):
        kinds = []
        if obj in session.inputs:
            kinds.append("slider")
        if obj.size_out > 0:
            kinds.append("value")
            if obj.size_out > 1:
                kinds += ["xy", "image"]
        if callable(obj.output) and obj not in session.inputs:
            kinds.append("html")
        return kinds
    return []


@register_view("graph")
class NetworkGraph(BokehJSOnDisplay, View):
    """The session's network as a graph; tap an object or a connection, then add one of its views.

    Parameters
    ----------
    session : LiveSession
    state : dict or str or Path, optional
        A `state` (or a file written by `save`) to restore: collapsed
        subnetworks and the views to add.
    collapsed : sequence of nengo.Network or str, optional
        Subnetworks to draw as one item each.
    key : str, optional
        Where the notebook's metadata keeps the graph's `state` (default:
        ``"graph <network label>"``). Made again without ``state`` or
        ``collapsed`` (the notebook reopened and run), the graph restores what
        was kept there. Needs nbsnn's JupyterLab extension (also Notebook 7).

    Attributes
    ----------
    added : list of View
        The views added from the graph, in order.
    area : ipywidgets.GridBox
        Where added views are shown.
    notebook : NotebookState or None
        The state kept in the notebook (None without nbsnn's extension).
    """

    needs_target = False

    def __init__(self, session, state=None, collapsed=(), title="Network", key=None):
        if isinstance(state, (str, Path)):
            state = json.loads(Path(state).read_text())
        restore_from_notebook = not state and not collapsed
        state = state or {}
        subnetworks = session.model.all_networks
        self.collapse = w.SelectMultiple(
            options=[(session.targets.name(n), n) for n in subnetworks],
            description="collapse",
            rows=min(4, max(1, len(subnetworks))),
            layout={"display": "flex" if subnetworks else "none"},
        )
        self.collapse.value = tuple(
            [session.resolve(n, "graph") for n in collapsed]
            + [session.resolve(n, "graph") for n in state.get("collapsed", [])]
        )
        self.items, self.edges, self.connections = self._layout(session)
        fig, self.nodes, self.lines = plots.graph_figure(self.items, self.edges, title)
        self.plot = StreamingBokehModel(fig)
        load_bokehjs()
        self.selected = None
        self.selection = w.HTML("<i>click an ensemble, node or connection</i>")
        self.kinds = w.Dropdown(options=[], description="view", layout={"width": "200px"})
        self.kinds.add_class("nbsnn-graph-kinds")
        self.add_button = w.Button(description="Add", icon="plus", disabled=True, layout={"width": "80px"})
        self.add_button.add_class("nbsnn-graph-add")
        self.area = w.GridBox([], layout={"grid_template_columns": "repeat(2, max-content)"})
        self.added = []
        self._specs = {}  # id(view) -> (kind, target name)
        self.nodes.selected.on_change("indices", self._on_select)
        self.lines.selected.on_change("indices", self._on_select_connection)
        self.add_button.on_click(lambda _: self.add(self.kinds.value, self.selected))
        self.collapse.observe(self._on_collapse, names="value")
        body = w.VBox([self.plot, w.HBox([self.selection, self.kinds, self.add_button]), self.collapse, self.area])
        super().__init__(session, title, body)
        self.notebook = None
        if live_widget_version() is not None:
            on_saved = self.restore if restore_from_notebook else (lambda saved: None)
            self.notebook = NotebookState(key or f"graph {describe(session.network)}", on_saved)
        self.restore(state)

    def restore(self, state):
        """Collapse the subnetworks and add the views that ``state`` (a `state`) names."""
        collapsed = [self.session.resolve(n, "graph") for n in state.get("collapsed", [])]
        if collapsed:
            self.collapse.value = tuple(dict.fromkeys(tuple(self.collapse.value) + tuple(collapsed)))
        for kind, name in state.get("views", []):
            self.add(kind, self.session.resolve(name, "graph"))
        if state:
            self._keep()

    def _keep(self):
        if self.notebook is not None and not self.closed:
            self.notebook.value = self.state

    def _layout(self, session):
        return graph_layout(session.model, self.collapse.value, name=session.targets.name)

    def _on_select_connection(self, attr, old, new):
        if new:  # several connections drawn as one edge: the first (others through `select`)
            self.select(self.connections[new[0]][0])

    def _on_select(self, attr, old, new):
        if not new:
            return
        item = self.items[new[0]]
        if item.kind == "network":  # a collapsed subnetwork: tapping it expands it
            self.collapse.value = tuple(n for n in self.collapse.value if n is not item.obj)
            return
        self.select(item.obj)

    def select(self, obj):
        """Offer the views of ``obj`` (what tapping it in the graph does)."""
        obj = self.session.resolve(obj, "graph")
        self.selected = obj
        kinds = views_for(self.session, obj)
        self.selection.value = f"<b>{html.escape(describe(obj))}</b>"
        self.kinds.options = kinds
        self.kinds.value = kinds[0] if kinds else None
        self.add_button.disabled = not kinds

    def add(self, kind, target):
        """Add a view of ``target`` and show it below the graph; returns it."""
        view = view_type(kind)(self.session, target)
        self.added.append(view)
        self._specs[id(view)] = (kind, self.session.targets.name(self.session.resolve(target, "graph")))
        view.close_button.on_click(lambda _: self._forget(view))
        self.area.children = tuple(self.area.children) + (view,)
        self._keep()
        return view

    def _forget(self, view):
        self.added = [v for v in self.added if v is not view]
        self._specs.pop(id(view), None)
        self.area.children = tuple(v for v in self.area.children if v is not view)
        self._keep()

    def _on_collapse(self, change):
        self.items, self.edges, self.connections = self._layout(self.session)
        self.nodes.selected.indices = []
        self.lines.selected.indices = []
        self.nodes.data, self.lines.data = plots.graph_data(self.items, self.edges)
        self.plot.refresh()
        self._keep()

    @property
    def state(self):
        """Collapsed subnetworks and added views, as JSON-able names."""
        return {
            "collapsed": [self.session.targets.name(n) for n in self.collapse.value],
            "views": [list(self._specs[id(v)]) for v in self.added if not v.closed],
        }

    def save(self, path):
        """Write `state` to a JSON file (restore with ``NetworkGraph(session, state=path)``)."""
        Path(path).write_text(json.dumps(self.state, indent=1))

    @property
    def data(self):
        import pandas as pd

        return pd.DataFrame({
            "name": [item.label for item in self.items],
            "kind": [item.kind for item in self.items],
            "x": [item.x for item in self.items],
            "y": [item.y for item in self.items],
        })

    def close(self):
        """Close the graph and the views added from it (what the notebook keeps stays)."""
        if self.notebook is not None:
            self.notebook.close()
            self.notebook = None
        for view in list(self.added):
            view.close()
        super().close()
