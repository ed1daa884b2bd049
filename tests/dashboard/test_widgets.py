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
    d = Dashboard(channel, seed=1, window=1.0)
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
