"""Synapse kernels: Nengo's LTI filter steppers and the triangle FIR filter.

Each follows the matching ``LinearFilter.Step`` / ``Triangle`` step function of
Nengo. ``mode`` selects how the filter output is written: 0 sets it, 1 adds to it.
"""

from numba import njit

from ..config import JIT_OPTIONS
from .linalg import RUN, at

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
def _one_x_runs(U, Y, X, a, b, mode):
    """`lti` of a first-order filter (Lowpass) on contiguous signals."""
    for i in range(U.size):
        X[i] = X[i] * a + b * U[i]
    if mode == 1:
        for i in range(U.size):
            Y[i] += X[i]
    else:
        for i in range(U.size):
            Y[i] = X[i]


@njit(**JIT_OPTIONS)
def lti(buf, code, p, ia, fc, scratch):
    """One step of a linear filter with state ``X`` of shape (k, n).

    code = [op, kind, n, k, u, u_mode, y, y_mode, X, X_mode, mats, mode]: operands as
    in `nbsnn.kernels.linalg.at`; ``mats`` points at A (k*k), B (k), C (k) and D (1)
    in ``fc``.
    """
    kind, n, k = code[p + 1], code[p + 2], code[p + 3]
    u, um, y, ym, X, Xm = (code[p + 4], code[p + 5], code[p + 6], code[p + 7],
                           code[p + 8], code[p + 9])
    mats, mode = code[p + 10], code[p + 11]
    A, B, C, D = mats, mats + k * k, mats + k * k + k, mats + k * k + 2 * k
    if kind == NO_X:
        d = fc[D]
        for i in range(n):
            _write(buf, at(ia, y, ym, i), d * buf[at(ia, u, um, i)], mode)
    elif kind == ONE_X:
        a, b = fc[A], fc[C] * fc[B]
        if um == RUN and ym == RUN and Xm == RUN:
            _one_x_runs(buf[u : u + n], buf[y : y + n], buf[X : X + n], a, b, mode)
            return
        for i in range(n):
            xi = at(ia, X, Xm, i)
            buf[xi] = buf[xi] * a + b * buf[at(ia, u, um, i)]
            _write(buf, at(ia, y, ym, i), buf[xi], mode)
    else:
        xnew = scratch[:k]
        for i in range(n):
            ui = buf[at(ia, u, um, i)]
            out = 0.0
            if kind == GENERAL:
                for c in range(k):
                    out += fc[C + c] * buf[at(ia, X, Xm, c * n + i)]
                out += fc[D] * ui
            for r in range(k):
                s = 0.0
                for c in range(k):
                    s += fc[A + r * k + c] * buf[at(ia, X, Xm, c * n + i)]
                xnew[r] = s + fc[B + r] * ui
            for r in range(k):
                buf[at(ia, X, Xm, r * n + i)] = xnew[r]
            if kind == NO_D:
                for c in range(k):
                    out += fc[C + c] * xnew[c]
            _write(buf, at(ia, y, ym, i), out, mode)


@njit(**JIT_OPTIONS)
def first_order_filters(buf, code, p, ia, fc):
    """Several `lti` records of first-order filters on contiguous signals, in order:
    one record instead of a chain of small ones (`nbsnn.backend.fusion`).

    code = [op, count, items]; item ``i`` is ``ia[items + 6 * i:]`` = (n, u, y, X,
    coefficients, mode) with ``fc[coefficients:]`` = (a, c * b).
    """
    count, items = code[p + 1], code[p + 2]
    for i in range(count):
        q = items + 6 * i
        n, u, y, X, f = ia[q], ia[q + 1], ia[q + 2], ia[q + 3], ia[q + 4]
        _one_x_runs(buf[u : u + n], buf[y : y + n], buf[X : X + n], fc[f], fc[f + 1], ia[q + 5])


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
