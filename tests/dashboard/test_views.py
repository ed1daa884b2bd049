"""The widget kit: each view's data against the simulator's own probes, composition, bad input."""

import ipywidgets as w
import nengo
import numpy as np
import pandas as pd
import pytest

import nbsnn
from nbsnn.dashboard import LiveSession, SnapshotView, View, register_view
from nbsnn.dashboard import plots
from nbsnn.dashboard.views import VIEW_TYPES, ImageView, RasterView, ValueView
from nbsnn.exceptions import SessionClosedError, ViewError


def make_rich_network(seed=7):
    """Inputs, a 2-D ensemble, a 4-D 'digit' node, a learning connection and an HTML node."""

    def html_clock(t):
        html_clock._nengo_html_ = f"<b>t={t:.3f}</b>"
        return 0.0

    with nengo.Network(seed=seed, label="rich") as net:
        stim = nengo.Node([0.3, -0.2], label="stim")
        a = nengo.Ensemble(50, 2, label="a")
        b = nengo.Ensemble(40, 1, label="b")
        digit = nengo.Node(lambda t: np.sin(t * np.arange(1, 5)), label="digit")
        nengo.Node(html_clock, label="clock")
        nengo.Connection(stim, a)
        learned = nengo.Connection(
            a, b, function=lambda x: 0, learning_rule_type=nengo.PES(learning_rate=1e-3), label="learned"
        )
        error = nengo.Node(size_in=1, label="error")
        nengo.Connection(b, error)
        nengo.Connection(stim[0], error, transform=-1)
        nengo.Connection(error, learned.learning_rule)
        nengo.Connection(digit, nengo.Ensemble(20, 4, label="sink"))
    return net


@pytest.fixture
def rich():
    return make_rich_network()


def test_every_view_holds_exactly_the_simulators_probe_data(rich):
    """Run a session in chunks; rerun its model in one go on a fresh Simulator: same numbers."""
    session = LiveSession(rich, seed=11, window=0.5, history=5.0)
    try:
        views = {
            "value": session.view("value", "a"),
            "xy": session.view("xy", "a", dims=(1, 0)),
            "raster": session.view("raster", "a", neurons=[3, 7, 20]),
            "most": session.view("raster", "a", neurons="most active", n_active=5),
            "voltage": session.view("voltage", "b", neurons=slice(2, 5)),
            "rates": session.view("rates", "a"),
            "rate_map": session.view("rate_map", "b"),
            "weights": session.view("weights", "learned"),
            "image": session.view("image", "digit", shape=(2, 2)),
        }
        for n in (37, 100, 163):  # uneven chunks
            session.step(n)
        with nbsnn.Simulator(session.model, dt=session.dt, seed=11, progress_bar=False) as sim:
            sim.run_steps(300)
            probe = {key: view.probes[0] for key, view in views.items()}

            def expected(key):
                return np.asarray(sim.data[probe[key]])

            def times(key):
                return sim.trange(sample_every=probe[key].sample_every)

            for key in ("value", "voltage", "rates", "rate_map", "image"):
                data = views[key].data
                assert list(data.columns) == ["t"] + views[key].labels
                np.testing.assert_array_equal(data.iloc[:, 1:].to_numpy(), expected(key), err_msg=key)
                np.testing.assert_allclose(data["t"], times(key), rtol=0, atol=1e-12)
            xy = views["xy"].data
            np.testing.assert_array_equal(xy.iloc[:, 1:].to_numpy(), expected("xy")[:, [1, 0]])
            steps, cols = np.nonzero(expected("raster"))
            raster = views["raster"].data
            np.testing.assert_allclose(raster["t"], times("raster")[steps], atol=1e-12)
            np.testing.assert_array_equal(raster["neuron"], np.array([3, 7, 20])[cols])
            weights = views["weights"].data
            assert views["weights"].shape == (1, 50)
            np.testing.assert_array_equal(weights.iloc[:, 1:].to_numpy(), expected("weights").reshape(3, -1))
            spikes = np.nonzero(expected("most"))
            assert set(views["most"].data["neuron"]) <= set(spikes[1])
    finally:
        session.close()
    assert len(set(views["most"].data["neuron"])) >= 5


def test_tuning_and_html_views(rich):
    session = LiveSession(rich, seed=11)
    try:
        tuning = session.view("tuning", "b", n_curves=5)
        html = session.view("html", "clock")
        session.step(120)
        data = tuning.data
        assert list(data.columns) == ["x"] + [f"neuron {i}" for i in range(5)]
        expected = plots.tuning_data(session.model.all_ensembles[1], session.sim, n_curves=5)
        np.testing.assert_array_equal(data["neuron 2"], expected["ys"][2])
        assert html.html.value == "<b>t=0.120</b>"
        assert html.data["html"].iloc[-1] == "<b>t=0.120</b>"
    finally:
        session.close()


def test_views_compose_with_ipywidgets_and_share_one_simulator(rich):
    one = LiveSession(rich, seed=1)
    two = LiveSession(rich, seed=1)
    try:
        a1, a2 = one.view("value", "a"), one.view("raster", "a")
        b1 = two.view("value", "a")
        box = w.HBox([w.VBox([one.view("toolbar"), a1, a2]), w.VBox([two.view("toolbar"), b1])])
        assert isinstance(a1, w.Widget) and len(box.children) == 2
        one.step(100)
        assert one.time == pytest.approx(0.1) and two.time == 0.0  # independent sessions
        assert a1.session.sim is a2.session.sim
        assert len(a1.data) and len(a2.data) and len(b1.data) == 0
        two.step(100)
        pd.testing.assert_frame_equal(a1.data, b1.data)  # same seed, same numbers
    finally:
        one.close()
        two.close()


def test_adding_and_closing_views_while_running(rich):
    session = LiveSession(rich, seed=1)
    try:
        value = session.view("value", "a")
        session.step(100)
        first_sim = session.sim
        raster = session.view("raster", "a")  # needs a new probe: rebuilds now (paused)
        assert session.sim is not first_sim and session.rebuilds == 1
        session.step(50)
        assert session.time == pytest.approx(0.15)
        assert raster.data["t"].min() > 0.1  # the raster starts at the rebuild
        raster.close()
        assert raster not in session.views and raster.probes[0] not in session.model.probes
        session.step(50)
        assert value.data["t"].iloc[-1] == pytest.approx(0.2)
        slider = session.view("slider", "stim")  # no probe: no rebuild
        assert session.rebuilds == 1
        slider.sliders[1].value = 0.7
        assert session.inputs[slider.node].value[1] == 0.7
    finally:
        session.close()


def test_export_to_csv(rich, tmp_path):
    session = LiveSession(rich, seed=1)
    try:
        view = session.view("value", ["stim", "a"])
        session.step(60)
        view.to_csv(tmp_path / "value.csv")
        back = pd.read_csv(tmp_path / "value.csv")
    finally:
        session.close()
    assert list(back.columns) == ["t", "stim[0]", "stim[1]", "a[0]", "a[1]"]
    np.testing.assert_allclose(back.to_numpy(), view.data.to_numpy())


def test_scrubbing_shows_an_earlier_moment_in_every_view(rich):
    session = LiveSession(rich, seed=1, window=0.2, history=1.0)
    try:
        value = session.view("value", "a")
        rates = session.view("rates", "a")
        html = session.view("html", "clock")
        for _ in range(10):
            session.step(100)
        t = session.scrub(0.55)
        assert t == 0.55 and "showing t = 0.550 s" in session.status()
        shown = np.asarray(value.source.data["t"])
        assert shown[-1] == pytest.approx(0.55) and shown[0] >= 0.55 - 0.2
        row = rates.data[rates.data["t"] <= 0.55].iloc[-1, 1:].to_numpy()
        assert rates.source.data["count"].tolist() == plots.rate_histogram_data(row, rates.edges)["count"].tolist()
        assert html.html.value == "<b>t=0.500</b>"  # the last frame before 0.55
        assert session.scrub(-5.0) == pytest.approx(0.0)  # clipped to the history kept
        assert session.scrub(0.1) == pytest.approx(0.1)
        session.step(100)  # live again: the latest window
        assert np.asarray(value.source.data["t"])[-1] == pytest.approx(1.1)
        assert session.scrubbed_to is None
    finally:
        session.close()


def test_scrubbing_is_bounded_by_history(rich):
    session = LiveSession(rich, seed=1, window=0.2, history=0.5)
    try:
        session.view("value", "a")
        for _ in range(10):
            session.step(100)
        assert session.scrub(0.1) == pytest.approx(0.5)
    finally:
        session.close()


@pytest.mark.parametrize(
    "kind, target, options, message",
    [
        ("value", "nobody", {}, "no object labelled 'nobody' in the network rich"),
        ("raster", "stim", {}, "raster view: stim is a Node, not an Ensemble"),
        ("raster", "a", {"neurons": [1, 50, 99]}, r"neuron indices \[50, 99\] are out of range for a, which has 50"),
        ("raster", "a", {"neurons": slice(60, 70)}, "selects no neuron of a"),
        ("voltage", "a", {"neurons": [-1]}, "out of range"),
        ("slider", "digit", {}, "slider: digit is not a Node with a constant or slider output"),
        ("synapse", "a", {}, "synapse control: a is not a Connection with a nengo.Lowpass"),
        ("image", "digit", {"shape": (3, 3)}, "digit has 4 values, which do not fill an image of shape"),
        ("xy", "b", {}, "b has 1 dimensions"),
        ("value", "error", {}, None),
        ("nope", "a", {}, "no view type 'nope'; registered:"),
        ("raster", None, {}, "a raster view needs a target"),
    ],
)
def test_bad_views_get_clear_errors(rich, kind, target, options, message):
    session = LiveSession(rich, seed=1)
    try:
        if message is None:
            session.view(kind, target, **options)  # a passthrough Node has an output
            return
        probes = len(session.model.all_probes)
        with pytest.raises(ViewError, match=message):
            session.view(kind, target, **options)
        assert len(session.model.all_probes) == probes  # nothing left behind
        assert session.views == []
    finally:
        session.close()


def test_a_view_of_another_networks_object_names_it(rich):
    with nengo.Network():
        stranger = nengo.Ensemble(10, 1, label="stranger")
    session = LiveSession(rich, seed=1)
    try:
        with pytest.raises(ViewError, match="stranger is not part of the network rich"):
            ValueView(session, stranger)
        # the user's own objects work, as do the copy's
        assert ValueView(session, rich.all_ensembles[0]).targets == [session.model.all_ensembles[0]]
    finally:
        session.close()


def test_rasters_of_non_spiking_neurons_are_refused():
    with nengo.Network(label="rates") as net:
        nengo.Ensemble(10, 1, neuron_type=nengo.RectifiedLinear(), label="relu")
    session = LiveSession(net)
    try:
        with pytest.raises(ViewError, match="relu uses RectifiedLinear, which does not spike"):
            RasterView(session, "relu")
    finally:
        session.close()


def test_a_closed_session_says_so(rich):
    session = LiveSession(rich, seed=1)
    view = session.view("value", "a")
    session.step(10)
    session.close()
    assert view.closed
    with pytest.raises(SessionClosedError, match="live session of rich is closed"):
        session.view("raster", "a")
    with pytest.raises(SessionClosedError, match="closed"):
        session.step(10)
    with pytest.raises(SessionClosedError, match="closed"):
        session.play()


def test_third_party_views_register_and_compose(rich):
    @register_view("mean_rate")
    class MeanRate(SnapshotView):
        """The mean firing rate of an ensemble, as a single bar."""

        def __init__(self, session, target):
            from bokeh.models import ColumnDataSource
            from bokeh.plotting import figure

            ens = session.resolve(target, "mean_rate view")
            probe = session.probe(ens.neurons, synapse=0.05, sample_every=0.05)
            source = ColumnDataSource({"x": [0], "top": [0.0]})
            fig = figure(height=150, width=150)
            fig.vbar(x="x", top="top", width=0.8, source=source)
            super().__init__(session, f"Mean rate: {ens.label}", fig, source, probe,
                             [f"n{i}" for i in range(ens.n_neurons)])

        def draw(self, values):
            return {"x": [0], "top": [float(np.mean(values))]}

    try:
        session = LiveSession(rich, seed=1)
        view = session.view("mean_rate", "a")
        assert isinstance(view, View) and view.kind == "mean_rate"
        session.step(200)
        assert view.source.data["top"][0] == pytest.approx(view.data.iloc[-1, 1:].mean())
        assert view.source.data["top"][0] > 1.0
        session.close()
    finally:
        del VIEW_TYPES["mean_rate"]
    with pytest.raises(TypeError, match="not a View subclass"):
        register_view("bad")(object)


def test_image_view_default_shape_and_data(rich):
    session = LiveSession(rich, seed=1)
    try:
        view = ImageView(session, "digit")
        assert view.shape == (2, 2)
        session.step(100)
        image = view.source.data["image"][0]
        np.testing.assert_array_equal(image.ravel(), view.data.iloc[-1, 1:].to_numpy())
    finally:
        session.close()


def test_bias_offset_changes_firing_live_and_survives_reset(rich):
    session = LiveSession(rich, seed=3)
    try:
        rates = session.view("rates", "b")
        bias = session.view("neurons", "b")
        session.step(300)
        before = rates.data.iloc[-1, 1:].mean()
        sim = session.sim
        bias.slider.value = 5.0
        assert session.sim is sim and session.rebuilds == 0  # no rebuild
        session.step(300)
        raised = rates.data.iloc[-1, 1:].mean()
        session.reset()
        session.step(300)
        after_reset = rates.data.iloc[-1, 1:].mean()
        bias.slider.value = 0.0
        session.reset()
        session.step(300)
        back = rates.data.iloc[-1, 1:].mean()
    finally:
        session.close()
    assert raised > before + 20
    assert after_reset == pytest.approx(raised, rel=0.1)
    assert back == before  # same seed, same bias: the same run again


def test_the_toolbar_time_slider_scrubs(rich):
    session = LiveSession(rich, seed=1, window=0.2, history=0.5)
    try:
        toolbar = session.view("toolbar")
        value = session.view("value", "a")
        for _ in range(8):
            session.step(100)
        assert (toolbar.scrubber.min, toolbar.scrubber.max, toolbar.scrubber.value) == (-0.5, 0.0, 0.0)
        toolbar.scrubber.value = -0.2
        assert session.scrubbed_to == pytest.approx(0.6)
        assert np.asarray(value.source.data["t"])[-1] == pytest.approx(0.6)
        assert "showing t = 0.600 s" in toolbar.status.value
        toolbar.step_button.click()  # live again
        assert toolbar.scrubber.value == 0.0 and session.scrubbed_to is None
        assert np.asarray(value.source.data["t"])[-1] == pytest.approx(session.time)
    finally:
        session.close()
