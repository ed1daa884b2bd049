"""The dashboard widget and %snn live, exercised in Python (no browser)."""

import nengo
import numpy as np
import pytest
from bokeh.core.serialization import Serializer
from bokeh.document.events import ColumnsStreamedEvent
from bokeh.models import ColumnDataSource, Div
from bokeh.layouts import column
from IPython.core.error import UsageError
from jupyter_bokeh import BokehModel

from nbsnn.dashboard import Dashboard, LiveBox
from nbsnn.dashboard.magic import run_magic
from nbsnn.dashboard.spec import ViewSpec, parse_view_spec
from nbsnn.exceptions import ViewError
from nbsnn.dashboard import widgets
from nbsnn.dashboard.widgets import StreamingBokehModel


def _browser_echo(source, rows):
    """The message the browser sends back after applying ``source.stream(rows)``."""
    event = ColumnsStreamedEvent(source.document, source, "data", rows, None, None)
    content = Serializer().encode(event)
    content["event"] = "jsevent"
    return content


@pytest.mark.parametrize("cls, expected", [(BokehModel, 4), (StreamingBokehModel, 2)])
def test_stream_echo_is_ignored_only_by_the_subclass(cls, expected):
    source = ColumnDataSource({"t": []})
    widget = cls(column(Div(text="plots")))
    widget._model.document.add_root(source)
    source.stream({"t": [1.0, 2.0]})
    widget._sync_model(widget, _browser_echo(source, {"t": [1.0, 2.0]}), [])
    # jupyter_bokeh's own BokehModel applies the echo again (the known bug)
    assert len(source.data["t"]) == expected


@pytest.fixture
def dash(channel):
    d = Dashboard(channel, seed=1, window=1.0, fps=20.0)  # a step is 50 ms
    yield d
    d.close()


def test_controls_drive_the_session(dash):
    assert [s.description for s in dash.input_sliders] == ["stim"]
    assert [c.description for c in dash.synapse_controls] == ["τ stim→ens"]
    stim = dash.session.model.all_nodes[0]
    dash.input_sliders[0].value = 0.6
    assert dash.session.inputs[stim].value[0] == pytest.approx(0.6)
    dash.step_button.click()
    assert dash.session.time == pytest.approx(0.05)
    assert "t = 0.050 s" in dash.status.value
    assert dash.values.history()["y0"][-1] == pytest.approx(0.6)
    dash.speed.value = "max"
    assert dash.session.speed is None
    dash.synapse_controls[0].value = 0.03
    assert dash.session.rebuilds == 1
    assert dash.session.model.all_connections[0].synapse == nengo.Lowpass(0.03)
    dash.reset_button.click()
    assert dash.session.time == 0.0 and dash.input_sliders[0].value == 0.0
    dash.input_sliders[0].value = -0.4  # still wired after reset
    assert dash.session.inputs[stim].value[0] == pytest.approx(-0.4)


def test_plots_are_streaming_bokeh_views_of_one_session(dash):
    views = [dash.values, dash.raster, dash.voltage, dash.rates, dash.tuning]
    assert all(isinstance(v.plot, StreamingBokehModel) for v in views)
    assert dash.weights is None
    names = {m.name for v in views for m in v.plot._model.document.models if m.name}
    assert {"nbsnn-values", "nbsnn-raster", "nbsnn-voltage", "nbsnn-rates", "nbsnn-tuning"} <= names
    tuning = dash.tuning.plot._model.document.select_one({"name": "nbsnn-tuning"})
    assert len(tuning.data["ys"]) == 20 and np.max(tuning.data["ys"]) > 50
    assert all(v.session is dash.session for v in views)
    assert dash.message.value == ""


def test_a_network_with_nothing_to_plot_says_why():
    with nengo.Network(label="empty") as net:
        nengo.Node(lambda t: t, label="clock")
    dash = Dashboard(net)
    try:
        assert "Nothing to plot" in dash.message.value and "empty" in dash.message.value
        dash.step()
        assert dash.session.time > 0
    finally:
        dash.close()


@pytest.fixture
def shell(channel, ipython):
    ip = ipython
    ip.user_ns["net"] = channel
    ip.user_ns["number"] = 3
    yield ip
    del ip.user_ns["net"], ip.user_ns["number"]


def test_snn_live_magic(shell):
    dash = run_magic(shell, "net --window 0.5 --speed max --seed 4")
    try:
        assert isinstance(dash, Dashboard)
        assert dash.session.window == 0.5 and dash.session.speed is None and dash.session.seed == 4
    finally:
        dash.close()


@pytest.mark.parametrize(
    "argv, message",
    [
        (["missing"], "no variable named 'missing'"),
        (["number"], "'number' is a int, not a nengo.Network"),
        (["net", "--fps", "fast"], "invalid float value"),
        ([], "required: NAME"),
    ],
)
def test_snn_live_magic_errors(shell, argv, message):
    with pytest.raises(UsageError, match=message):
        run_magic(shell, argv)


def test_status_shows_the_error_that_stopped_a_run(dash):
    dash.session.error = RuntimeError("x < y")
    dash.toolbar.show_status(dash.session)
    assert "stopped by RuntimeError: x &lt; y" in dash.status.value


@pytest.mark.parametrize(
    "text, expected",
    [
        ("value a", ViewSpec("value", "a")),
        ("raster b[:40]", ViewSpec("raster", "b", slice(None, 40))),
        ("raster b[most active] n_active=10", ViewSpec("raster", "b", "most active", {"n_active": 10})),
        ("voltage b[1,5,7]", ViewSpec("voltage", "b", [1, 5, 7])),
        ("value a[0]", ViewSpec("value", "a", 0)),
        ("xy a dims=1,0 title=hello", ViewSpec("xy", "a", None, {"dims": (1, 0), "title": "hello"})),
        ("toolbar", ViewSpec("toolbar")),
    ],
)
def test_view_specs_parse(text, expected):
    assert parse_view_spec(text) == expected


@pytest.mark.parametrize("text", ["", "raster b[x:y]", "value a b"])
def test_bad_view_specs_are_refused(text):
    with pytest.raises(ViewError, match="view spec"):
        parse_view_spec(text)


def test_snn_live_magic_with_views(shell, channel):
    shell.user_ns["ens"] = channel.all_ensembles[0]
    try:
        box = run_magic(shell, ["net", "--view", "value ens", "--view", "raster ens[:10]", "--view", "slider stim",
                                "--history", "3"])
    finally:
        del shell.user_ns["ens"]
    try:
        assert isinstance(box, LiveBox) and box.session.history == 3.0
        kinds = [type(v).__name__ for v in box.children]
        assert kinds == ["Toolbar", "ValueView", "RasterView", "Sliders"]
        raster = box.views[1]
        assert raster.indices.tolist() == list(range(10))
        box.views[2].sliders[0].value = 0.5
        box.session.step(100)
        assert box.views[0].data["ens"].iloc[-10:].mean() == pytest.approx(0.5, abs=0.2)
    finally:
        box.close()
    assert box.session.closed


def test_snn_live_magic_view_errors_name_the_object(shell):
    with pytest.raises(UsageError, match="raster view: stim is a Node"):
        run_magic(shell, ["net", "--view", "raster stim"])
    with pytest.raises(UsageError, match="no object labelled 'ghost'"):
        run_magic(shell, ["net", "--view", "value ghost"])


@pytest.fixture
def live_widgets(monkeypatch):
    """As if nbsnn's widget module were installed (the page then loads it)."""
    monkeypatch.setattr(widgets, "live_widget_version", lambda: "1.0.0")


def test_frame_channel_sends_all_updates_of_a_frame_in_one_message(live_widgets):
    series = ColumnDataSource({"t": [0.0], "y0": [1.0]})
    image = ColumnDataSource({"image": [np.zeros((2, 3))]})
    plot = StreamingBokehModel(column(Div(text="plots")))
    plot._model.document.add_root(series)
    plot._model.document.add_root(image)
    assert (plot._view_module, plot._view_name) == ("nbsnn", "LiveBokehView")
    channel = widgets.FrameChannel()
    sent = []
    channel.send = lambda content, buffers=None: sent.append((content, buffers))
    patches = []
    plot.send = lambda content, buffers=None: patches.append(content)  # bokeh document patches

    assert channel.flush(0.1) is None and sent == []  # nothing to send
    channel.stream(plot, series, {"t": [0.1, 0.2], "y0": [2.0, float("nan")]}, 2)
    learned = np.arange(6.0).reshape(2, 3)
    channel.replace(plot, image, {"image": [learned]})
    assert channel.flush(0.2) == 0.2
    # the Python sources hold what the page is sent, once, without document patches
    assert series.data == {"t": [0.1, 0.2], "y0": [2.0, pytest.approx(float("nan"), nan_ok=True)]}
    np.testing.assert_array_equal(image.data["image"][0], learned)
    assert patches == []
    (content, buffers), = sent
    assert content["t"] == 0.2
    stream, replace = content["updates"]
    assert (stream["id"], stream["op"], stream["rollover"]) == (series.id, "stream", 2)
    decoded = np.frombuffer(buffers[stream["columns"]["y0"]["buffer"]], dtype=np.float64)
    np.testing.assert_array_equal(decoded, [2.0, np.nan])
    (array,) = replace["columns"]["image"]["ndarrays"]
    assert (replace["id"], replace["op"], array["shape"]) == (image.id, "data", [2, 3])
    np.testing.assert_array_equal(np.frombuffer(buffers[array["buffer"]]).reshape(2, 3), learned)
    assert channel.flush(0.3) is None and len(sent) == 1  # sent once


def test_frame_channel_reports_drawn_frames_to_the_publisher(live_widgets, channel):
    from nbsnn.dashboard import LiveSession

    session = LiveSession(channel, seed=1)
    try:
        publisher = session.publisher
        assert publisher.reporter is publisher.channel
        publisher.channel._on_report(publisher.channel, {"drawn": 0.25}, [])
        assert publisher._drawn[0] == 0.25
    finally:
        session.close()


def test_widget_module_versions_agree():
    """The Python side asks for the version the extension registers (labextension/)."""
    import json
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "labextension"
    package = json.loads((root / "package.json").read_text())
    source = (root / "src" / "liveWidgets.ts").read_text()
    registered = re.search(r"WIDGET_MODULE_VERSION = '([^']+)'", source).group(1)
    assert package["nbsnn"]["widgetModuleVersion"] == registered
    assert re.search(r"WIDGET_MODULE = '([^']+)'", source).group(1) == widgets.WIDGET_MODULE
