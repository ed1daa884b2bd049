"""Runs a packed model: prefetch inputs, call the compiled loop, collect probes.

A run is split into chunks of about `nbsnn.config.CHUNK_SECONDS` of wall time.
Between chunks the runner stores probe data, updates progress, checks the state
for NaN/inf and notices Ctrl-C, so an interrupted run keeps everything up to the
last completed step. A model whose operators all have kernels runs each chunk in
one compiled call; otherwise each step alternates compiled segments and Python
step functions, in Nengo's step order.
"""

import signal
import threading
import time
from contextlib import contextmanager

import numpy as np
from nengo.builder.operator import SimPyFunc
from nengo.exceptions import SimulationError

from .. import config
from ..exceptions import NonFiniteError
from ..kernels import linalg, opcodes, random, ufuncs
from ..kernels.interpreter import Machine
from ..kernels.interpreter import run as run_program
from . import fusion
from .builder import BuildContext, NumbaBuilder
from .compile_notice import compile_notice
from .node_steps import NodeSteps, shared_arrays
from .owners import describe
from .probes import SpikeEvents, records_spikes
from .program import Program

__all__ = ["Runner"]


@contextmanager
def deferred_interrupt():
    """Turn Ctrl-C into a flag checked between chunks (main thread only)."""
    state = {"interrupted": False}
    if threading.current_thread() is not threading.main_thread():
        yield state
        return

    def handler(signum, frame):
        state["interrupted"] = True

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield state
    finally:
        signal.signal(signal.SIGINT, previous)


class Runner:
    """The compiled form of a model and the loop that advances it.

    Parameters
    ----------
    model : nengo.builder.Model
        The built model.
    step_order : list of Operator
        Operators in Nengo's step order.
    memory : SignalMemory
        The packed signals.
    node_policy : callable, optional
        ``node_policy(op)``: why a Node function must stay Python (an opt-out), or None.
    """

    def __init__(self, model, step_order, memory, node_policy=None):
        self.model = model
        self.node_policy = node_policy or (lambda op: None)
        self.memory = memory
        self.dt = model.dt
        self.watched = self._watched(step_order)
        self.watched_positions = np.flatnonzero(self.watched)
        self.entries, self.program = self._build(step_order, prefetch_nodes=True)
        if any(e.kind == "python" for e in self.entries) and any(
            e.kind == "prefetch" and isinstance(e.op, SimPyFunc) for e in self.entries
        ):
            # nodes must run in step order beside other Python steps
            self.entries, self.program = self._build(step_order, prefetch_nodes=False)
        shared = shared_arrays(self.entries, self.program)
        if shared:  # Python steps could change what those compiled functions read
            policy = self.node_policy
            self.node_policy = lambda op: shared.get(op) or policy(op)
            self.entries, self.program = self._build(step_order, prefetch_nodes=False)
        self.prefetch = [e for e in self.entries if e.kind == "prefetch"]
        self.prefetch_width = sum(e.width for e in self.prefetch)
        self.step_pos = memory.positions(model.step).item()
        self.time_pos = memory.positions(model.time).item()
        self.probes = list(model.probes)
        self._emit_probes()
        self.arrays = self.program.finalize()
        self.segments = self._segments()
        self._python_writes()
        self.compiled_only = all(kind == "compiled" for kind, *_ in self.segments)
        sizes = [s.size for s in memory.float_bases] + [1]
        self.scratch = np.zeros(3 * max(sizes))  # neuron kernels use three rows
        self.where = np.zeros(max(sizes), dtype=np.int64)
        self.rng_state = np.zeros(len(self.program.rngs) * (random.N + 1) + 1, np.int64)
        a = self.arrays
        self.machine = Machine(
            code=a["code"], starts=a["starts"], ia=a["ia"], fc=a["fc"], checks=a["checks"],
            buf=memory.buf, ibuf=memory.ibuf, scratch=self.scratch, where=self.where,
            rng=self.rng_state, table=ufuncs.TABLE, dt=self.dt)
        self.nodes = NodeSteps(self)
        # compile (or load from the disk cache) at build time, not on the first step
        with compile_notice():
            self._call(0, 0, 0, 0, np.zeros((1, 0)), np.zeros(0), np.zeros(1, np.int64), False)
        self.chunk = 16

    def _watched(self, step_order):
        """Mask of buffer positions where NaN/inf is an error: signals that some
        operator reads or a probe records (a NaN nobody reads is harmless)."""
        mask = np.zeros(self.memory.buf.size, dtype=bool)
        sigs = [sig for op in step_order for sig in op.reads]
        sigs += [self.model.sig[probe]["in"] for probe in self.model.probes]
        for sig in sigs:
            if self.memory.is_float(sig) and sig.size:
                mask[self.memory.positions(sig).ravel()] = True
        mask[self.memory.n_mutable :] = False
        return mask

    def _build(self, step_order, prefetch_nodes):
        program = Program(watched=self.watched)
        ctx = BuildContext(self.memory, program, self.dt, prefetch_nodes=prefetch_nodes,
                           node_policy=self.node_policy)
        if fusion.ENABLED:
            step_order = fusion.fuse(step_order, self.memory, self.dt)
        return [NumbaBuilder.build(op, ctx) for op in step_order], program

    def _emit_probes(self):
        prog = self.program
        self.probe_shapes, self.probe_events = [], []
        for slot, probe in enumerate(self.probes):
            sig = self.model.sig[probe]["in"]
            period = 1 if probe.sample_every is None else probe.sample_every / self.dt
            src, mode = prog.operand(self.memory.positions(sig))
            events = mode == linalg.RUN and records_spikes(probe)
            self.probe_shapes.append((sig.shape, period))
            self.probe_events.append(events)
            args = [src, mode, sig.size, slot, prog.const(period), self.step_pos, events]
            prog.emit(opcodes.PROBE, args, op=probe)

    def _python_writes(self):
        """Buffer ranges written by each Python step, for locating NaN/inf."""
        for entry in self.entries:
            entry.writes = []
            if entry.kind != "python":
                continue
            op = entry.op
            for sig in op.sets + op.incs + op.updates:
                if self.memory.is_float(sig) and sig.size:
                    pos = self.memory.positions(sig).ravel()
                    pos = pos[self.watched[pos]]
                    if pos.size:
                        entry.writes.append((pos.min(), pos.max() + 1))

    def _segments(self):
        """Runs of consecutive compiled records, and the Python steps between them."""
        segments, record, lo = [], 0, 0
        for entry in self.entries:
            if entry.kind == "python":
                if record > lo:
                    segments.append(("compiled", lo, record))
                segments.append(("python", entry))
                lo = record
            elif entry.kind != "noop":
                record += 1
        segments.append(("compiled", lo, len(self.program)))
        return segments

    # -- reset -------------------------------------------------------------------

    def make_steps(self, signals, rng):
        """Create step functions and sources in step order (Nengo's random draws)."""
        for entry in self.entries:
            made = entry.make(signals, self.dt, rng) if entry.make is not None else None
            entry.step_fn = made

    # -- running -----------------------------------------------------------------

    def run(self, n_steps, store, progress=None):
        """Advance ``n_steps``; ``store(probe, samples)`` receives probe data.

        Ctrl-C raises `KeyboardInterrupt` at the end of the chunk it arrives in
        (also the last one, so a loop of short runs can be interrupted).
        """
        done = 0
        with deferred_interrupt() as flags:
            while done < n_steps and not flags["interrupted"]:
                n = min(self.chunk, n_steps - done)
                start = time.perf_counter()
                self._run_chunk(n, store)
                elapsed = time.perf_counter() - start
                done += n
                if progress is not None:
                    progress(n)
                rate = n / max(elapsed, 1e-6)
                self.chunk = int(np.clip(rate * config.CHUNK_SECONDS, 1, 100_000))
        if flags["interrupted"]:
            raise KeyboardInterrupt(
                f"Simulation interrupted after {done} of {n_steps} steps; the simulator "
                "is usable and its data is complete up to the last step run."
            )

    def _prefetch_table(self, n):
        """Values of the prefetch ops for the next ``n`` steps.

        Sources are called in Nengo's order (step by step, op by op). Returns the
        table, the number of complete rows, and the error that stopped it, if any.
        """
        values = [[] for _ in self.prefetch]
        step0 = int(self.memory.ibuf[self.step_pos])
        n_ok, error = n, None
        for row, t in enumerate(((step0 + 1 + np.arange(n)) * self.dt).tolist()):
            try:
                for entry, out in zip(self.prefetch, values):
                    value = entry.step_fn(t)  # may be a view of the source's state
                    out.append(value.copy() if isinstance(value, np.ndarray) else value)
            except Exception as e:  # noqa: BLE001 - raised after the good rows run
                n_ok, error = row, self._named(entry.op, e, t)
                break
        pf = np.zeros((n_ok, self.prefetch_width))
        for entry, out in zip(self.prefetch, values):
            if not n_ok:
                break
            rows, bad = entry.collect(out[:n_ok])
            if len(rows) < n_ok:
                t = (step0 + 1 + len(rows)) * self.dt
                n_ok, error = len(rows), self._named(entry.op, bad, t)
            pf[: len(rows), entry.column : entry.column + entry.width] = rows[: len(pf)]
        return pf, n_ok, error

    def _named(self, op, error, t):
        """``error`` as raised by ``op`` at time ``t``; Nengo's "returned non-finite
        value" becomes a `NonFiniteError` naming the Node."""
        if not (isinstance(error, SimulationError) and "non-finite" in str(error)):
            return error
        named = NonFiniteError(
            f"{describe(op, self.model, self.memory)} returned a non-finite value (NaN, "
            f"infinity or None) at t={t:g}. The simulator state and probe data are kept up "
            "to the previous step. Check the function's output for this time.")
        named.__cause__ = error
        return named

    def _probe_layout(self, n):
        """Room for the samples of the next ``n`` steps: ``pbuf`` and each slot's
        ``(write position, sample count)`` in ``pstate``. Spike events reserve room
        for every neuron firing; memory that is not written is never touched."""
        step0 = int(self.memory.ibuf[self.step_pos])
        steps = np.arange(step0 + 1, step0 + n + 1)
        pstate = np.zeros(2 * len(self.probes) + 1, dtype=np.int64)
        offset = 0
        for slot, (shape, period) in enumerate(self.probe_shapes):
            pstate[2 * slot] = offset
            size = int(np.prod(shape))
            per_sample = 1 + 2 * size if self.probe_events[slot] else size
            offset += int(np.count_nonzero(steps % period < 1)) * per_sample
        return np.empty(offset), pstate

    def _call(self, row, n, lo, hi, pf, pbuf, pstate, check):
        def call(row, n, lo):
            return run_program(self.machine, row, n, lo, hi, pf, pbuf, pstate, check)

        return self.nodes.call(call, row, n, lo, hi)  # with Python steps nodes hand back

    def _store(self, pbuf, pstate, start, store):
        for slot, probe in enumerate(self.probes):
            shape, _ = self.probe_shapes[slot]
            begin, end = int(start[2 * slot]), int(pstate[2 * slot])
            count = int(pstate[2 * slot + 1])
            if self.probe_events[slot]:
                store(probe, SpikeEvents(pbuf[begin:end].copy(), count, shape))
            else:
                store(probe, pbuf[begin:end].reshape((count,) + shape))

    def _run_chunk(self, n, store):
        self.nodes.refresh()
        pf, n_ok, error = self._prefetch_table(n)
        pf = pf[:n_ok] if len(pf) else np.zeros((max(n_ok, 1), 0))
        pbuf, pstate = self._probe_layout(n_ok)
        start = pstate.copy()
        streams = [(rng, i * (random.N + 1)) for i, rng in enumerate(self.program.rngs)]
        for rng, offset in streams:
            random.load_state(rng, self.rng_state, offset)
        try:
            self._run_checked(n_ok, pf, pbuf, pstate)
        finally:
            self._store(pbuf, pstate, start, store)
            for rng, offset in streams:
                random.store_state(rng, self.rng_state, offset)
        if error is not None:
            raise error

    def _run_rows(self, n, pf, pbuf, pstate, check=False):
        """Run ``n`` steps. With ``check``, stop at the first op that writes NaN/inf
        and return ``(row, source)``: a record index or a Python `Entry`."""
        if self.compiled_only:
            row, k = self._call(0, n, 0, len(self.program), pf, pbuf, pstate, check)
            return (row, k) if row >= 0 else None
        buf, ibuf = self.memory.buf, self.memory.ibuf
        for row in range(n):
            step, now = ibuf[self.step_pos], buf[self.time_pos]
            for segment in self.segments:
                if segment[0] == "python":
                    entry = segment[1]
                    try:
                        entry.step_fn()
                    except Exception as e:
                        # the step did not complete: n_steps and time stay at the last
                        # step whose probe data was recorded
                        ibuf[self.step_pos], buf[self.time_pos] = step, now
                        error = self._named(entry.op, e, (step + 1) * self.dt)
                        if error is e:
                            raise
                        raise error from e
                    if check and not all(np.isfinite(buf[a:b]).all() for a, b in entry.writes):
                        return row, entry
                    continue
                _, lo, hi = segment
                bad_row, k = self._call(row, 1, lo, hi, pf, pbuf, pstate, check)
                if bad_row >= 0:
                    return row, k
        return None

    def _run_checked(self, n, pf, pbuf, pstate):
        """Run ``n`` steps; on NaN/inf, rewind to the last good step and raise.

        Locating the source replays the chunk, so in that case the Python step
        functions of the chunk's earlier steps run again.
        """
        mem = self.memory
        snapshot, isnapshot = mem.buf[: mem.n_mutable].copy(), mem.ibuf.copy()
        rng_snapshot, pstate_snapshot = self.rng_state.copy(), pstate.copy()
        self._run_rows(n, pf, pbuf, pstate)
        if np.isfinite(mem.buf[self.watched_positions]).all():
            return

        def rewind():
            mem.buf[: mem.n_mutable] = snapshot
            mem.ibuf[:] = isnapshot
            self.rng_state[:] = rng_snapshot
            pstate[:] = pstate_snapshot

        rewind()
        row, source = self._run_rows(n, pf, pbuf, pstate, check=True) or (n, None)
        rewind()
        self._run_rows(row, pf, pbuf, pstate)
        if isinstance(source, (int, np.integer)):
            source = self.program.ops[source]
        op = getattr(source, "op", source)
        t = (mem.ibuf[self.step_pos] + 1) * self.dt
        raise NonFiniteError(
            f"NaN or infinity produced by {describe(op, self.model, mem)} at t={t:g}. The "
            "simulator state and probe data are kept up to the previous step. Check the "
            "inputs and parameters feeding this object (e.g. a Node returning very "
            "large values or a learning rate that makes weights diverge)."
        )
