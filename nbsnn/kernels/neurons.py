"""Neuron kernels, one per `nengo.neurons` type, mirroring each ``NeuronType.step``.

The arithmetic follows Nengo's own expressions operation by operation so results
match `nengo.Simulator` to float rounding. code = [op, n, J, out, params, s1, s2, s3]
where ``J``, ``out`` and the state operands ``s*`` are index arrays into ``buf`` and
``params`` is an offset into ``fc``.
"""

import math

from numba import njit

from . import random


@njit(cache=True)
def rectified_linear(buf, code, p, ia, fc):
    """``out = amplitude * max(0, J)``; params = [amplitude]."""
    n, J, out, amp = code[p + 1], code[p + 2], code[p + 3], fc[code[p + 4]]
    for i in range(n):
        buf[ia[out + i]] = amp * max(0.0, buf[ia[J + i]])


@njit(cache=True)
def spiking_rectified_linear(buf, code, p, ia, fc, dt):
    """Integrate-and-fire ReLU; params = [amplitude]; state = [voltage]."""
    n, J, out, f, v = code[p + 1], code[p + 2], code[p + 3], code[p + 4], code[p + 5]
    scale = fc[f] / dt
    for i in range(n):
        vi = ia[v + i]
        buf[vi] += max(buf[ia[J + i]], 0.0) * dt
        n_spikes = math.floor(buf[vi])
        buf[ia[out + i]] = scale * n_spikes
        buf[vi] -= n_spikes


@njit(cache=True)
def sigmoid(buf, code, p, ia, fc):
    """``out = (1 / tau_ref) / (1 + exp(-J))``; params = [tau_ref]."""
    n, J, out, tau_ref = code[p + 1], code[p + 2], code[p + 3], fc[code[p + 4]]
    for i in range(n):
        buf[ia[out + i]] = (1.0 / tau_ref) / (1 + math.exp(-buf[ia[J + i]]))


@njit(cache=True)
def tanh(buf, code, p, ia, fc):
    """``out = (1 / tau_ref) * tanh(J)``; params = [tau_ref]."""
    n, J, out, tau_ref = code[p + 1], code[p + 2], code[p + 3], fc[code[p + 4]]
    for i in range(n):
        buf[ia[out + i]] = (1.0 / tau_ref) * math.tanh(buf[ia[J + i]])


@njit(cache=True)
def _lif_rate(j, tau_rc, tau_ref, amp):
    """LIF rate for input current ``j + 1``."""
    if j > 0:
        return amp / (tau_ref + tau_rc * math.log1p(1.0 / j))
    return 0.0


@njit(cache=True)
def lif_rate(buf, code, p, ia, fc):
    """LIF rate curve; params = [tau_rc, tau_ref, amplitude]."""
    n, J, out, f = code[p + 1], code[p + 2], code[p + 3], code[p + 4]
    tau_rc, tau_ref, amp = fc[f], fc[f + 1], fc[f + 2]
    for i in range(n):
        buf[ia[out + i]] = _lif_rate(buf[ia[J + i]] - 1, tau_rc, tau_ref, amp)


@njit(cache=True)
def adaptive_lif_rate(buf, code, p, ia, fc, dt):
    """LIF rate on ``J - n``, then ``n += dt / tau_n * (inc_n * out - n)``.

    params = [tau_rc, tau_ref, amplitude, tau_n, inc_n]; state = [adaptation].
    """
    n, J, out, f, a = code[p + 1], code[p + 2], code[p + 3], code[p + 4], code[p + 5]
    tau_rc, tau_ref, amp, tau_n, inc_n = fc[f], fc[f + 1], fc[f + 2], fc[f + 3], fc[f + 4]
    for i in range(n):
        ai = ia[a + i]
        rate = _lif_rate((buf[ia[J + i]] - buf[ai]) - 1, tau_rc, tau_ref, amp)
        buf[ia[out + i]] = rate
        buf[ai] += (dt / tau_n) * (inc_n * rate - buf[ai])


@njit(cache=True)
def _lif_neuron(j, vi, ri, buf, dt, tau_rc, tau_ref, min_v, spike, decay_full):
    """One LIF update (Nengo's ``LIF.step`` for one neuron); returns the output."""
    buf[ri] -= dt
    delta_t = dt - buf[ri]
    if delta_t < 0.0:
        delta_t = 0.0
    elif delta_t > dt:
        delta_t = dt
    decay = decay_full if delta_t == dt else math.expm1(-delta_t / tau_rc)
    v = buf[vi]
    v -= (j - v) * decay
    if v > 1:
        t_spike = dt + tau_rc * math.log1p(-(v - 1) / (j - 1))
        buf[vi] = 0.0
        buf[ri] = tau_ref + t_spike
        return spike
    buf[vi] = min_v if v < min_v else v
    return 0.0


@njit(cache=True)
def lif(buf, code, p, ia, fc, dt):
    """Spiking LIF; params = [tau_rc, tau_ref, amplitude, min_voltage];
    state = [voltage, refractory_time]."""
    n, J, out, f = code[p + 1], code[p + 2], code[p + 3], code[p + 4]
    v, r = code[p + 5], code[p + 6]
    tau_rc, tau_ref, amp, min_v = fc[f], fc[f + 1], fc[f + 2], fc[f + 3]
    spike = amp / dt
    decay_full = math.expm1(-dt / tau_rc)
    for i in range(n):
        buf[ia[out + i]] = _lif_neuron(
            buf[ia[J + i]], ia[v + i], ia[r + i], buf, dt, tau_rc, tau_ref, min_v,
            spike, decay_full,
        )


@njit(cache=True)
def adaptive_lif(buf, code, p, ia, fc, dt):
    """Spiking LIF on ``J - n`` with adaptation ``n``.

    params = [tau_rc, tau_ref, amplitude, min_voltage, tau_n, inc_n];
    state = [voltage, refractory_time, adaptation].
    """
    n, J, out, f = code[p + 1], code[p + 2], code[p + 3], code[p + 4]
    v, r, a = code[p + 5], code[p + 6], code[p + 7]
    tau_rc, tau_ref, amp, min_v = fc[f], fc[f + 1], fc[f + 2], fc[f + 3]
    tau_n, inc_n = fc[f + 4], fc[f + 5]
    spike = amp / dt
    decay_full = math.expm1(-dt / tau_rc)
    for i in range(n):
        ai = ia[a + i]
        o = _lif_neuron(
            buf[ia[J + i]] - buf[ai], ia[v + i], ia[r + i], buf, dt, tau_rc, tau_ref,
            min_v, spike, decay_full,
        )
        buf[ia[out + i]] = o
        buf[ai] += (dt / tau_n) * (inc_n * o - buf[ai])


@njit(cache=True)
def izhikevich(buf, code, p, ia, fc, dt):
    """Izhikevich neuron; params = [tau_recovery, coupling, reset_voltage,
    reset_recovery]; state = [voltage, recovery]."""
    n, J, out, f = code[p + 1], code[p + 2], code[p + 3], code[p + 4]
    v, u = code[p + 5], code[p + 6]
    tau_rec, coupling, reset_v, reset_u = fc[f], fc[f + 1], fc[f + 2], fc[f + 3]
    for i in range(n):
        vi, ui = ia[v + i], ia[u + i]
        j = max(-30.0, buf[ia[J + i]])
        volt = buf[vi]
        dv = (0.04 * volt**2 + 5 * volt + 140 - buf[ui] + j) * 1000
        volt += dv * dt
        spiked = volt >= 30
        o = (1.0 if spiked else 0.0) / dt
        buf[ia[out + i]] = o
        if o > 0:
            volt = reset_v
        buf[vi] = volt
        du = (tau_rec * (coupling * volt - buf[ui])) * 1000
        buf[ui] += du * dt
        if o > 0:
            buf[ui] = buf[ui] + reset_u


@njit(cache=True)
def regular_spiking(buf, code, p, ia, fc, dt):
    """Regular spiking from a rate input ``J``; params = [amplitude]; state = [voltage]."""
    n, J, out, f, v = code[p + 1], code[p + 2], code[p + 3], code[p + 4], code[p + 5]
    scale = fc[f] / dt
    for i in range(n):
        vi = ia[v + i]
        buf[vi] += dt * buf[ia[J + i]]
        n_spikes = math.floor(buf[vi])
        buf[ia[out + i]] = scale * n_spikes
        buf[vi] -= n_spikes


@njit(cache=True)
def stochastic_spiking(buf, code, p, ia, fc, dt, rng):
    """Stochastic rounding of ``dt * J`` spikes (a uniform draw per neuron).

    code = [op, n, J, out, params(amplitude), stream, negative].
    """
    n, J, out, f, o, negative = (code[p + 1], code[p + 2], code[p + 3], code[p + 4],
                                 code[p + 5], code[p + 6])
    scale = fc[f] / dt
    for i in range(n):
        j = buf[ia[J + i]]
        e = dt * abs(j) if negative else dt * j
        n_spikes = math.floor(e) if e >= 0 else math.ceil(e)
        if random.next_double(rng, o) < e - n_spikes:
            n_spikes += 1
        sign = (1.0 if j > 0 else (-1.0 if j < 0 else 0.0)) if negative else 1.0
        buf[ia[out + i]] = scale * n_spikes * sign


@njit(cache=True)
def poisson_spiking(buf, code, p, ia, fc, dt, rng):
    """Poisson spike counts with mean ``dt * J``; layout as `stochastic_spiking`."""
    n, J, out, f, o, negative = (code[p + 1], code[p + 2], code[p + 3], code[p + 4],
                                 code[p + 5], code[p + 6])
    scale = fc[f] / dt
    for i in range(n):
        j = buf[ia[J + i]]
        if negative:
            sign = 1.0 if j > 0 else (-1.0 if j < 0 else 0.0)
            buf[ia[out + i]] = scale * random.poisson(rng, o, abs(j) * dt) * sign
        else:
            buf[ia[out + i]] = scale * random.poisson(rng, o, j * dt)
