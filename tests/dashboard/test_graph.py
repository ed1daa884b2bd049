"""The network graph: layout (pure), tapping an object to add its views, save and restore."""

import nengo
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
    items, edges = graph_layout(net)
    place = {item.label: (item.x, item.kind) for item in items}
    assert place == {"stim": (0.0, "node"), "a": (1.0, "ensemble"), "b": (2.0, "ensemble"),
                     "Ensemble": (3.0, "ensemble")}
    assert len(edges) == 4  # stim→a, a→b, b→c, c→a
    items, edges = graph_layout(net, [sub])
    assert [(i.label, i.kind, i.x) for i in items] == [("a", "ensemble", 1.0), ("memory", "network", 2.0),
                                                        ("stim", "node", 0.0)]
    assert sorted(edges) == [(0, 1), (1, 0), (2, 0)]


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
