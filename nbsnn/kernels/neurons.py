"""Neuron kernels, one per `nengo.neurons` type, mirroring each ``NeuronType.step``.

The arithmetic follows Nengo's own expressions operation by operation so results
match `nengo.Simulator` to float rounding. code = [op, n, J, out, params, s1, s2, s3]
where ``J``, ``out`` and the state variables ``s*`` are start offsets of contiguous
runs of ``buf`` and ``params`` is an offset into ``fc``.
"""

import math

from numba import njit

from ..config import JIT_OPTIONS
from . import compact, random, ufuncs

#: Spiking LIF populations are stepped in blocks of this many neurons, so that each
#: block's state and work arrays stay in the L1 cache across the kernel's passes.
BLOCK = 1024


@njit(**JIT_OPTIONS)
def _views(buf, code, p, k):
    """The ``J``, ``out`` and first ``k`` state arrays of a neuron record."""
    n = code[p + 1]
    J, out = buf[code[p + 2] : code[p + 2] + n], buf[code[p + 3] : code[p + 3] + n]
    s1 = buf[code[p + 5] : code[p + 5] + n] if k > 0 else out
    s2 = buf[code[p + 6] : code[p + 6] + n] if k > 1 else out
    s3 = buf[code[p + 7] : code[p + 7] + n] if k > 2 else out
    return J, out, s1, s2, s3


@njit(**JIT_OPTIONS)
def rectified_linear(buf, code, p, fc):
    """``out = amplitude * max(0, J)``; params = [amplitude]."""
    J, out, _, _, _ = _views(buf, code, p, 0)
    amp = fc[code[p + 4]]
    for i in range(J.size):
        out[i] = amp * max(0.0, J[i])


@njit(**JIT_OPTIONS)
def spiking_rectified_linear(buf, code, p, fc, dt):
    """Integrate-and-fire ReLU; params = [amplitude]; state = [voltage]."""
    J, out, v, _, _ = _views(buf, code, p, 1)
    scale = fc[code[p + 4]] / dt
    for i in range(J.size):
        v[i] += max(J[i], 0.0) * dt
        n_spikes = math.floor(v[i])
        out[i] = scale * n_spikes
        v[i] -= n_spikes


@njit(**JIT_OPTIONS)
def integrate_and_fire(buf, code, p, fc, dt):
    """Reset-by-subtraction IF, threshold 1, one spike per step at most (`nbsnn.neurons`);
    params = [amplitude]; state = [voltage]."""
    J, out, v, _, _ = _views(buf, code, p, 1)
    scale = fc[code[p + 4]] / dt
    for i in range(J.size):
        v[i] += J[i] * dt
        if v[i] >= 1.0:
            out[i] = scale
            v[i] -= 1.0
        else:
            out[i] = 0.0


@njit(**JIT_OPTIONS)
def qcfs_rate(buf, code, p, fc, dt):
    """``(amplitude / dt) * clip(floor(J dt levels + shift), 0, levels) / levels``
    (`nbsnn.neurons.QCFSRate`); params = [amplitude, levels, shift]."""
    J, out, _, _, _ = _views(buf, code, p, 0)
    k = code[p + 4]
    scale, levels, shift = fc[k] / dt, fc[k + 1], fc[k + 2]
    for i in range(J.size):
        q = math.floor(J[i] * dt * levels + shift)
        q = min(max(q, 0.0), levels)
        out[i] = scale * (q / levels)


@njit(**JIT_OPTIONS)
def sigmoid(buf, code, p, fc, table, work):
    """``out = (1 / tau_ref) / (1 + exp(-J))``; params = [tau_ref]."""
    J, out, _, _, _ = _views(buf, code, p, 0)
    tau_ref, e = fc[code[p + 4]], work[: J.size]
    for i in range(J.size):
        e[i] = -J[i]
    ufuncs.apply(table, ufuncs.EXP, e, e, J.size)
    for i in range(J.size):
        out[i] = (1.0 / tau_ref) / (1 + e[i])


@njit(**JIT_OPTIONS)
def tanh(buf, code, p, fc, table):
    """``out = (1 / tau_ref) * tanh(J)``; params = [tau_ref]."""
    J, out, _, _, _ = _views(buf, code, p, 0)
    tau_ref = fc[code[p + 4]]
    ufuncs.apply(table, ufuncs.TANH, J, out, J.size)
    for i in range(J.size):
        out[i] = (1.0 / tau_ref) * out[i]


@njit(**JIT_OPTIONS)
def _lif_rate(J, out, tau_rc, tau_ref, amp, adapt, tau_n, table, work, where):
    """LIF rates ``amp / (tau_ref + tau_rc * log1p(1 / j))`` for ``j = J - 1 > 0``
    (on ``J - adapt`` when ``tau_n > 0``), else 0."""
    n, x = J.size, work[: J.size]
    for i in range(n):
        x[i] = ((J[i] - adapt[i]) if tau_n > 0 else J[i]) - 1
        out[i] = 0.0
    m = compact.indices_above(x, n, 0.0, where)
    for c in range(m):
        x[c] = 1.0 / x[where[c]]
    ufuncs.apply(table, ufuncs.LOG1P, x, x, m)
    for c in range(m):
        out[where[c]] = amp / (tau_ref + tau_rc * x[c])


@njit(**JIT_OPTIONS)
def lif_rate(buf, code, p, fc, table, work, where):
    """LIF rate curve; params = [tau_rc, tau_ref, amplitude]."""
    J, out, _, _, _ = _views(buf, code, p, 0)
    f = code[p + 4]
    _lif_rate(J, out, fc[f], fc[f + 1], fc[f + 2], out, 0.0, table, work, where)


@njit(**JIT_OPTIONS)
def adaptive_lif_rate(buf, code, p, fc, dt, table, work, where):
    """LIF rate on ``J - n``, then ``n += dt / tau_n * (inc_n * out - n)``.

    params = [tau_rc, tau_ref, amplitude, tau_n, inc_n]; state = [adaptation].
    """
    J, out, a, _, _ = _views(buf, code, p, 1)
    f = code[p + 4]
    tau_n, inc_n = fc[f + 3], fc[f + 4]
    _lif_rate(J, out, fc[f], fc[f + 1], fc[f + 2], a, tau_n, table, work, where)
    for i in range(J.size):
        a[i] += (dt / tau_n) * (inc_n * out[i] - a[i])


@njit(**JIT_OPTIONS)
def _lif(J, out, v, r, dt, tau_rc, tau_ref, min_v, amp, table, work, where):
    """Nengo's ``LIF.step``.

    One branch-free, vectorised pass steps every neuron as if its refractory clock
    gave a full step of decay or none; the few neurons leaving their refractory
    period within the step (``0 < r < dt``, whose decay needs ``expm1``) are then
    gathered (`compact`) and stepped again from their old voltage, which the pass
    left unchanged, and the spiking ones gathered for ``log1p``. Transcendentals go
    through one call of NumPy's own loop each (`nbsnn.kernels.ufuncs`). Nested
    conditional expressions are split into single ones, which compile to selects
    rather than (mispredicted) branches.
    """
    n = J.size
    new_v, x = work[:n], work[n : 2 * n]
    x[0] = -dt / tau_rc
    ufuncs.apply(table, ufuncs.EXPM1, x, x, 1)
    decay_full = x[0]
    spike = amp / dt
    # a full step of decay, or none (-0.0 = expm1(-0.0): v - (J - v) * -0.0 == v)
    for i in range(n):
        ri = r[i] - dt
        r[i] = ri
        decay = decay_full if ri <= 0.0 else -0.0
        vi = v[i] - (J[i] - v[i]) * decay
        spiked = vi > 1
        out[i] = spike if spiked else 0.0
        clamped = min_v if vi < min_v else vi
        v[i] = 0.0 if spiked else clamped
        new_v[i] = vi
    # neurons leaving their refractory period within the step: partial decay
    m = compact.indices_inside(r, n, 0.0, dt, where)
    for c in range(m):
        x[c] = -(dt - r[where[c]]) / tau_rc
    ufuncs.apply(table, ufuncs.EXPM1, x, x, m)
    for c in range(m):
        i = where[c]
        v_old = new_v[i]
        vi = v_old - (J[i] - v_old) * x[c]
        spiked = vi > 1
        out[i] = spike if spiked else 0.0
        clamped = min_v if vi < min_v else vi
        v[i] = 0.0 if spiked else clamped
        new_v[i] = vi
    m = compact.indices_above(new_v, n, 1.0, where)
    for c in range(m):
        i = where[c]
        x[c] = -(new_v[i] - 1) / (J[i] - 1)
    ufuncs.apply(table, ufuncs.LOG1P, x, x, m)
    for c in range(m):
        r[where[c]] = tau_ref + (dt + tau_rc * x[c])


@njit(**JIT_OPTIONS)
def lif(buf, code, p, fc, dt, table, work, where):
    """Spiking LIF; params = [tau_rc, tau_ref, amplitude, min_voltage];
    state = [voltage, refractory_time]."""
    J, out, v, r, _ = _views(buf, code, p, 2)
    f = code[p + 4]
    for b in range(0, J.size, BLOCK):
        e = min(J.size, b + BLOCK)
        _lif(J[b:e], out[b:e], v[b:e], r[b:e], dt, fc[f], fc[f + 1], fc[f + 3], fc[f + 2],
             table, work, where)


@njit(**JIT_OPTIONS)
def lif_encoded(buf, code, p, ia, fc, dt, table, work, where):
    """`lif` whose input current each block computes first, from the bias and 1-D
    encoders: ``J = bias + (0.0 + encoder * x)``, the bias copy and encoder product
    this record replaces (`nbsnn.backend.fusion`), in their order of operations. J
    is thus written and read while in L1, by one kernel call instead of three.

    code = [op, n, J, out, params, voltage, refractory_time, bias, segments,
    n_segments]; segments are ``(neurons, x position, encoder start)`` triples in
    ``ia``, in neuron order.
    """
    n, f = code[p + 1], code[p + 4]
    J, out = buf[code[p + 2] : code[p + 2] + n], buf[code[p + 3] : code[p + 3] + n]
    v, r = buf[code[p + 5] : code[p + 5] + n], buf[code[p + 6] : code[p + 6] + n]
    bias, seg, n_seg = buf[code[p + 7] : code[p + 7] + n], code[p + 8], code[p + 9]
    s, s_start = 0, 0  # current segment and its first neuron
    for b in range(0, n, BLOCK):
        e = min(n, b + BLOCK)
        i = b
        while i < e:
            while s < n_seg - 1 and i >= s_start + ia[seg + 3 * s]:
                s_start += ia[seg + 3 * s]
                s += 1
            end = min(e, s_start + ia[seg + 3 * s])
            x = buf[ia[seg + 3 * s + 1]]
            enc = ia[seg + 3 * s + 2] + (i - s_start)
            Jv, bv, ev = J[i:end], bias[i:end], buf[enc : enc + end - i]
            for k in range(end - i):
                Jv[k] = bv[k] + (0.0 + ev[k] * x)
            i = end
        _lif(J[b:e], out[b:e], v[b:e], r[b:e], dt, fc[f], fc[f + 1], fc[f + 3], fc[f + 2],
             table, work, where)


@njit(**JIT_OPTIONS)
def adaptive_lif(buf, code, p, fc, dt, table, work, where):
    """Spiking LIF on ``J - n`` with adaptation ``n``.

    params = [tau_rc, tau_ref, amplitude, min_voltage, tau_n, inc_n];
    state = [voltage, refractory_time, adaptation].
    """
    J, out, v, r, a = _views(buf, code, p, 3)
    f = code[p + 4]
    tau_n, inc_n = fc[f + 4], fc[f + 5]
    for b in range(0, J.size, BLOCK):
        e = min(J.size, b + BLOCK)
        j = work[2 * (e - b) : 3 * (e - b)]  # _lif uses work[: 2 * (e - b)]
        for i in range(b, e):
            j[i - b] = J[i] - a[i]
        _lif(j, out[b:e], v[b:e], r[b:e], dt, fc[f], fc[f + 1], fc[f + 3], fc[f + 2], table,
             work, where)
        for i in range(b, e):
            a[i] += (dt / tau_n) * (inc_n * out[i] - a[i])


@njit(**JIT_OPTIONS)
def izhikevich(buf, code, p, fc, dt):
    """Izhikevich neuron; params = [tau_recovery, coupling, reset_voltage,
    reset_recovery]; state = [voltage, recovery]."""
    J, out, v, u, _ = _views(buf, code, p, 2)
    f = code[p + 4]
    tau_rec, coupling, reset_v, reset_u = fc[f], fc[f + 1], fc[f + 2], fc[f + 3]
    for i in range(J.size):
        j = max(-30.0, J[i])
        volt = v[i]
        dv = (0.04 * volt**2 + 5 * volt + 140 - u[i] + j) * 1000
        volt += dv * dt
        out[i] = (1.0 if volt >= 30 else 0.0) / dt
        if out[i] > 0:
            volt = reset_v
        v[i] = volt
        du = (tau_rec * (coupling * volt - u[i])) * 1000
        u[i] += du * dt
        if out[i] > 0:
            u[i] = u[i] + reset_u


@njit(**JIT_OPTIONS)
def regular_spiking(buf, code, p, fc, dt):
    """Regular spiking from a rate input ``J``; params = [amplitude]; state = [voltage]."""
    J, out, v, _, _ = _views(buf, code, p, 1)
    scale = fc[code[p + 4]] / dt
    for i in range(J.size):
        v[i] += dt * J[i]
        n_spikes = math.floor(v[i])
        out[i] = scale * n_spikes
        v[i] -= n_spikes


@njit(**JIT_OPTIONS)
def _sign(x):
    return 1.0 if x > 0 else (-1.0 if x < 0 else 0.0)


@njit(**JIT_OPTIONS)
def stochastic_spiking(buf, code, p, fc, dt, rng):
    """Stochastic rounding of ``dt * J`` spikes (a uniform draw per neuron).

    params = [amplitude]; code[p + 5] is the random stream, code[p + 6] whether
    outputs can be negative.
    """
    J, out, _, _, _ = _views(buf, code, p, 0)
    scale, o, negative = fc[code[p + 4]] / dt, code[p + 5], code[p + 6]
    for i in range(J.size):
        e = dt * abs(J[i]) if negative else dt * J[i]
        n_spikes = math.floor(e) if e >= 0 else math.ceil(e)
        if random.next_double(rng, o) < e - n_spikes:
            n_spikes += 1
        out[i] = scale * n_spikes * (_sign(J[i]) if negative else 1.0)


@njit(**JIT_OPTIONS)
def poisson_spiking(buf, code, p, fc, dt, rng):
    """Poisson spike counts with mean ``dt * J``; layout as `stochastic_spiking`."""
    J, out, _, _, _ = _views(buf, code, p, 0)
    scale, o, negative = fc[code[p + 4]] / dt, code[p + 5], code[p + 6]
    for i in range(J.size):
        if negative:
            out[i] = scale * random.poisson(rng, o, abs(J[i]) * dt) * _sign(J[i])
        else:
            out[i] = scale * random.poisson(rng, o, J[i] * dt)
