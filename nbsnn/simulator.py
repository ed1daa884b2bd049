"""`nbsnn.Simulator`: Nengo's reference simulator with a numba-compiled step loop.

The network is built by Nengo's own builder and optimizer; only stepping differs.
The built signals are packed into flat buffers and the operators translated into a
step program that `nbsnn.kernels.interpreter.run` executes for many steps per call.
"""

import numbers
import warnings

import nengo
import numpy as np
from nengo.exceptions import SimulatorClosed
from nengo.utils.progress import Progress, ProgressTracker

from .arguments import finite
from .backend import build_cache
from .backend.memory import SignalMemory, packable
from .backend.node_config import node_policy
from .backend.owners import describe
from .backend.probes import ChunkedSimulationData, ProbeBuffer
from .backend.runner import Runner
from .exceptions import InvalidArgumentError, PerformanceWarning

__all__ = ["Simulator"]


class Simulator(nengo.Simulator):
    """A drop-in replacement for `nengo.Simulator` that runs in compiled code.

    Same signature, attributes and semantics as `nengo.Simulator`: the same
    network and seed give the same numbers (to float rounding).

    Parameters
    ----------
    network : Network or None
        The network to build and simulate (or None when ``model`` is given).
    dt : float, optional
        The simulation time step, in seconds.
    seed : int, optional
        Seed for all stochastic operators; ``network.seed + 1`` if not given.
    model : Model, optional
        A `nengo.builder.Model` holding build artifacts.
    progress_bar : bool or ProgressBar, optional
        Progress bar for building and running.
    optimize : bool, optional
        Whether to run Nengo's operator-merging optimizer (recommended: merged
        operators make fewer, larger kernel calls).
    compile_nodes : bool, optional
        Whether Node functions that numba can compile with Nengo's numbers run in
        compiled code (default). False keeps every Node function in Python; for one
        Node, use ``nbsnn.add_params(net)`` and ``net.config[node].compile = False``.

    Notes
    -----
    Decoders of seeded networks are remembered in this process, so an unchanged
    rebuild skips the solves, and are solved side by side where the cores allow
    (same decoders as Nengo's build; see `nbsnn.backend.build_cache` and
    docs/core.md for what is cached, the faster ``BLAS_THREADS = 1`` and opt-outs).

    Operators without a compiled kernel (e.g. Node functions numba cannot compile,
    or a custom neuron type) run through Nengo's own Python step function between
    compiled segments; `nbsnn.Simulator.python_ops` lists them, `python_reasons`
    says why, and a `PerformanceWarning` names them at build time.
    """

    def __init__(self, network, dt=0.001, seed=None, model=None, progress_bar=True,
                 optimize=True, compile_nodes=True):
        self.closed = True  # as Nengo: a constructor that raises leaves a closed object
        if model is None:  # a hand-made Model may use dt=0 (Nengo's own tests do)
            finite(dt, "dt", positive=True)
            model = build_cache.default_model(network, dt)
        self._network, self.compile_nodes = network, bool(compile_nodes)
        with build_cache.prepared(network, model):
            super().__init__(network, dt=dt, seed=seed, model=model,
                             progress_bar=progress_bar, optimize=optimize)

    def run(self, time_in_seconds, progress_bar=None):
        """Simulate for ``time_in_seconds`` (rounded to whole steps)."""
        super().run(finite(time_in_seconds, "time_in_seconds"), progress_bar=progress_bar)

    def reset(self, seed=None):
        """Reset the simulator state (``seed`` changes the random sequences)."""
        if self.closed:
            raise SimulatorClosed("Cannot reset closed Simulator.")
        if seed is not None:
            self.seed = seed
        if not hasattr(self, "_runner"):
            self._pack()
        if self._runner is None:
            super().reset(seed)
            return
        self._memory.reset()
        self.rng = np.random.RandomState(self.seed)
        self._runner.make_steps(self.signals, self.rng)
        self.clear_probes()
        self._probe_step_time()

    def _pack(self):
        if not packable(self.signals):
            warnings.warn(
                f"{self.model.label}: nbsnn compiles float64 models only; this model "
                "has other signal types (e.g. nengo.rc precision bits < 64), so it runs "
                "through Nengo's Python step functions.",
                PerformanceWarning,
            )
            self._runner = None
            return
        self._memory = SignalMemory(self.signals)
        self.signals = self._memory.signals
        policy = node_policy(self._network, self.model, self.compile_nodes)
        self._runner = Runner(self.model, self._step_order, self._memory, node_policy=policy)
        self.data = ChunkedSimulationData(self._sim_data)
        self._warn_python_ops()

    def _warn_python_ops(self):
        """A `PerformanceWarning` naming the operators that run as Python every step."""
        reasons = self.python_reasons
        if not reasons:
            return
        shown = [f"{describe(op, self.model, self._memory)}: {why}"
                 for op, why in list(reasons.items())[:5]]
        more = f"; and {len(reasons) - 5} more" if len(reasons) > 5 else ""
        warnings.warn(
            f"{len(reasons)} operator(s) run as Python at every step, "
            f"between compiled segments (slower): {'; '.join(shown)}{more}. "
            "`sim.python_reasons` lists them all.",
            PerformanceWarning,
        )

    @property
    def python_ops(self):
        """Operators that run as Python at every step (not in compiled code)."""
        if self._runner is None:
            return list(self._step_order)
        return [e.op for e in self._runner.entries if e.kind == "python"]

    @property
    def python_reasons(self):
        """``{operator: reason}`` for `python_ops`: why each has no compiled kernel."""
        if self._runner is None:
            return {op: "the model has signals other than float64" for op in self._step_order}
        return {e.op: e.reason for e in self._runner.entries if e.kind == "python"}

    def clear_probes(self):
        """Clear all probe histories."""
        if self._runner is None:
            super().clear_probes()
            return
        for probe in self.model.probes:
            shape = self.model.sig[probe]["in"].shape
            self._sim_data[probe] = ProbeBuffer(shape)
        self.data.reset()

    def step(self):
        """Advance the simulator by one step (``dt`` seconds)."""
        if self.closed:
            raise SimulatorClosed("Simulator cannot run because it is closed.")
        if self._runner is None:
            super().step()
            return
        self._run(1, progress=None)

    def run_steps(self, steps, progress_bar=None):
        """Simulate for ``steps`` steps, entering compiled code once per chunk.

        Ctrl-C (KeyboardInterrupt) stops at the next chunk boundary and leaves
        the simulator usable, with probe data complete up to the last step run.
        """
        if self.closed:
            raise SimulatorClosed("Simulator cannot run because it is closed.")
        if not isinstance(steps, numbers.Integral) or steps < 0:
            raise InvalidArgumentError(f"steps must be an integer >= 0, got {steps!r}")
        if self._runner is None:
            super().run_steps(steps, progress_bar=progress_bar)
            return
        if progress_bar is None:
            progress_bar = self.progress_bar
        with ProgressTracker(
            progress_bar, Progress("Simulating", "Simulation", steps)
        ) as pt:
            self._run(steps, progress=pt.total_progress.step)

    def _run(self, steps, progress):
        try:
            self._runner.run(steps, self._store, progress=progress)
        finally:
            self._probe_step_time()

    def _store(self, probe, samples):
        self._sim_data[probe].add_chunk(samples)
