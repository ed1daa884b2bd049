"""`nbsnn.dashboard.snapshot`: live views' current frame as static embedded bokeh."""

import json
import logging
import re

import ipywidgets as widgets
import nengo
import numpy as np
import pytest

from nbsnn.dashboard import LiveSession
from nbsnn.dashboard.snapshot import Snapshot, snapshot


@pytest.fixture
def session():
    with nengo.Network(seed=1) as net:
        stim = nengo.Node(lambda t: np.sin(8 * t), label="stim")
        ens = nengo.Ensemble(20, 1, label="ens")
        nengo.Connection(stim, ens)
    session = LiveSession(net, window=0.5)
    yield session
    session.close()


def docs(html):
    """The bokeh documents embedded in a snapshot's script."""
    text = re.search(r"const docs_json = '(.*?)';\n", html).group(1)
    return json.loads(text.encode().decode("unicode_escape"))


def find(node, model_id):
    """The serialised bokeh object with id ``model_id`` in a document's JSON."""
    if isinstance(node, dict) and node.get("id") == model_id and "attributes" in node:
        return node
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
    for child in children:
        found = find(child, model_id)
        if found is not None:
            return found
    return None


def numbers(value):
    """Bokeh's JSON for a column, with its non-finite numbers (``{"type": "number"}``) decoded."""
    if isinstance(value, dict) and value.get("type") == "number":
        return float(value["value"])
    if isinstance(value, list):
        return [numbers(v) for v in value]
    return value


def test_snapshot_embeds_the_views_current_data(session, caplog):
    value = session.view("value", "stim")
    raster = session.view("raster", "ens")
    box = widgets.VBox([session.view("toolbar"), widgets.HBox([value, raster])])
    session.step(200)
    with caplog.at_level(logging.WARNING):
        snap = snapshot(box)
    assert isinstance(snap, Snapshot) and snap.views == [value, raster]
    assert snap.time == pytest.approx(0.2)
    assert not caplog.records  # no "Python callbacks" warning from bokeh
    bundle = snap._repr_mimebundle_()
    assert bundle["text/plain"] == "<Snapshot of 2 view(s) at t = 0.200 s>"
    html = bundle["text/html"]
    # one div per bokeh view, side by side as in the HBox; the toolbar is left out
    roots = re.findall(r'data-root-id="([^"]+)"', html)
    assert roots == [value.plot._model.id, raster.plot._model.id]
    assert re.search(r"flex-direction: row[^>]*>\s*<div[^>]*data-root-id", html)
    assert "Last frame at t = 0.20 s" in html
    # the embedded sources hold what the views draw now
    (doc,) = docs(html).values()
    for view in (value, raster):
        embedded = dict(find(doc, view.source.id)["attributes"]["data"]["entries"])
        assert set(embedded) == set(view.source.data)
        for column, values in view.source.data.items():
            np.testing.assert_allclose(numbers(embedded[column]), values)
    assert len(value.source.data["t"]) > 10 and value.source.data["t"][-1] == pytest.approx(0.2)


def test_snapshot_of_a_session_and_without_views(session):
    value = session.view("value", "ens")
    session.step(50)
    snap = snapshot(session, caption=False)
    assert snap.views == [value] and "Last frame" not in snap.html
    value.close()
    with pytest.raises(ValueError, match="no bokeh views"):
        snapshot(session)
