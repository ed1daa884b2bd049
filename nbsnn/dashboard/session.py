"""`LiveSession`: a network running in chunks, and the views bound to it.

A session owns a private copy of the user's network and an
`nbsnn.simulator.Simulator` built from it. It runs the simulator in chunks of
``run_steps(k)`` on a worker thread while an asyncio task on the kernel's event
loop paces the frames, so the kernel stays responsive: between frames it
handles widget messages and runs other cells. That, play / pause / step /
reset / speed and the status line are all it does.

Everything drawn belongs to views (`nbsnn.dashboard.views`): each view adds its
probes to the copy, and after every chunk the session asks each view for its
new rows (on the worker thread), clears the simulator's probe history (so memory
stays bounded) and hands the rows to its `Publisher`, which lets the views draw
them as fast as the browser keeps up.
"""

import asyncio
import html
import time
import warnings
from concurrent.futures import ThreadPoolExecutor

import nengo
import numpy as np

from ..config import LIVE_FPS
from ..exceptions import NoEventLoopError, SessionClosedError, UnsupportedError, ViewError
from .inputs import SynapseControl, find_slider_inputs
from .publisher import Publisher
from .targets import Targets, describe
from . import widgets

__all__ = ["LiveSession", "NoEventLoopError"]


class LiveSession:
    """Run a network live, in chunks, for the views bound to it.

    Parameters
    ----------
    network : nengo.Network
        The network to run. It is copied; the copy gets the views' probes and
        mutable inputs, and the original is left untouched.
    dt : float, optional
        Simulator time step (seconds).
    seed : int, optional
        Simulator seed. Defaults to the network's seed, or else to a seed drawn
        once here, so that rebuilds keep the same neurons.
    window : float, optional
        Seconds of simulated time visible in the time plots.
    history : float, optional
        Seconds of simulated time every view keeps (for scrubbing and export);
        at least ``window``. Defaults to ``max(window, 10)``.
    fps : float, optional
        Target frame rate of the views.
    speed : float or None, optional
        Target real-time factor (1.0 is real time); None runs as fast as the
        frame budget allows.

    Attributes
    ----------
    model : nengo.Network
        The private copy that is simulated.
    inputs : dict of nengo.Node to DashboardSlider
        The copy's slider-able Nodes (constant outputs and ``%%snn`` sliders),
        whose outputs were replaced by values that can change while running.
    views : list of View
        The open views, in the order they were made.
    sim : nbsnn.simulator.Simulator or None
        The current simulator (replaced on rebuild; None until first built).
    error : Exception or None
        The error that stopped the last live run (from the simulator, a Node
        function or a rebuild), if any; cleared by `reset`.
    publisher : Publisher
        Browser flow control for the views (one message per frame with
        nbsnn's widget module installed; see `nbsnn.dashboard.widgets`).

    Notes
    -----
    Adding a view that needs a probe the simulator does not have yet rebuilds
    the simulator (at once when paused, between frames when playing): simulated
    time carries on, but the network's state starts from zero again, as after
    a synapse change.
    """

    def __init__(self, network, dt=0.001, seed=None, window=2.0, history=None, fps=LIVE_FPS, speed=1.0):
        if not isinstance(network, nengo.Network):
            raise TypeError(f"LiveSession needs a nengo.Network, got {type(network).__name__}")
        self.network = network
        self.dt = float(dt)
        if seed is None:
            seed = network.seed
        if seed is None:
            seed = int(np.random.SeedSequence().generate_state(1)[0] >> 1)
        self.seed = int(seed)
        self.window = float(window)
        self.history = max(self.window, 10.0 if history is None else float(history))
        self.fps = float(fps)
        self.speed = speed

        with warnings.catch_warnings():
            # Nengo warns when copying passthrough Nodes; the copy is faithful.
            warnings.filterwarnings("ignore", message=".*Node.size_out.*overwritten")
            try:
                self.model = network.copy()
            except Exception as err:
                raise UnsupportedError(
                    f"The live session runs a copy of {network} and could not copy it "
                    f"({type(err).__name__}: {err}); make every Node output copyable "
                    "(copy.deepcopy must work on it)"
                ) from err
        self.targets = Targets(network, self.model)
        self.inputs = dict(find_slider_inputs(self.model))
        self.views = []
        self.publisher = Publisher(widgets.FrameChannel() if widgets.live_widget_version() else None)
        self.sim = None
        self.time_offset = 0.0
        self.running = False
        self.closed = False
        self.error = None
        self.real_time_factor = 0.0
        self.frame_rate = 0.0
        self.frames = 0
        self.rebuilds = 0
        self.scrubbed_to = None
        self._generation = 0
        self._steps_per_second = None
        self._step_debt = 0.0
        self._rebuild_pending = False
        self._task = None
        self._frame_callbacks = []
        self._reset_callbacks = []
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nbsnn-live")

    # ------------------------------------------------------------------
    # Views
    # ------------------------------------------------------------------

    def view(self, kind, target=None, **options):
        """Make a view of a registered kind (see `nbsnn.dashboard.views.VIEW_TYPES`).

        Parameters
        ----------
        kind : str
            E.g. ``"value"``, ``"raster"``, ``"slider"``.
        target : object or str, optional
            An object of the network (or its label), if the kind needs one.
        **options
            Passed to the view class.
        """
        from .views import view_type

        self._check_open(f"{kind} view")
        cls = view_type(kind)
        if not cls.needs_target:
            return cls(self, **options) if target is None else cls(self, target, **options)
        if target is None:
            raise ViewError(f"a {kind} view needs a target: session.view({kind!r}, obj)")
        return cls(self, target, **options)

    def resolve(self, obj, what="view"):
        """The session's copy of ``obj`` (an object of the network, or its label)."""
        self._check_open(what)
        return self.targets.resolve(obj, what)

    def attach(self, view):
        """Register a view (called by `View.__init__`); rebuilds if it added probes."""
        self._check_open(repr(view))
        self.views.append(view)
        if self.sim is None:
            return
        if view.probes:
            self.request_rebuild()
        else:
            self._call(view.built, self.sim)
            view.publish()

    def detach(self, view):
        """Unregister a view (called by `View.close`); its probes leave the model."""
        if view in self.views:
            self.views.remove(view)
        self.publisher.forget(view)
        for probe in view.probes:
            if probe in self.model.probes:
                self.model.probes.remove(probe)

    def probe(self, target, attr=None, **kwargs):
        """Add a `nengo.Probe` of ``target`` (an object of `model`) to the model."""
        with self.model:
            return nengo.Probe(target, attr, **kwargs)

    def _check_open(self, what="session"):
        if self.closed:
            raise SessionClosedError(
                f"{what}: the live session of {describe(self.network)} is closed; "
                "make a new LiveSession"
            )

    # ------------------------------------------------------------------
    # Simulator side (runs on the worker thread)
    # ------------------------------------------------------------------

    def _call(self, fn, *args):
        """Run ``fn`` on the worker thread and wait for it (serialises sim use)."""
        return self._executor.submit(fn, *args).result()

    def _build(self):
        from ..simulator import Simulator

        # build first, so that a failing build leaves the running simulator in place
        sim = Simulator(self.model, dt=self.dt, seed=self.seed, progress_bar=False)
        if self.sim is not None:
            self.time_offset += self.sim.time
            self.sim.close()
            self.rebuilds += 1
        self.sim = sim
        self._rebuild_pending = False
        for view in list(self.views):
            view.built(sim)

    def _advance(self, n_steps, views):
        """Run ``n_steps``; return the views' new rows and the error that stopped it."""
        generation = self._generation
        sim = self.sim
        n0 = sim.n_steps
        error = None
        start = time.perf_counter()
        try:
            sim.run_steps(n_steps)
        except Exception as err:  # noqa: BLE001 -- raised after the rows are published
            error = err
        elapsed = time.perf_counter() - start
        if error is None:
            rate = n_steps / max(elapsed, 1e-9)
            if self._steps_per_second is None:
                self._steps_per_second = rate
            else:
                self._steps_per_second = 0.7 * self._steps_per_second + 0.3 * rate
        built = set(sim.model.probes)
        n1 = n0 + self._probed_steps(sim, n0, error)
        chunk = {}
        for view in views:
            if all(p in built for p in view.probes):
                rows = view.collect(sim, n0, n1)
                if rows is not None:
                    chunk[id(view)] = rows
        sim.clear_probes()
        return generation, chunk, error

    def _probed_steps(self, sim, n0, error):
        """Steps whose probe rows are complete (all, unless a step failed part way)."""
        n = sim.n_steps - n0
        if error is not None:  # the failing step may count, without its probe rows
            every_step = [p for p in sim.model.probes if p.sample_every is None]
            if every_step:
                n = min(n, min(len(sim.data[p]) for p in every_step))
        return n

    def _reset(self):
        if self.sim is not None:
            self.sim.reset(seed=self.seed)
        self.time_offset = 0.0
        for slider in self.inputs.values():
            slider.reset()

    # ------------------------------------------------------------------
    # Public API
    # ------------------------------------------------------------------

    @property
    def time(self):
        """Simulated time (seconds) since the last reset, across rebuilds."""
        return self.time_offset + (0.0 if self.sim is None else self.sim.time)

    def build(self):
        """Build the simulator now (it is built on the first step otherwise), and draw what it gives."""
        self._check_open()
        self._call(self._build)
        self.publisher.publish(self.views, {}, force=True)  # e.g. new tuning curves

    def request_rebuild(self):
        """Rebuild the simulator from the model: now if paused, between frames if playing."""
        if self.running:
            self._rebuild_pending = True
        elif self.sim is not None:
            self.build()

    def set_synapse(self, connection, tau):
        """Set the `nengo.Lowpass` time constant of ``connection``; rebuilds.

        Parameters
        ----------
        connection : nengo.Connection or str
            A connection of the network (or its label).
        tau : float
            Seconds (>= 0).
        """
        conn = self.resolve(connection, "set_synapse")
        SynapseControl(conn, describe(conn)).set(tau)
        self.request_rebuild()

    def set_seed(self, seed):
        """Use another seed: rebuilds the simulator and resets to t = 0."""
        self.seed = int(seed)
        self.pause()
        if self.sim is not None:
            self._call(self._close_sim)
        self.reset()

    def _close_sim(self):
        self.sim.close()
        self.sim = None

    def on_frame(self, callback):
        """Call ``callback(session)`` after every published frame."""
        self._frame_callbacks.append(callback)

    def on_reset(self, callback):
        """Call ``callback(session)`` after every reset."""
        self._reset_callbacks.append(callback)

    def steps_for_frame(self):
        """Number of steps the next frame should run.

        With a target ``speed`` this keeps simulated time in step with wall
        time; either way a frame never asks for more steps than the simulator
        managed in 80% of a frame period so far, so the frame rate holds.
        """
        frame = 1.0 / self.fps
        if self._steps_per_second is None:
            cap = max(1, round(0.5 * frame / self.dt))
        else:
            cap = max(1, int(self._steps_per_second * 0.8 * frame))
        if self.speed is None:
            return cap
        self._step_debt = min(self._step_debt + self.speed * frame / self.dt, cap)
        n = int(self._step_debt)
        self._step_debt -= n
        return n

    def _prepare(self):
        """Build or rebuild if needed before the next chunk (main thread)."""
        if self.sim is None or self._rebuild_pending:
            self._call(self._build)

    def _publish(self, generation, chunk, error=None, force=False):
        if generation == self._generation:  # else produced before a reset
            self.scrubbed_to = None
            self.publisher.publish(self.views, chunk, force=force)
        if error is not None:
            self.error = error
            raise error

    def step(self, n_steps=None):
        """Run one chunk now (blocking) and publish it.

        Parameters
        ----------
        n_steps : int, optional
            Defaults to one frame at real-time speed.
        """
        self._check_open()
        if self.running:
            raise RuntimeError("LiveSession.step: pause the live run first")
        if n_steps is None:
            n_steps = max(1, round(1.0 / (self.fps * self.dt)))
        if int(n_steps) < 1:
            raise ValueError(f"LiveSession.step: n_steps must be at least 1, got {n_steps}")
        self._prepare()
        try:
            self._publish(*self._call(self._advance, int(n_steps), list(self.views)), force=True)
        finally:
            self._notify()

    def reset(self):
        """Go back to t = 0 with the initial inputs; clears the views and the error."""
        self._check_open()
        self._generation += 1
        self._call(self._reset)
        self.error = None
        self.scrubbed_to = None
        self.publisher.clear()
        for view in self.views:
            view.clear()
        for callback in self._reset_callbacks:
            callback(self)
        self._notify()

    def scrub(self, t):
        """Show the moment ``t`` (simulated seconds) in every view; pauses first.

        Only the last ``history`` seconds are kept; ``t`` is clipped to them.
        Playing or stepping again shows the latest data.
        """
        self._check_open()
        self.pause()
        t = float(np.clip(t, max(0.0, self.time - self.history), self.time))
        self.scrubbed_to = t
        for view in self.views:
            view.show_at(t)
        self._notify()
        return t

    def play(self):
        """Start the live run as a task on the running asyncio event loop.

        Raises
        ------
        NoEventLoopError
            If no event loop is running (use `run` from a coroutine, or
            `step`, outside Jupyter).
        """
        self._check_open()
        if self.running:
            return self._task
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = asyncio.get_event_loop_policy().get_event_loop()
            if not loop.is_running():
                raise NoEventLoopError(
                    "LiveSession.play needs a running asyncio event loop (a Jupyter "
                    "kernel has one); in a script, await LiveSession.run(...) "
                    "inside asyncio.run, or call LiveSession.step()"
                ) from None
        self.running = True
        self.error = None
        self._task = loop.create_task(self._loop(None, raise_error=False))
        return self._task

    def pause(self):
        """Stop after the current frame (see `join` to wait for it)."""
        self.running = False

    async def join(self):
        """Wait until the task started by `play` has finished (after `pause`)."""
        if self._task is not None:
            await self._task

    async def run(self, duration=None):
        """Run live (pacing frames) until paused or ``duration`` seconds simulated.

        Parameters
        ----------
        duration : float, optional
            Simulated seconds to run; None runs until `pause`.

        Raises
        ------
        Exception
            The error that stopped the run (also kept in `error`).
        """
        self._check_open()
        self.running = True
        self.error = None
        await self._loop(duration, raise_error=True)

    async def _loop(self, duration, raise_error):
        loop = asyncio.get_running_loop()
        stop_at = None if duration is None else self.time + duration - 0.5 * self.dt
        last = next_frame = time.perf_counter()
        try:
            while self.running and (stop_at is None or self.time < stop_at):
                if self.sim is None or self._rebuild_pending:
                    await loop.run_in_executor(self._executor, self._build)
                n = self.steps_for_frame()
                if stop_at is not None:
                    n = min(n, max(1, round((stop_at - self.time) / self.dt)))
                if n > 0:
                    result = await loop.run_in_executor(self._executor, self._advance, n, list(self.views))
                    self._publish(*result)
                sim_seconds = n * self.dt
                # frames on a fixed clock (1/fps apart); a late frame starts the clock again
                next_frame = max(next_frame + 1.0 / self.fps, time.perf_counter())
                await asyncio.sleep(next_frame - time.perf_counter())
                now = time.perf_counter()
                wall = now - last
                last = now
                self.frames += 1
                alpha = 0.2 if self.frames > 1 else 1.0
                self.real_time_factor += alpha * (sim_seconds / wall - self.real_time_factor)
                self.frame_rate += alpha * (1.0 / wall - self.frame_rate)
                self._notify()
        except Exception as err:  # noqa: BLE001 -- kept for the status line
            self.error = err
            if raise_error:
                raise
        finally:
            self.running = False
            if self.publisher.holding:  # the browser was behind: send what it has not got yet
                self.publisher.publish(self.views, {}, force=True)
            self._notify()

    def status(self):
        """The status line: time, real-time factor, frame rate, state (HTML)."""
        state = "running" if self.running else "paused"
        if self.closed:
            state = "closed"
        if self.scrubbed_to is not None:
            state = f"paused, showing t = {self.scrubbed_to:.3f} s"
        if self.error is not None:
            state = f"stopped by {type(self.error).__name__}: {html.escape(str(self.error))}"
        return (
            f"<span class='nbsnn-time'>t = {self.time:.3f} s</span> · "
            f"<span class='nbsnn-rtf'>{self.real_time_factor:.2f}× real time</span> · "
            f"{self.frame_rate:.0f} fps · {state}"
        )

    def _notify(self):
        for callback in self._frame_callbacks:
            callback(self)

    def close(self):
        """Stop, close the views, the simulator and the worker thread (safe to call twice)."""
        self.running = False
        if self.closed:
            return
        for view in list(self.views):
            view.close()
        self.closed = True
        self.publisher.close()
        if self.sim is not None:
            try:
                self._call(self.sim.close)
            except RuntimeError:  # the worker is gone already (interpreter exit)
                self.sim.close()
        self._executor.shutdown(wait=False)
        self._notify()

    def __repr__(self):
        return f"<LiveSession of {describe(self.network)}: {len(self.views)} views, t = {self.time:.3f} s>"
