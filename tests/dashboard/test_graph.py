"""The network graph: layout (pure), tapping an object to add its views, save and restore."""

import nengo
import numpy as np
import pytest

from nbsnn.dashboard import LiveSession
from nbsnn.dashboard.graph_layout import graph_layout
from nbsnn.dashboard.views.graph import NetworkGraph


def make_nested():
    with nengo.Network(label="top", seed=2) as net:
        stim = nengo.Node([0.2], label="stim")
        a = nengo.Ensemble(30, 1, label="a")
        with nengo.Network(label="memory") as sub:
            b = nengo.Ensemble(30, 1, label="b")
            c = nengo.Ensemble(30, 1)  # unlabelled
            nengo.Connection(b, c)
        nengo.Connection(stim, a)
        nengo.Connection(a, b)
        nengo.Connection(c, a)  # feedback
        nengo.Connection(a, a)  # recurrent: not drawn as an edge
    return net, sub


def test_layout_follows_connections_and_collapses_subnetworks():
    net, sub = make_nested()
    items, edges, connections = graph_layout(net)
    place = {item.label: (item.x, item.kind) for item in items}
    assert place == {"stim": (0.0, "node"), "a": (1.0, "ensemble"), "b": (2.0, "ensemble"),
                     "Ensemble": (3.0, "ensemble")}
    assert len(edges) == 4  # stim→a, a→b, b→c, c→a
    assert [len(c) for c in connections] == [1, 1, 1, 1]
    items, edges, connections = graph_layout(net, [sub])
    assert [(i.label, i.kind, i.x) for i in items] == [("a", "ensemble", 1.0), ("memory", "network", 2.0),
                                                        ("stim", "node", 0.0)]
    assert sorted(edges) == [(0, 1), (1, 0), (2, 0)]
    # each edge knows its connections: b→c is inside the collapsed network, so no edge
    by_edge = {edge: [(c.pre_obj.label, c.post_obj.label) for c in conns] for edge, conns in zip(edges, connections)}
    assert by_edge == {(2, 0): [("stim", "a")], (0, 1): [("a", "b")], (1, 0): [(None, "a")]}


def test_tapping_an_object_offers_and_adds_its_views(tmp_path):
    net, sub = make_nested()
    session = LiveSession(net, seed=1)
    try:
        graph = NetworkGraph(session)
        labels = list(graph.nodes.data["label"])
        assert "Ensemble#2" in labels  # the unlabelled ensemble gets a name resolve knows
        graph.nodes.selected.indices = [labels.index("a")]  # what a tap in the browser does
        assert graph.kinds.options == ("value", "raster", "voltage", "rates", "rate_map", "tuning", "neurons")
        assert graph.kinds.value == "value"
        graph.kinds.value = "raster"
        graph.add_button.click()
        graph.nodes.selected.indices = [labels.index("stim")]
        assert graph.kinds.options == ("slider", "value")
        graph.add("slider", "stim")
        assert [type(v).__name__ for v in graph.area.children] == ["RasterView", "Sliders"]
        session.step(100)
        assert len(graph.added[0].data) > 0
        graph.collapse.value = (session.resolve(sub),)
        assert list(graph.nodes.data["kind"]) == ["ensemble", "network", "node"]
        graph.save(tmp_path / "layout.json")
        assert graph.state == {"collapsed": ["memory"], "views": [["raster", "a"], ["slider", "stim"]]}
        graph.added[1].close_button.click()
        assert graph.state["views"] == [["raster", "a"]]
    finally:
        session.close()

    again = LiveSession(net, seed=1)
    try:
        restored = again.view("graph", state=tmp_path / "layout.json")
        assert [type(v).__name__ for v in restored.added] == ["RasterView", "Sliders"]
        assert restored.state["collapsed"] == ["memory"]
        restored.nodes.selected.indices = [1]  # tapping the collapsed network expands it
        assert "memory" not in list(restored.nodes.data["label"])
    finally:
        again.close()


def test_bad_state_names_the_object():
    net, _ = make_nested()
    session = LiveSession(net)
    try:
        with pytest.raises(Exception, match="no object labelled 'ghost'"):
            NetworkGraph(session, state={"views": [["value", "ghost"]]})
    finally:
        session.close()


def test_tapping_a_connection_offers_its_synapse_and_weights():
    net, _ = make_nested()
    session = LiveSession(net, seed=1)
    try:
        graph = NetworkGraph(session)
        (stim_to_a,), (a_to_b,) = graph.connections[:2]
        assert (stim_to_a.pre_obj.label, a_to_b.pre_obj.label) == ("stim", "a")
        graph.lines.selected.indices = [0]  # a tap on the arrow
        assert graph.selected is stim_to_a
        assert graph.kinds.options == ("synapse", "value")  # no weights: no transform, not decoded
        with pytest.raises(Exception, match="weights view: stim→a has no weights"):
            graph.add("weights", stim_to_a)
        graph.lines.selected.indices = [1]
        assert graph.selected is a_to_b
        assert graph.kinds.options == ("synapse", "weights", "value")
        synapse = graph.add("synapse", graph.selected)
        weights = graph.add("weights", graph.selected)
        synapse.text.value = 0.02
        session.step(200)
        assert a_to_b.synapse == nengo.Lowpass(0.02)
        decoders = session.sim.data[a_to_b].weights
        np.testing.assert_array_equal(weights.data.iloc[-1, 1:].to_numpy(), decoders.ravel())
        assert graph.state["views"] == [["synapse", "Connection#1"], ["weights", "Connection#1"]]
    finally:
        session.close()


class _Page:
    """What the page does with `NotebookState` widgets: keep their values in the notebook's metadata."""

    def __init__(self):
        self.metadata = {}

    def watch(self, notebook):
        notebook.observe(lambda change: self.metadata.update({notebook.key: change["new"]}), names="value")

    def reopen(self, notebook):
        if notebook.key in self.metadata and notebook.value is None:
            notebook.saved = self.metadata[notebook.key]


def test_graph_state_is_kept_in_the_notebook_and_restored(monkeypatch):
    from nbsnn.dashboard import widgets

    monkeypatch.setattr(widgets, "live_widget_version", lambda: "1.0.0")
    import nbsnn.dashboard.views.graph as graph_module

    monkeypatch.setattr(graph_module, "live_widget_version", lambda: "1.0.0")
    monkeypatch.setattr("nbsnn.dashboard.notebook_state.live_widget_version", lambda: "1.0.0")
    net, sub = make_nested()
    page = _Page()
    session = LiveSession(net, seed=1)
    try:
        graph = NetworkGraph(session)
        assert graph.notebook.key == "graph top" and graph.notebook.value is None
        page.watch(graph.notebook)
        graph.add("value", "a")
        graph.collapse.value = (session.resolve(sub),)
        assert page.metadata == {"graph top": {"collapsed": ["memory"], "views": [["value", "a"]]}}
    finally:
        session.close()
    assert page.metadata["graph top"]["views"] == [["value", "a"]]  # closing keeps what was saved

    again = LiveSession(net, seed=1)  # the notebook reopened and run again
    try:
        restored = NetworkGraph(again)
        assert restored.added == []
        page.reopen(restored.notebook)  # the page hands the saved state back
        assert [type(v).__name__ for v in restored.added] == ["ValueView"]
        assert restored.state == {"collapsed": ["memory"], "views": [["value", "a"]]}
        explicit = NetworkGraph(again, state={"views": [["raster", "a"]]})
        page.reopen(explicit.notebook)  # made with a state of its own: the notebook's is not applied
        assert [type(v).__name__ for v in explicit.added] == ["RasterView"]
    finally:
        again.close()
