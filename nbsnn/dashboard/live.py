"""The chunked run loop behind the live dashboard.

`LiveRunner` owns a private copy of the user's network, with probes added for
what is plotted, and an `nbsnn.simulator.Simulator` built from it. It runs the
simulator in chunks of ``run_steps(k)`` on a worker thread while an asyncio task
on the kernel's event loop paces the frames, so the kernel stays responsive:
between frames it handles widget messages and runs other cells.

After each chunk the runner reads only the new probe rows, clears the
simulator's probe history (so memory stays bounded however long it runs),
appends the rows to fixed-size ring buffers and streams them to the bokeh
sources with ``rollover``. Nothing is ever read back from a bokeh source.
"""

import asyncio
import collections
import contextlib
import math
import time
import warnings
from concurrent.futures import ThreadPoolExecutor

import nengo
import numpy as np

from ..exceptions import NbsnnError, UnsupportedError
from . import plots
from .inputs import find_slider_inputs, find_synapse_controls
from .ring import RingBuffer

__all__ = ["LiveRunner", "NoEventLoopError"]

POINTS_PER_WINDOW = 400
RASTER_MAX_RATE = 250.0  # Hz; the raster keeps window * neurons * this many spikes
RATE_SYNAPSE = 0.05
RATE_SAMPLE_EVERY = 0.05
WEIGHTS_SAMPLE_EVERY = 0.1
MAX_VALUE_SERIES = 8
MAX_FRAMES_IN_FLIGHT = 4


class NoEventLoopError(NbsnnError, RuntimeError):
    """`LiveRunner.play` was called where no asyncio event loop is running."""


class _Stream:
    """A group of probes sampled together and plotted in one source."""

    def __init__(self, probes, sample_every, capacity, columns, source):
        self.probes = probes
        self.sample_every = sample_every
        self.ring = RingBuffer(capacity, columns)
        self.source = source


class LiveRunner:
    """Run a network in chunks and stream what it does to bokeh plots.

    Parameters
    ----------
    network : nengo.Network
        The network to run. It is copied; the copy gets the probes and mutable
        inputs, and the original is left untouched.
    dt : float, optional
        Simulator time step (seconds).
    seed : int, optional
        Simulator seed. Defaults to the network's seed, or else to a seed drawn
        once here, so that rebuilds keep the same neurons.
    window : float, optional
        Seconds of simulated time visible in the time plots.
    fps : float, optional
        Target frame rate of the plots.
    ensemble : nengo.Ensemble, optional
        Ensemble of ``network`` whose neurons are shown (raster, voltage, rates,
        tuning curves). Defaults to the first ensemble with neurons.
    n_raster : int, optional
        Number of neurons in the spike raster.
    n_voltage : int, optional
        Number of neurons whose membrane voltage is plotted.
    n_rates : int, optional
        Number of neurons in the firing-rate histogram; None (default) shows
        all of them (probing the whole population keeps Nengo's optimizer
        free to merge its operators, which a slice would prevent).
    speed : float or None, optional
        Target real-time factor (1.0 is real time); None runs as fast as the
        frame budget allows.

    Attributes
    ----------
    model : nengo.Network
        The private copy that is simulated.
    inputs : list of SliderInput
        One per slider-able Node.
    synapses : list of SynapseControl
        One per controllable synapse.
    figures : dict of str to bokeh figure
        The plots, keyed ``values``, ``raster``, ``voltage``, ``rates``,
        ``tuning`` and ``weights`` (those that apply to this network).
    sim : nbsnn.simulator.Simulator
        The current simulator (replaced on rebuild).
    error : Exception or None
        The error that stopped the last live run (from the simulator, a
        Node function or a rebuild), if any.
    publish_context : callable
        Returns the context manager that each frame's plot updates run in
        (the dashboard sets it to `StreamingBokehModel.batch`).
    """

    def __init__(
        self,
        network,
        dt=0.001,
        seed=None,
        window=2.0,
        fps=20.0,
        ensemble=None,
        n_raster=40,
        n_voltage=3,
        n_rates=None,
        speed=1.0,
    ):
        if not isinstance(network, nengo.Network):
            raise TypeError(
                f"LiveRunner needs a nengo.Network, got {type(network).__name__}"
            )
        self.dt = float(dt)
        if seed is None:
            seed = network.seed
        if seed is None:
            seed = int(np.random.SeedSequence().generate_state(1)[0] >> 1)
        self.seed = int(seed)
        self.window = float(window)
        self.fps = float(fps)
        self.speed = speed

        with warnings.catch_warnings():
            # Nengo warns when copying passthrough Nodes; the copy is faithful.
            warnings.filterwarnings("ignore", message=".*Node.size_out.*overwritten")
            try:
                self.model = network.copy()
            except Exception as err:
                raise UnsupportedError(
                    f"The dashboard runs a copy of {network} and could not copy it "
                    f"({type(err).__name__}: {err}); make every Node output copyable "
                    "(copy.deepcopy must work on it)"
                ) from err
        found = find_slider_inputs(self.model)
        self.inputs = [slider for _, slider in found]
        self._input_nodes = [node for node, _ in found]
        self.synapses = find_synapse_controls(self.model)
        self.ensemble = self._pick_ensemble(network, ensemble)

        self.figures = {}
        self.value_labels = []
        self._streams = {}
        self._rate_probe = None
        self._rate_edges = None
        self._weights_probe = None
        self._tuning_source = None
        with self.model:
            self._add_value_plot()
            if self.ensemble is not None:
                self._add_neuron_plots(n_raster, n_voltage, n_rates)
            self._add_weights_plot()

        self.sim = None
        self.time_offset = 0.0
        self.running = False
        self.real_time_factor = 0.0
        self.frame_rate = 0.0
        self.frames = 0
        self.rebuilds = 0
        self._generation = 0
        self._steps_per_second = None
        self._step_debt = 0.0
        self._rebuild_pending = False
        self._task = None
        self._frame_callbacks = []
        self._closed = False
        self.error = None
        self.frames_held = 0
        self.latest_rates = None
        self.latest_weights = None
        self._holding = False
        self._streamed_until = -np.inf
        self._drawn_until = None
        self._sent = collections.deque(maxlen=4 * MAX_FRAMES_IN_FLIGHT)
        self.publish_context = contextlib.nullcontext
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nbsnn-live")
        self._call(self._build)
        if self._weights_probe is not None:
            self._add_weights_figure()
        self._update_tuning()

    # ------------------------------------------------------------------
    # Set-up
    # ------------------------------------------------------------------

    def _pick_ensemble(self, network, ensemble):
        originals = network.all_ensembles
        copies = self.model.all_ensembles
        if ensemble is not None:
            for orig, copy in zip(originals, copies):
                if orig is ensemble:
                    return copy
            raise ValueError(f"{ensemble} is not an ensemble of the network given")
        for copy in copies:
            if not isinstance(copy.neuron_type, nengo.Direct):
                return copy
        return None

    def _plot_dt(self):
        steps = max(1, round(self.window / (POINTS_PER_WINDOW * self.dt)))
        return steps * self.dt

    def _add_value_plot(self):
        labels, probes = [], []
        plot_dt = self._plot_dt()
        for node, slider in zip(self._input_nodes, self.inputs):
            for d in range(slider.dimensions):
                labels.append(slider.label if slider.dimensions == 1 else f"{slider.label}[{d}]")
            probes.append(nengo.Probe(node, sample_every=plot_dt))
        for i, ens in enumerate(self.model.all_ensembles):
            if len(labels) + ens.dimensions > MAX_VALUE_SERIES:
                break
            name = ens.label or f"ensemble {i}"
            for d in range(ens.dimensions):
                labels.append(f"{name} (decoded)" if ens.dimensions == 1 else f"{name}[{d}] (decoded)")
            probes.append(nengo.Probe(ens, synapse=0.01, sample_every=plot_dt))
        if not probes:
            return
        fig, source = plots.series_figure(
            "Input and decoded values", labels, self.window, "nbsnn-values"
        )
        self.value_labels = labels
        self._add_stream("values", fig, source, probes, plot_dt, len(labels))

    def _add_stream(self, key, fig, source, probes, sample_every, n_series):
        capacity = math.ceil(self.window / sample_every) + 1
        columns = ["t"] + [f"y{i}" for i in range(n_series)]
        self.figures[key] = fig
        self._streams[key] = _Stream(probes, sample_every, capacity, columns, source)

    def _add_neuron_plots(self, n_raster, n_voltage, n_rates):
        ens = self.ensemble
        label = ens.label or "ensemble"
        n = ens.n_neurons
        if ens.neuron_type.spiking and n_raster > 0:
            k = min(n, n_raster)
            fig, source = plots.raster_figure(k, self.window, label)
            self.figures["raster"] = fig
            self._streams["raster"] = _Stream(
                [nengo.Probe(ens.neurons[:k], "output")],
                None,
                max(1000, math.ceil(k * self.window * RASTER_MAX_RATE)),
                ["t", "neuron"],
                source,
            )
        if "voltage" in ens.neuron_type.probeable and n_voltage > 0:
            k = min(n, n_voltage)
            fig, source = plots.series_figure(
                f"Membrane voltage: {label}",
                [f"neuron {i}" for i in range(k)],
                self.window,
                "nbsnn-voltage",
                y_label="voltage",
            )
            probe = nengo.Probe(ens.neurons[:k], "voltage", sample_every=self._plot_dt())
            self._add_stream("voltage", fig, source, [probe], self._plot_dt(), k)
        if n_rates is None or n_rates > 0:
            top = getattr(ens.max_rates, "high", 400.0)
            self._rate_edges = np.linspace(0.0, 1.25 * float(top), 26)
            fig, source = plots.rate_histogram_figure(self._rate_edges, label)
            self.figures["rates"] = fig
            self._rate_source = source
            synapse = nengo.Lowpass(RATE_SYNAPSE) if ens.neuron_type.spiking else None
            self._rate_probe = nengo.Probe(
                ens.neurons if n_rates is None or n_rates >= n else ens.neurons[:n_rates],
                "output",
                synapse=synapse,
                sample_every=RATE_SAMPLE_EVERY,
            )
        fig, source = plots.tuning_figure(label)
        self.figures["tuning"] = fig
        self._tuning_source = source

    def _add_weights_plot(self):
        learned = [c for c in self.model.all_connections if c.learning_rule_type is not None]
        if not learned:
            return
        conn = learned[0]
        self._weights_probe = nengo.Probe(conn, "weights", sample_every=WEIGHTS_SAMPLE_EVERY)
        self._weights_connection = conn

    def _add_weights_figure(self):
        conn = self._weights_connection
        shape = np.atleast_2d(self.sim.data[conn].weights).shape
        fig, source = plots.weights_figure(shape, f"{conn.pre_obj}→{conn.post_obj}")
        self.figures["weights"] = fig
        self._weights_source = source

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
        self.sim = sim
        self._rebuild_pending = False

    def _advance(self, n_steps):
        """Run ``n_steps`` and return the new, plot-ready rows."""
        generation = self._generation
        n0 = self.sim.n_steps
        start = time.perf_counter()
        self.sim.run_steps(n_steps)
        elapsed = time.perf_counter() - start
        rate = n_steps / max(elapsed, 1e-9)
        if self._steps_per_second is None:
            self._steps_per_second = rate
        else:
            self._steps_per_second = 0.7 * self._steps_per_second + 0.3 * rate
        chunk = self._collect(n0, self.sim.n_steps)
        chunk["end"] = self.time
        self.sim.clear_probes()
        return generation, chunk

    def _sample_times(self, n0, n1, sample_every):
        steps = np.arange(n0 + 1, n1 + 1)
        if sample_every is not None:
            period = sample_every / self.dt
            steps = steps[steps % period < 1]
        return self.time_offset + steps * self.dt

    def _collect(self, n0, n1):
        data = self.sim.data
        chunk = {}
        for key, stream in self._streams.items():
            times = self._sample_times(n0, n1, stream.sample_every)
            blocks = [np.asarray(data[p]).reshape(-1, p.size_in) for p in stream.probes]
            n = min([len(times)] + [len(b) for b in blocks])
            times = times[len(times) - n :]
            blocks = [b[len(b) - n :] for b in blocks]
            if key == "raster":
                chunk[key] = plots.raster_data(blocks[0], times)
            else:
                values = np.hstack(blocks) if blocks else np.zeros((n, 0))
                columns = {"t": times}
                columns.update({f"y{i}": values[:, i] for i in range(values.shape[1])})
                chunk[key] = columns
        if self._rate_probe is not None:
            rows = np.asarray(data[self._rate_probe])
            if len(rows):
                chunk["rates"] = rows[-1].copy()
        if self._weights_probe is not None:
            rows = np.asarray(data[self._weights_probe])
            if len(rows):
                chunk["weights"] = np.atleast_2d(rows[-1]).copy()
        return chunk

    def _reset(self):
        self.sim.reset(seed=self.seed)
        self.time_offset = 0.0
        for slider in self.inputs:
            slider.reset()

    # ------------------------------------------------------------------
    # Plot side (runs on the caller's / event loop's thread)
    # ------------------------------------------------------------------

    def _publish(self, generation, chunk, force=False):
        if generation != self._generation:
            return  # produced before a reset; its rows belong to the old run
        end = chunk.pop("end")
        hold = not force and self._browser_busy()
        catch_up = self._holding and not hold
        self._holding = hold
        with self.publish_context():
            for key, stream in self._streams.items():
                rows = chunk.get(key)
                if rows is not None and len(rows["t"]):
                    stream.ring.extend(rows)
                if hold:
                    continue
                if catch_up:  # send everything drawn since the browser fell behind
                    rows = stream.ring.data()
                    rows = {c: v[rows["t"] > self._streamed_until] for c, v in rows.items()}
                if rows is None or len(rows["t"]) == 0:
                    continue
                # small lists go to the browser as JSON, without binary buffers
                rows = {c: np.asarray(v).tolist() for c, v in rows.items()}
                stream.source.stream(rows, rollover=stream.ring.capacity)
                if key == "values":  # the browser reports back the last time it drew
                    self._sent.append(rows["t"][-1])
            if "rates" in chunk:
                self.latest_rates = chunk["rates"]
            if "weights" in chunk:
                self.latest_weights = chunk["weights"]
            if hold:
                self.frames_held += 1
                return
            if self.latest_rates is not None and ("rates" in chunk or catch_up):
                self._rate_source.data = plots.rate_histogram_data(
                    self.latest_rates, self._rate_edges
                )
            if self.latest_weights is not None and ("weights" in chunk or catch_up):
                self._weights_source.data = plots.weights_data(self.latest_weights)
        self._streamed_until = end

    def browser_drew(self, t):
        """Note that a browser has drawn the plots up to simulated time ``t``.

        The dashboard's plots report this (the last time in the value plot)
        after each frame they draw. Once such reports arrive, frames are held
        back (kept in the ring buffers, sent later in one piece) while
        `MAX_FRAMES_IN_FLIGHT` sent frames are not drawn yet, so a slow browser
        never builds up a backlog.
        """
        self._drawn_until = float(t)

    def _browser_busy(self):
        if self._drawn_until is None:
            return False  # no view reports back (not displayed, or no browser)
        in_flight = sum(1 for t in self._sent if t > self._drawn_until)
        return in_flight >= MAX_FRAMES_IN_FLIGHT

    def _update_tuning(self):
        if self._tuning_source is not None:
            self._tuning_source.data = plots.tuning_data(self.ensemble, self.sim)

    def _clear_plots(self):
        self._holding = False
        self._streamed_until = -np.inf
        self._drawn_until = None
        self._sent.clear()
        for stream in self._streams.values():
            stream.ring.clear()
            stream.source.data = {c: [] for c in stream.ring.columns}

    # ------------------------------------------------------------------
    # Public API
    # ------------------------------------------------------------------

    @property
    def time(self):
        """Simulated time (seconds) since the last reset, across rebuilds."""
        return self.time_offset + self.sim.time

    @property
    def sources(self):
        """The bokeh ``ColumnDataSource`` of each plot, keyed like `figures`."""
        sources = {key: stream.source for key, stream in self._streams.items()}
        for key, attr in (("rates", "_rate_source"), ("tuning", "_tuning_source"), ("weights", "_weights_source")):
            if key in self.figures:
                sources[key] = getattr(self, attr)
        return sources

    def history(self, key):
        """The plotted history of a time-series plot, oldest first.

        Parameters
        ----------
        key : str
            ``"values"``, ``"raster"`` or ``"voltage"``.

        Returns
        -------
        dict of str to ndarray
            The same columns as the plot's source.
        """
        return self._streams[key].ring.data()

    def on_frame(self, callback):
        """Call ``callback(runner)`` after every published frame."""
        self._frame_callbacks.append(callback)

    def set_input(self, index, dim, value):
        """Set dimension ``dim`` of slider input ``index``; takes effect at once."""
        self.inputs[index].set(dim, value)

    def set_synapse(self, index, tau):
        """Change a synapse time constant; rebuilds (now if paused, else between frames)."""
        self.synapses[index].set(tau)
        if self.running:
            self._rebuild_pending = True
        else:
            self.rebuild()

    def rebuild(self):
        """Rebuild the simulator from the model now, keeping simulated time running on."""
        self._call(self._build)
        self._rebuilt()

    def _rebuilt(self):
        self.rebuilds += 1
        self._update_tuning()

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

    def step(self, n_steps=None):
        """Run one chunk now (blocking) and publish it.

        Parameters
        ----------
        n_steps : int, optional
            Defaults to one frame at real-time speed.
        """
        if self.running:
            raise NbsnnError("LiveRunner.step: pause the live run first")
        if n_steps is None:
            n_steps = max(1, round(1.0 / (self.fps * self.dt)))
        if int(n_steps) < 1:
            raise ValueError(f"LiveRunner.step: n_steps must be at least 1, got {n_steps}")
        if self._rebuild_pending:
            self.rebuild()
        self._publish(*self._call(self._advance, int(n_steps)))
        self._notify()

    def reset(self):
        """Go back to t = 0 with the initial inputs; clears the plots."""
        self._generation += 1
        self._call(self._reset)
        self._clear_plots()
        self._notify()

    def play(self):
        """Start the live run as a task on the running asyncio event loop.

        Raises
        ------
        NoEventLoopError
            If no event loop is running (use `run` from a coroutine, or
            `step`, outside Jupyter).
        """
        if self.running:
            return self._task
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = asyncio.get_event_loop_policy().get_event_loop()
            if not loop.is_running():
                raise NoEventLoopError(
                    "LiveRunner.play needs a running asyncio event loop (a Jupyter "
                    "kernel has one); in a script, await LiveRunner.run(...) "
                    "inside asyncio.run, or call LiveRunner.step()"
                ) from None
        self.running = True
        self.error = None
        self._task = loop.create_task(self._loop(None))
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
        """
        self.running = True
        await self._loop(duration)

    async def _loop(self, duration):
        loop = asyncio.get_running_loop()
        stop_at = None if duration is None else self.time + duration - 0.5 * self.dt
        last = time.perf_counter()
        try:
            while self.running and (stop_at is None or self.time < stop_at):
                start = time.perf_counter()
                if self._rebuild_pending:
                    await loop.run_in_executor(self._executor, self._build)
                    self._rebuilt()
                n = self.steps_for_frame()
                if stop_at is not None:
                    n = min(n, max(1, round((stop_at - self.time) / self.dt)))
                if n > 0:
                    self._publish(*await loop.run_in_executor(self._executor, self._advance, n))
                sim_seconds = n * self.dt
                elapsed = time.perf_counter() - start
                await asyncio.sleep(max(0.0, 1.0 / self.fps - elapsed))
                now = time.perf_counter()
                wall = now - last
                last = now
                self.frames += 1
                alpha = 0.2 if self.frames > 1 else 1.0
                self.real_time_factor += alpha * (sim_seconds / wall - self.real_time_factor)
                self.frame_rate += alpha * (1.0 / wall - self.frame_rate)
                self._notify()
        except Exception as err:  # noqa: BLE001 -- a task's error would go unseen
            self.error = err  # shown by the dashboard; the run stops
        finally:
            self.running = False
            if self._holding:  # the browser was behind: send what it has not got yet
                self._publish(self._generation, {"end": self.time}, force=True)
            self._notify()

    def _notify(self):
        for callback in self._frame_callbacks:
            callback(self)

    def close(self):
        """Stop, close the simulator and the worker thread (safe to call twice)."""
        self.running = False
        if self._closed:
            return
        self._closed = True
        try:
            self._call(self.sim.close)
        except RuntimeError:  # the worker is gone already (interpreter exit)
            self.sim.close()
        self._executor.shutdown(wait=False)
