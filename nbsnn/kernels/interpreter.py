"""The compiled step loop: runs a model's step program for many steps in one call.

The program is data, not code: every model runs through this one function, which
numba compiles once and caches on disk. ``code``/``starts`` hold one record per
operator (see `nbsnn.kernels.opcodes`); ``ia`` holds index arrays, ``fc`` constants.
Everything that stays the same between calls travels as one `Machine`.
"""

from typing import NamedTuple

import numpy as np
from numba import njit

from ..config import JIT_OPTIONS

from . import (
    compact, learning, linalg, neurons, nir_neurons, nodes, stdp, synapses, threshold,
)
from .opcodes import (
    ADAPTIVE_LIF, ADAPTIVE_LIF_RATE, BCM, BSR_INC, COPY, COPY_INC, CSR_INC, DOT_INC,
    INTEGRATE_AND_FIRE, IZHIKEVICH, LIF, LIF_RATE, LTI, MULTIPLY_INC, NIR_NEURON, OJA, PES,
    PREFETCH, PREFETCH_INC, POISSON_SPIKING, PROBE, QCFS_RATE, RECTIFIED_LINEAR, REGULAR_SPIKING,
    RESET, RLS, SIGMOID,
    SPIKING_RECTIFIED_LINEAR, STOCHASTIC_SPIKING, TANH, TIME, TRIANGLE, VOJA,
)
from .opcodes import ADAPTIVE_THRESHOLD_LIF, NODE, REWARD_STDP, STDP
from .opcodes import FIRST_ORDER_FILTERS, LIF_ENCODED


class Machine(NamedTuple):
    """A model's step program and the memory it runs on: what `run` needs that stays
    the same between calls. Built once per model (`nbsnn.backend.runner.Runner`);
    numba passes it as a tuple, so reading a field costs nothing."""

    code: np.ndarray  # int64: the records, one per op (`nbsnn.kernels.records`)
    starts: np.ndarray  # int64: where each op's record starts in ``code``
    ia: np.ndarray  # int64: index arrays the records point into
    fc: np.ndarray  # float64: constants the records point into
    checks: np.ndarray  # int64: per op, the ``ia`` range of the signals it writes
    buf: np.ndarray  # float64: every signal
    ibuf: np.ndarray  # int64: integer signals (step counters)
    scratch: np.ndarray  # float64 work array, three rows as long as the largest signal
    where: np.ndarray  # int64 work array as long as the largest signal
    rng: np.ndarray  # int64: random streams of stochastic neurons (`nbsnn.kernels.random`)
    table: np.ndarray  # int64: NumPy's transcendental loops (`nbsnn.kernels.ufuncs.TABLE`)
    dt: float


@njit(**JIT_OPTIONS)
def _prefetch(buf, code, p, ia, pf, row, inc):
    """Write one step of a pre-computed, state-independent input.

    code = [op, out, n, column]; values come from row ``row`` of ``pf``.
    """
    out, n, col = code[p + 1], code[p + 2], code[p + 3]
    for i in range(n):
        v = pf[row, col + i]
        if inc:
            buf[ia[out + i]] += v
        else:
            buf[ia[out + i]] = v


@njit(**JIT_OPTIONS)
def _probe(buf, ibuf, code, p, ia, fc, pbuf, pstate, where):
    """Record a probed signal when the step is a sampling step.

    code = [op, src, src_mode, n, slot, period, step, events] (``src`` as in
    `nbsnn.kernels.linalg.at`); ``pstate[2 * slot]`` is the slot's write position in
    ``pbuf`` and ``pstate[2 * slot + 1]`` its sample count. With ``events`` (spikes,
    contiguous ``src``) a sample is ``[count, indices..., values...]`` of its nonzero
    entries instead of all ``n`` values.
    """
    src, mode, n, slot = code[p + 1], code[p + 2], code[p + 3], code[p + 4]
    if ibuf[code[p + 6]] % fc[code[p + 5]] >= 1:
        return
    base = pstate[2 * slot]
    if code[p + 7]:
        values = buf[src : src + n]
        count = compact.nonzero_indices(values, where)
        pbuf[base] = count
        for c in range(count):
            pbuf[base + 1 + c] = where[c]
            pbuf[base + 1 + count + c] = values[where[c]]
        base += 1 + 2 * count
    elif mode == linalg.RUN:
        out, values = pbuf[base : base + n], buf[src : src + n]
        for i in range(n):
            out[i] = values[i]
        base += n
    else:
        for i in range(n):
            pbuf[base + i] = buf[linalg.at(ia, src, mode, i)]
        base += n
    pstate[2 * slot] = base
    pstate[2 * slot + 1] += 1


@njit(**JIT_OPTIONS)
def _finite(buf, ia, checks, k):
    """Whether the signals written by op ``k`` are all finite."""
    for c in range(checks[2 * k], checks[2 * k + 1], 2):
        lo, hi = ia[c], ia[c + 1]
        for i in range(lo, hi):
            if not np.isfinite(buf[i]):
                return False
    return True


@njit(**JIT_OPTIONS)
def run(machine, row0, n_steps, lo, hi, pf, pbuf, pstate, check):
    """Run ops ``lo:hi`` of ``machine`` (a `Machine`) for ``n_steps`` steps; returns
    ``(row, op)`` of the first op whose output is not finite when ``check`` is set,
    ``(row, -2 - op)`` where a compiled Node function asks to run that step in Python,
    else ``(-1, -1)``.

    ``row0`` is the first step's row in the prefetch table ``pf``; ``pbuf`` and
    ``pstate`` receive probe samples (see `_probe`).
    """
    code, starts, ia, fc, checks = (
        machine.code, machine.starts, machine.ia, machine.fc, machine.checks)
    buf, ibuf, scratch, where = machine.buf, machine.ibuf, machine.scratch, machine.where
    rng, table, dt = machine.rng, machine.table, machine.dt
    for row in range(row0, row0 + n_steps):
        for k in range(lo, hi):
            p = starts[k]
            op = code[p]
            if op == TIME:
                ibuf[code[p + 1]] += 1
                buf[code[p + 2]] = ibuf[code[p + 1]] * dt
            elif op == RESET:
                linalg.reset(buf, code, p, ia, fc)
            elif op == COPY:
                linalg.copy(buf, code, p, ia, False)
            elif op == COPY_INC:
                linalg.copy(buf, code, p, ia, True)
            elif op == MULTIPLY_INC:
                linalg.multiply_inc(buf, code, p, ia)
            elif op == DOT_INC:
                linalg.dot_inc(buf, code, p, scratch, where)
            elif op == CSR_INC:
                linalg.csr_inc(buf, code, p, ia, fc, scratch, where)
            elif op == BSR_INC:
                linalg.bsr_inc(buf, code, p, ia, fc, scratch, where)
            elif op == PREFETCH:
                _prefetch(buf, code, p, ia, pf, row, False)
            elif op == PREFETCH_INC:
                _prefetch(buf, code, p, ia, pf, row, True)
            elif op == PROBE:
                _probe(buf, ibuf, code, p, ia, fc, pbuf, pstate, where)
            elif op == LTI:
                synapses.lti(buf, code, p, ia, fc, scratch)
            elif op == FIRST_ORDER_FILTERS:
                synapses.first_order_filters(buf, code, p, ia, fc)
            elif op == TRIANGLE:
                synapses.triangle(buf, code, p, ia, fc)
            elif op == LIF:
                neurons.lif(buf, code, p, fc, dt, table, scratch, where)
            elif op == LIF_ENCODED:
                neurons.lif_encoded(buf, code, p, ia, fc, dt, table, scratch, where)
            elif op == LIF_RATE:
                neurons.lif_rate(buf, code, p, fc, table, scratch, where)
            elif op == RECTIFIED_LINEAR:
                neurons.rectified_linear(buf, code, p, fc)
            elif op == SPIKING_RECTIFIED_LINEAR:
                neurons.spiking_rectified_linear(buf, code, p, fc, dt)
            elif op == INTEGRATE_AND_FIRE:
                neurons.integrate_and_fire(buf, code, p, fc, dt)
            elif op == QCFS_RATE:
                neurons.qcfs_rate(buf, code, p, fc, dt)
            elif op == SIGMOID:
                neurons.sigmoid(buf, code, p, fc, table, scratch)
            elif op == TANH:
                neurons.tanh(buf, code, p, fc, table)
            elif op == ADAPTIVE_LIF:
                neurons.adaptive_lif(buf, code, p, fc, dt, table, scratch, where)
            elif op == ADAPTIVE_LIF_RATE:
                neurons.adaptive_lif_rate(buf, code, p, fc, dt, table, scratch, where)
            elif op == IZHIKEVICH:
                neurons.izhikevich(buf, code, p, fc, dt)
            elif op == REGULAR_SPIKING:
                neurons.regular_spiking(buf, code, p, fc, dt)
            elif op == STOCHASTIC_SPIKING:
                neurons.stochastic_spiking(buf, code, p, fc, dt, rng)
            elif op == POISSON_SPIKING:
                neurons.poisson_spiking(buf, code, p, fc, dt, rng)
            # -- NIR neuron types (nbsnn.nir.neurons)
            elif op == NIR_NEURON:
                nir_neurons.nir_neuron(buf, code, p, fc, dt)
            elif op == PES:
                learning.pes(buf, code, p, ia, fc)
            elif op == BCM:
                learning.bcm(buf, code, p, ia, fc)
            elif op == OJA:
                learning.oja(buf, code, p, ia, fc)
            elif op == VOJA:
                learning.voja(buf, code, p, ia, fc)
            elif op == RLS:
                learning.rls(buf, code, p, ia, scratch)
            # nbsnn.learning (spike-timing rules, competitive neurons)
            elif op == STDP:
                stdp.stdp(buf, code, p, fc, dt, scratch, where)
            elif op == REWARD_STDP:
                stdp.reward_stdp(buf, code, p, fc, dt, scratch)
            elif op == ADAPTIVE_THRESHOLD_LIF:
                threshold.adaptive_threshold_lif(buf, code, p, fc, dt, table, scratch, where)
            elif op == NODE:
                nodes.node(buf, code, p, ia, scratch, where)  # a compiled Node function
                if where[0] != 0:  # hands this step back to Python
                    return row, -2 - k
            if check and not _finite(buf, ia, checks, k):
                return row, k
    return -1, -1
