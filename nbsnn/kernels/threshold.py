"""Kernel of `nbsnn.learning.AdaptiveThresholdLIF`, mirroring its ``step``.

code = [op, n, J, out, params, voltage, refractory_time, theta], params =
[tau_rc, tau_ref, amplitude, min_voltage, tau_theta, inc_theta].
"""

from numba import njit

from ..config import JIT_OPTIONS
from . import compact, ufuncs


@njit(**JIT_OPTIONS)
def adaptive_threshold_lif(buf, code, p, fc, dt, table, work, where):
    """LIF step with threshold ``1 + theta``; ``expm1`` through NumPy's own loop
    (`nbsnn.kernels.ufuncs`) for the full-step decay and the neurons leaving their
    refractory period within the step, as in `nbsnn.kernels.neurons.lif`."""
    n, f = code[p + 1], code[p + 4]
    J, out = buf[code[p + 2] : code[p + 2] + n], buf[code[p + 3] : code[p + 3] + n]
    v, r = buf[code[p + 5] : code[p + 5] + n], buf[code[p + 6] : code[p + 6] + n]
    theta = buf[code[p + 7] : code[p + 7] + n]
    tau_rc, tau_ref, amp, min_v = fc[f], fc[f + 1], fc[f + 2], fc[f + 3]
    theta_decay, inc = dt / fc[f + 4], fc[f + 5]
    decay, x = work[:n], work[n : 2 * n]
    x[0] = -dt / tau_rc
    ufuncs.apply(table, ufuncs.EXPM1, x, x, 1)
    decay_full = x[0]
    for i in range(n):
        ri = r[i] - dt
        r[i] = ri
        decay[i] = decay_full if ri <= 0.0 else -0.0
    m = compact.indices_inside(r, n, 0.0, dt, where)
    for c in range(m):
        x[c] = -(dt - r[where[c]]) / tau_rc
    ufuncs.apply(table, ufuncs.EXPM1, x, x, m)
    for c in range(m):
        decay[where[c]] = x[c]
    spike = amp / dt
    for i in range(n):
        vi = v[i] - (J[i] - v[i]) * decay[i]
        th = theta[i]
        spiked = vi > 1 + th
        out[i] = spike if spiked else 0.0
        if vi < min_v:
            vi = min_v
        if spiked:
            vi = 0.0
            r[i] = tau_ref
        v[i] = vi
        th = th - th * theta_decay
        theta[i] = th + inc if spiked else th
