"""Synapse kernels: Nengo's LTI filter steppers and the triangle FIR filter.

Each follows the matching ``LinearFilter.Step`` / ``Triangle`` step function of
Nengo. ``mode`` selects how the filter output is written: 0 sets it, 1 adds to it.
"""

from numba import njit

from ..config import JIT_OPTIONS

NO_X = 0
ONE_X = 1
NO_D = 2
GENERAL = 3


@njit(**JIT_OPTIONS)
def _write(buf, pos, value, mode):
    if mode == 1:
        buf[pos] += value
    else:
        buf[pos] = value


@njit(**JIT_OPTIONS)
def lti(buf, code, p, ia, fc, scratch):
    """One step of a linear filter with state ``X`` of shape (k, n).

    code = [op, kind, n, k, u, y, X, mats, mode]; ``mats`` points at A (k*k), B (k),
    C (k) and D (1) in ``fc``.
    """
    kind, n, k = code[p + 1], code[p + 2], code[p + 3]
    u, y, X, mats, mode = code[p + 4], code[p + 5], code[p + 6], code[p + 7], code[p + 8]
    A, B, C, D = mats, mats + k * k, mats + k * k + k, mats + k * k + 2 * k
    if kind == NO_X:
        d = fc[D]
        for i in range(n):
            _write(buf, ia[y + i], d * buf[ia[u + i]], mode)
    elif kind == ONE_X:
        a, b = fc[A], fc[C] * fc[B]
        for i in range(n):
            xi = ia[X + i]
            buf[xi] = buf[xi] * a + b * buf[ia[u + i]]
            _write(buf, ia[y + i], buf[xi], mode)
    else:
        xnew = scratch[:k]
        for i in range(n):
            ui = buf[ia[u + i]]
            out = 0.0
            if kind == GENERAL:
                for c in range(k):
                    out += fc[C + c] * buf[ia[X + c * n + i]]
                out += fc[D] * ui
            for r in range(k):
                s = 0.0
                for c in range(k):
                    s += fc[A + r * k + c] * buf[ia[X + c * n + i]]
                xnew[r] = s + fc[B + r] * ui
            for r in range(k):
                buf[ia[X + r * n + i]] = xnew[r]
            if kind == NO_D:
                for c in range(k):
                    out += fc[C + c] * xnew[c]
            _write(buf, ia[y + i], out, mode)


@njit(**JIT_OPTIONS)
def triangle(buf, code, p, ia, fc):
    """Triangle FIR filter. code = [op, n, u, y, Y, X, Xi, n_taps, coef, mode]."""
    n, u, y, Y, X = code[p + 1], code[p + 2], code[p + 3], code[p + 4], code[p + 5]
    Xi, n_taps, coef, mode = code[p + 6], code[p + 7], code[p + 8], code[p + 9]
    n0, ndiff = fc[coef], fc[coef + 1]
    xi = ia[Xi]
    nxt = int((buf[xi] + 1) % n_taps)
    for i in range(n):
        ui = buf[ia[u + i]]
        Yi = ia[Y + i]
        buf[Yi] += n0 * ui
        s = 0.0
        for t in range(n_taps):
            s += buf[ia[X + t * n + i]]
        buf[Yi] -= s
        buf[ia[X + nxt * n + i]] = ndiff * ui
        _write(buf, ia[y + i], buf[Yi], mode)
    buf[xi] = (buf[xi] + 1) % n_taps
