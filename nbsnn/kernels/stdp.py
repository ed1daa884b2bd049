"""Kernels of the spike-timing rules, mirroring `nbsnn.learning.operators` operation by
operation so that weights match `nengo.Simulator` exactly.

Records (signals are start offsets of contiguous runs of ``buf``; the weights are a
strided view ``w + i * rs + j * cs``; ``params`` is an offset into ``fc``):

- STDP: [op, m, n, pre, post, w, rs, cs, x_pre, x_post, count, params,
  weight_dependent, additive, normalize], params = [lr, a_plus, a_minus, decay_pre,
  decay_post, wmin, wmax, sign, normalize, every].
- REWARD_STDP: [op, m, n, pre, post, w, rs, cs, x_pre, x_post, e, reward, params,
  additive], params = [rate, a_plus, a_minus, decay_pre, decay_post, wmin, wmax,
  decay_e].
"""

from numba import njit

from ..config import JIT_OPTIONS
from . import compact


@njit(**JIT_OPTIONS)
def _traces(buf, out, x, n, decay, additive, dt, s):
    """Decay trace ``x`` and take the spike counts ``s = out * dt`` (written to ``s``)."""
    for j in range(n):
        sj = buf[out + j] * dt
        s[j] = sj
        if additive:
            buf[x + j] = buf[x + j] * decay + sj
        elif sj != 0:
            buf[x + j] = sj
        else:
            buf[x + j] = buf[x + j] * decay


@njit(**JIT_OPTIONS)
def _clip(w, wmin, wmax):
    if w < wmin:
        w = wmin
    if w > wmax:
        w = wmax
    return w


@njit(**JIT_OPTIONS)
def _pair(w, s_post, x_pre, x_post, s_pre, lr, a_plus, a_minus, wmin, wmax, sign, wdep):
    pot = a_plus * (s_post * x_pre)
    dep = a_minus * (x_post * s_pre)
    if wdep:
        pot = pot * (wmax - w)
        dep = dep * (w - wmin)
    return _clip(w + lr * (pot + sign * dep), wmin, wmax)


@njit(**JIT_OPTIONS)
def stdp(buf, code, p, fc, dt, scratch, where):
    """Pair-based, weight-dependent or Hebbian STDP; touches only the rows of post
    neurons and the columns of pre neurons that spiked in the step."""
    m, n, pre, post, w = code[p + 1], code[p + 2], code[p + 3], code[p + 4], code[p + 5]
    rs, cs, xpre, xpost, cnt = code[p + 6], code[p + 7], code[p + 8], code[p + 9], code[p + 10]
    f, wdep, additive, normalize = code[p + 11], code[p + 12], code[p + 13], code[p + 14]
    lr, a_plus, a_minus, decay_pre = fc[f], fc[f + 1], fc[f + 2], fc[f + 3]
    decay_post, wmin, wmax, sign = fc[f + 4], fc[f + 5], fc[f + 6], fc[f + 7]
    s_pre, s_post = scratch[:n], scratch[n : n + m]
    _traces(buf, pre, xpre, n, decay_pre, additive, dt, s_pre)
    _traces(buf, post, xpost, m, decay_post, additive, dt, s_post)
    k = compact.nonzero_indices(s_pre, where)
    for i in range(m):
        si, xi, row = s_post[i], buf[xpost + i], w + i * rs
        if si != 0:
            for j in range(n):
                q = row + j * cs
                buf[q] = _pair(buf[q], si, buf[xpre + j], xi, s_pre[j], lr, a_plus,
                               a_minus, wmin, wmax, sign, wdep)
        else:
            for c in range(k):
                j = where[c]
                q = row + j * cs
                buf[q] = _pair(buf[q], si, buf[xpre + j], xi, s_pre[j], lr, a_plus,
                               a_minus, wmin, wmax, sign, wdep)
    if normalize:
        buf[cnt] += 1
        if buf[cnt] % fc[f + 9] == 0:
            total_w = fc[f + 8]
            for i in range(m):
                row, total = w + i * rs, 0.0
                for j in range(n):
                    total += buf[row + j * cs]
                scale = total_w / total
                for j in range(n):
                    buf[row + j * cs] = buf[row + j * cs] * scale


@njit(**JIT_OPTIONS)
def reward_stdp(buf, code, p, fc, dt, scratch):
    """Reward-modulated STDP with an eligibility trace (dense: every synapse's
    eligibility decays each step)."""
    m, n, pre, post, w = code[p + 1], code[p + 2], code[p + 3], code[p + 4], code[p + 5]
    rs, cs, xpre, xpost, e = code[p + 6], code[p + 7], code[p + 8], code[p + 9], code[p + 10]
    reward, f, additive = code[p + 11], code[p + 12], code[p + 13]
    rate, a_plus, a_minus, decay_pre = fc[f], fc[f + 1], fc[f + 2], fc[f + 3]
    decay_post, wmin, wmax, decay_e = fc[f + 4], fc[f + 5], fc[f + 6], fc[f + 7]
    s_pre, s_post = scratch[:n], scratch[n : n + m]
    _traces(buf, pre, xpre, n, decay_pre, additive, dt, s_pre)
    _traces(buf, post, xpost, m, decay_post, additive, dt, s_post)
    g = rate * buf[reward]
    for i in range(m):
        si, xi, row, erow = s_post[i], buf[xpost + i], w + i * rs, e + i * n
        for j in range(n):
            pot = a_plus * (si * buf[xpre + j])
            dep = a_minus * (xi * s_pre[j])
            ej = buf[erow + j] * decay_e + (pot - dep)
            buf[erow + j] = ej
            q = row + j * cs
            buf[q] = _clip(buf[q] + g * ej, wmin, wmax)
