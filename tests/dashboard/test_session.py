"""Kernel-side tests of the live session: real Nengo networks, real bokeh sources, no browser."""

import asyncio
import gc
import time
import tracemalloc

import nengo
import numpy as np
import pytest

from nbsnn.dashboard import LiveSession, widgets
from nbsnn.dashboard.publisher import MAX_FRAMES_IN_FLIGHT
from nbsnn.dashboard.views import RasterView, RatesView, ValueView, WeightsView
from nbsnn.exceptions import NoEventLoopError, UnsupportedError


@pytest.fixture(params=["patches", "channel"])
def session(request, channel, monkeypatch):
    """A session whose frames go as bokeh document patches (plain jupyter_bokeh views) or
    through a `FrameChannel` (nbsnn's widget module installed)."""
    monkeypatch.setattr(widgets, "live_widget_version", lambda: "1.0.0" if request.param == "channel" else None)
    s = LiveSession(channel, seed=1, window=1.0, history=1.0)
    assert (s.publisher.channel is not None) == (request.param == "channel")
    yield s
    s.close()


@pytest.fixture
def views(session):
    stim, ens = session.model.all_nodes[0], session.model.all_ensembles[0]
    return ValueView(session, [stim, ens]), RasterView(session, ens), RatesView(session, ens)


def test_user_network_is_left_untouched(channel):
    before = (len(channel.all_probes), type(channel.all_nodes[0].output))
    session = LiveSession(channel, seed=1)
    session.view("value", channel.all_ensembles[0])
    session.step(10)
    assert len(session.model.all_probes) == 1
    session.close()
    assert (len(channel.all_probes), type(channel.all_nodes[0].output)) == before
    assert len(session.model.all_probes) == 0  # closing a view takes its probe out


def test_step_streams_new_rows_and_slider_drives_decoded_value(session, views):
    values, raster, rates = views
    stim = session.model.all_nodes[0]
    session.step(200)
    assert session.time == pytest.approx(0.2)
    before = values.history()
    assert before["t"][-1] == pytest.approx(0.2)
    assert np.all(np.diff(before["t"]) > 0)
    np.testing.assert_allclose(before["y0"], 0.0)
    assert abs(before["y1"][-20:].mean()) < 0.2

    session.inputs[stim].set(0, 0.8)
    for _ in range(6):
        session.step(50)
    after = values.history()
    assert session.time == pytest.approx(0.5)
    late = after["t"] > 0.4
    np.testing.assert_allclose(after["y0"][late], 0.8)
    assert after["y1"][late].mean() == pytest.approx(0.8, abs=0.15)
    # the bokeh source received exactly what the ring buffer holds
    np.testing.assert_array_equal(np.asarray(values.source.data["t"]), after["t"])
    np.testing.assert_array_equal(np.asarray(values.source.data["y1"]), after["y1"])
    spikes = raster.history()
    assert len(spikes["t"]) > 0 and spikes["neuron"].max() < 40
    assert rates.data.shape[1] == 61


def test_integrator_integrates_and_holds(make_integrator):
    session = LiveSession(make_integrator(), seed=2)
    try:
        stim, ens = session.model.all_nodes[0], session.model.all_ensembles[0]
        view = ValueView(session, ens)
        session.step(100)
        session.inputs[stim].set(0, 1.0)
        session.step(500)  # integrates 1.0 for 0.5 s
        pushed = view.history()["y0"][-10:].mean()
        session.inputs[stim].set(0, 0.0)
        session.step(500)  # holds
        held = view.history()["y0"][-10:].mean()
    finally:
        session.close()
    assert pushed == pytest.approx(0.5, abs=0.15)
    assert held == pytest.approx(pushed, abs=0.15)


def test_memory_stays_bounded_over_a_long_run(session, views):
    session.inputs[session.model.all_nodes[0]].set(0, 0.5)
    for _ in range(60):
        session.step(100)  # 6 s of simulated time through a 1 s window
    assert session.time == pytest.approx(6.0)
    values, raster, _ = views
    for view in (values, raster):
        assert len(view.ring) <= view.ring.capacity
        shown = view.source.data["t"] if view is values else np.concatenate(view.source.data["xs"])[0::3]
        assert len(shown) <= view.window_rows, view
    assert len(values.history()["t"]) == values.ring.capacity
    # the simulator's probe history holds at most the last chunk
    assert all(len(session.sim.data[p]) <= 100 for p in session.model.all_probes)


def test_synapse_change_rebuilds_and_keeps_time(make_integrator):
    net = make_integrator()
    session = LiveSession(net, seed=2)
    try:
        ens = session.model.all_ensembles[0]
        values = ValueView(session, ens)
        tuning = session.view("tuning", ens)
        session.step(300)
        old_sim = session.sim
        tuning_before = tuning.curves["ys"][0].copy()
        session.set_synapse(net.all_connections[1], 0.02)
        assert session.sim is not old_sim and old_sim.closed
        assert session.rebuilds == 1
        assert session.model.all_connections[1].synapse == nengo.Lowpass(0.02)
        # same seed: same neurons after the rebuild
        np.testing.assert_allclose(tuning.curves["ys"][0], tuning_before)
        np.testing.assert_array_equal(tuning.source.data["ys"][0], tuning.curves["ys"][0])  # drawn
        session.step(100)
        t = values.history()["t"]
    finally:
        session.close()
    assert session.time == pytest.approx(0.4)
    assert np.all(np.diff(t) > 0) and t[-1] == pytest.approx(0.4)


def test_reset_clears_views_inputs_and_error(session, views):
    values = views[0]
    stim = session.model.all_nodes[0]
    session.inputs[stim].set(0, 0.7)
    session.step(100)
    session.error = RuntimeError("old")
    session.reset()
    assert session.time == 0.0 and session.error is None
    assert len(values.history()["t"]) == 0
    assert len(values.source.data["t"]) == 0
    assert session.inputs[stim].value[0] == 0.0
    session.step(50)
    assert values.history()["t"][0] > 0


def test_play_needs_an_event_loop(session):
    with pytest.raises(NoEventLoopError, match="running asyncio event loop"):
        session.play()


def test_async_run_paces_frames_and_keeps_the_loop_responsive(session, views):
    gaps = []

    async def ticker(stop):
        last = time.perf_counter()
        while not stop.is_set():
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    async def main():
        stop = asyncio.Event()
        tick = asyncio.create_task(ticker(stop))
        start = time.perf_counter()
        await session.run(0.6)
        wall = time.perf_counter() - start
        stop.set()
        await tick
        return wall

    session.speed = 1.0
    wall = asyncio.run(main())
    assert session.time == pytest.approx(0.6)
    assert not session.running
    # paced at (about) real time: not faster than the target speed
    assert wall > 0.45
    assert session.frames >= 8
    # other coroutines kept running between frames
    assert len(gaps) > 20 and max(gaps) < 0.25


def test_play_and_pause_on_a_running_loop(session, views):
    async def main():
        task = session.play()
        assert session.running
        await asyncio.sleep(0.4)
        session.pause()
        await task

    session.speed = None
    asyncio.run(main())
    assert session.time > 0.05
    assert session.real_time_factor > 0 and session.frame_rate > 0
    assert not session.running


def test_learned_connection_gets_a_live_weights_view():
    with nengo.Network(seed=4) as net:
        stim = nengo.Node([0.5])
        a = nengo.Ensemble(30, 1)
        b = nengo.Ensemble(30, 1)
        nengo.Connection(stim, a)
        conn = nengo.Connection(a, b, function=lambda x: 0, learning_rule_type=nengo.PES(learning_rate=5e-3))
        error = nengo.Node(size_in=1)
        nengo.Connection(b, error)
        nengo.Connection(stim, error, transform=-1)
        nengo.Connection(error, conn.learning_rule)
    session = LiveSession(net, seed=1)
    try:
        weights = WeightsView(session, conn)
        session.build()
        initial = np.atleast_2d(session.sim.data[session.model.all_connections[1]].weights).copy()
        session.step(300)
        learned = weights.data.iloc[-1, 1:].to_numpy().reshape(weights.shape)
    finally:
        session.close()
    assert learned.shape == initial.shape == (1, 30)
    assert np.abs(learned - initial).max() > 1e-4  # exactly 0 without learning
    np.testing.assert_array_equal(weights.source.data["image"][0], learned)


def test_frames_are_held_while_the_browser_is_behind_then_caught_up(session, views):
    values, raster, _ = views

    async def frames(n):
        for _ in range(n):  # one frame of 50 steps at a time, as the live loop runs them
            session._publish(*session._call(session._advance, 50, list(session.views)))

    session.step(50)
    session.publisher.drawn(session.time)  # the page reports; it has drawn everything
    asyncio.run(frames(MAX_FRAMES_IN_FLIGHT + 4))
    # only MAX_FRAMES_IN_FLIGHT frames went out undrawn; the rest were held back
    assert session.publisher.frames_held == 4
    last_sent = 0.05 * (1 + MAX_FRAMES_IN_FLIGHT)
    assert np.asarray(values.source.data["t"])[-1] == pytest.approx(last_sent)
    assert values.history()["t"][-1] == pytest.approx(last_sent + 0.2)
    session.publisher.drawn(last_sent)  # the browser caught up with what it was sent
    asyncio.run(frames(1))
    np.testing.assert_array_equal(np.asarray(values.source.data["t"]), values.history()["t"])
    np.testing.assert_array_equal(np.concatenate(raster.source.data["xs"])[0::3], raster.history()["t"])


def test_pausing_sends_frames_held_back(session, views):
    values = views[0]

    async def main():
        session.step(50)
        session.publisher.drawn(session.time)  # then the "browser" never reports again
        await session.run(0.5)

    session.fps = 20.0
    session.speed = 1.0  # 50 steps a frame: 10 frames, of which only MAX_FRAMES_IN_FLIGHT go out undrawn
    asyncio.run(main())
    assert session.publisher.frames_held > 0
    np.testing.assert_array_equal(np.asarray(values.source.data["t"]), values.history()["t"])
    assert values.source.data["t"][-1] == pytest.approx(session.time)


def test_uncopyable_network_gets_a_clear_error():
    import threading

    class Locked:
        def __init__(self):
            self.lock = threading.Lock()

        def __call__(self, t):
            return 0.0

    with nengo.Network() as net:
        nengo.Node(Locked(), size_out=1)
    with pytest.raises(UnsupportedError, match="could not copy it"):
        LiveSession(net)


def _failing_network():
    def fails_later(t):
        if t > 0.1:
            raise RuntimeError("sensor unplugged")
        return 0.0

    with nengo.Network(seed=1) as net:
        node = nengo.Node(fails_later, label="sensor")
        ens = nengo.Ensemble(20, 1, label="ens")
        nengo.Connection(node, ens)
    return net


def test_an_error_while_running_is_raised_kept_and_plotted_up_to_it():
    net = _failing_network()
    session = LiveSession(net, seed=1)
    values = session.view("value", "ens")
    try:
        with pytest.raises(RuntimeError, match="sensor unplugged"):
            asyncio.run(session.run(1.0))
        assert isinstance(session.error, RuntimeError) and "sensor unplugged" in str(session.error)
        assert not session.running and session.time < 0.2
        # the plot reaches the last step that completed, as the status line says
        shown = values.history()["t"][-1]
        assert session.time - shown <= 2 * values.sample_every + 1e-12
        assert "stopped by RuntimeError: sensor unplugged" in session.status()
        session.reset()
        assert "stopped by" not in session.status()
    finally:
        session.close()


def test_memory_does_not_grow_once_the_buffers_are_full(channel):
    session = LiveSession(channel, seed=1, window=0.25, history=0.25)
    stim, ens = session.model.all_nodes[0], session.model.all_ensembles[0]
    for kind in ("value", "raster", "voltage", "rates", "rate_map"):
        session.view(kind, ens)
    session.inputs[stim].set(0, 0.5)
    try:
        for _ in range(40):  # 2 s through a 0.25 s window: every buffer is full
            session.step(50)
        tracemalloc.start()
        for _ in range(40):  # everything kept is now allocated under tracing
            session.step(50)
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(40):  # 2 s more
            session.step(50)
        gc.collect()
        growth = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
        session.close()
    assert growth < 20_000, f"grew by {growth} bytes"
