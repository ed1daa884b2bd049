"""Kernel-side tests of the live loop: real Nengo networks, real bokeh sources, no browser."""

import asyncio
import gc
import time
import tracemalloc

import nengo
import numpy as np
import pytest

from nbsnn.dashboard.live import LiveRunner, NoEventLoopError
from nbsnn.exceptions import UnsupportedError


@pytest.fixture
def runner(channel):
    r = LiveRunner(channel, seed=1, window=1.0)
    yield r
    r.close()


def test_user_network_is_left_untouched(channel):
    before = (len(channel.all_probes), type(channel.all_nodes[0].output))
    runner = LiveRunner(channel, seed=1)
    runner.close()
    assert (len(channel.all_probes), type(channel.all_nodes[0].output)) == before
    assert len(runner.model.all_probes) > 0


def test_plots_chosen_for_a_lif_ensemble(runner):
    assert list(runner.figures) == ["values", "raster", "voltage", "rates", "tuning"]
    assert sorted(runner.sources) == sorted(runner.figures)
    assert runner.sources["values"].name == "nbsnn-values"
    assert runner.value_labels == ["stim", "ens (decoded)"]


def test_step_streams_new_rows_and_slider_drives_decoded_value(runner):
    source = runner._streams["values"].source
    runner.step(200)
    assert runner.time == pytest.approx(0.2)
    before = runner.history("values")
    assert before["t"][-1] == pytest.approx(0.2)
    assert np.all(np.diff(before["t"]) > 0)
    np.testing.assert_allclose(before["y0"], 0.0)
    assert abs(before["y1"][-20:].mean()) < 0.2

    runner.set_input(0, 0, 0.8)
    for _ in range(6):
        runner.step(50)
    after = runner.history("values")
    assert runner.time == pytest.approx(0.5)
    late = after["t"] > 0.4
    np.testing.assert_allclose(after["y0"][late], 0.8)
    assert after["y1"][late].mean() == pytest.approx(0.8, abs=0.15)
    # the bokeh source received exactly what the ring buffer holds
    np.testing.assert_array_equal(np.asarray(source.data["t"]), after["t"])
    np.testing.assert_array_equal(np.asarray(source.data["y1"]), after["y1"])
    raster = runner.history("raster")
    assert len(raster["t"]) > 0 and raster["neuron"].max() < 40
    assert runner.latest_rates.shape == (60,)


def test_integrator_integrates_and_holds(make_integrator):
    runner = LiveRunner(make_integrator(), seed=2)
    try:
        runner.step(100)
        runner.set_input(0, 0, 1.0)
        runner.step(500)  # integrates 1.0 for 0.5 s
        pushed = runner.history("values")["y1"][-10:].mean()
        runner.set_input(0, 0, 0.0)
        runner.step(500)  # holds
        held = runner.history("values")["y1"][-10:].mean()
    finally:
        runner.close()
    assert pushed == pytest.approx(0.5, abs=0.15)
    assert held == pytest.approx(pushed, abs=0.15)


def test_memory_stays_bounded_over_a_long_run(runner):
    runner.set_input(0, 0, 0.5)
    for _ in range(60):
        runner.step(100)  # 6 s of simulated time through a 1 s window
    assert runner.time == pytest.approx(6.0)
    for key, stream in runner._streams.items():
        cap = stream.ring.capacity
        assert len(stream.ring) <= cap
        assert len(stream.source.data["t"]) <= cap, key
    assert len(runner.history("values")["t"]) == runner._streams["values"].ring.capacity
    # the simulator's probe history holds at most the last chunk
    assert all(len(runner.sim.data[p]) <= 100 for p in runner.model.all_probes)


def test_synapse_change_rebuilds_and_keeps_time(make_integrator):
    runner = LiveRunner(make_integrator(), seed=2)
    try:
        runner.step(300)
        old_sim = runner.sim
        tuning_before = runner._tuning_source.data["ys"][0].copy()
        runner.set_synapse(0, 0.02)
        assert runner.sim is not old_sim and old_sim.closed
        assert runner.rebuilds == 1
        recurrent = runner.model.all_connections[1]
        assert recurrent.synapse == nengo.Lowpass(0.02)
        # same seed: same neurons after the rebuild
        np.testing.assert_allclose(runner._tuning_source.data["ys"][0], tuning_before)
        runner.step(100)
        t = runner.history("values")["t"]
    finally:
        runner.close()
    assert runner.time == pytest.approx(0.4)
    assert np.all(np.diff(t) > 0) and t[-1] == pytest.approx(0.4)


def test_reset_clears_plots_and_inputs(runner):
    runner.set_input(0, 0, 0.7)
    runner.step(100)
    runner.reset()
    assert runner.time == 0.0
    assert len(runner.history("values")["t"]) == 0
    assert len(runner._streams["values"].source.data["t"]) == 0
    assert runner.inputs[0].value[0] == 0.0
    runner.step(50)
    assert runner.history("values")["t"][0] > 0


def test_play_needs_an_event_loop(runner):
    with pytest.raises(NoEventLoopError, match="running asyncio event loop"):
        runner.play()


def test_async_run_paces_frames_and_keeps_the_loop_responsive(runner):
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
        await runner.run(0.6)
        wall = time.perf_counter() - start
        stop.set()
        await tick
        return wall

    runner.speed = 1.0
    wall = asyncio.run(main())
    assert runner.time == pytest.approx(0.6)
    assert not runner.running
    # paced at (about) real time: not faster than the target speed
    assert wall > 0.45
    assert runner.frames >= 8
    # other coroutines kept running between frames
    assert len(gaps) > 20 and max(gaps) < 0.25


def test_play_and_pause_on_a_running_loop(runner):
    async def main():
        task = runner.play()
        assert runner.running
        await asyncio.sleep(0.4)
        runner.pause()
        await task

    runner.speed = None
    asyncio.run(main())
    assert runner.time > 0.05
    assert runner.real_time_factor > 0 and runner.frame_rate > 0
    assert not runner.running


def test_learned_connection_gets_a_weights_view():
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
    runner = LiveRunner(net, seed=1)
    try:
        learned_conn = runner.model.all_connections[1]
        initial = np.atleast_2d(runner.sim.data[learned_conn].weights).copy()
        runner.step(300)
        learned = runner.latest_weights
    finally:
        runner.close()
    assert "weights" in runner.figures
    assert learned.shape == initial.shape == (1, 30)
    assert np.abs(learned - initial).max() > 1e-4  # exactly 0 without learning
    np.testing.assert_array_equal(runner._weights_source.data["image"][0], learned)


def test_frames_are_held_while_the_browser_is_behind_then_caught_up(runner):
    source = runner._streams["values"].source
    runner.step(50)
    runner.browser_drew(runner.time)  # a view is reporting; it has drawn everything so far
    for _ in range(8):
        runner.step(50)
    # only MAX_FRAMES_IN_FLIGHT frames went out undrawn; the rest were held back
    assert runner.frames_held == 8 - 4
    assert np.asarray(source.data["t"])[-1] == pytest.approx(0.25)
    assert runner.history("values")["t"][-1] == pytest.approx(0.45)
    runner.browser_drew(0.25)  # the browser caught up with what it was sent
    runner.step(50)
    np.testing.assert_array_equal(np.asarray(source.data["t"]), runner.history("values")["t"])
    raster = runner.history("raster")
    np.testing.assert_array_equal(np.asarray(runner._streams["raster"].source.data["t"]), raster["t"])


def test_pausing_sends_frames_held_back(runner):
    source = runner._streams["values"].source

    async def main():
        runner.step(50)
        runner.browser_drew(runner.time)  # then the "browser" never reports again
        await runner.run(0.5)

    runner.speed = 1.0  # 50 steps a frame: 10 frames, of which only 4 go out undrawn
    asyncio.run(main())
    assert runner.frames_held > 0
    np.testing.assert_array_equal(np.asarray(source.data["t"]), runner.history("values")["t"])
    assert source.data["t"][-1] == pytest.approx(runner.time)


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
        LiveRunner(net)


def test_an_error_while_running_stops_the_run_and_is_kept():
    def fails_later(t):
        if t > 0.1:
            raise RuntimeError("sensor unplugged")
        return 0.0

    with nengo.Network(seed=1) as net:
        node = nengo.Node(fails_later)
        ens = nengo.Ensemble(20, 1)
        nengo.Connection(node, ens)
    runner = LiveRunner(net, seed=1)

    async def main():
        await runner.run(1.0)

    try:
        asyncio.run(main())
    finally:
        runner.close()
    assert isinstance(runner.error, RuntimeError) and "sensor unplugged" in str(runner.error)
    assert not runner.running and runner.time < 0.2


def test_memory_does_not_grow_once_the_buffers_are_full(channel):
    runner = LiveRunner(channel, seed=1, window=0.25)
    runner.set_input(0, 0, 0.5)
    try:
        for _ in range(40):  # 2 s through a 0.25 s window: every buffer is full
            runner.step(50)
        tracemalloc.start()
        for _ in range(40):  # everything kept is now allocated under tracing
            runner.step(50)
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(40):  # 2 s more
            runner.step(50)
        gc.collect()
        growth = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
        runner.close()
    assert growth < 20_000, f"grew by {growth} bytes"
