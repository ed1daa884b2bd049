"""Learning-rule kernels mirroring the ``make_step`` of Nengo's learning operators.

Matrices (``delta``, ``weights``, ``P``) are index arrays in row-major order.
"""

from numba import njit

from ..config import JIT_OPTIONS


@njit(**JIT_OPTIONS)
def pes(buf, code, p, ia, fc):
    """``delta = outer(alpha * error, pre)``. code = [op, m, n, error, pre, delta, alpha]."""
    m, n, err, pre, delta = code[p + 1], code[p + 2], code[p + 3], code[p + 4], code[p + 5]
    alpha = fc[code[p + 6]]
    for i in range(m):
        e = alpha * buf[ia[err + i]]
        for j in range(n):
            buf[ia[delta + i * n + j]] = e * buf[ia[pre + j]]


@njit(**JIT_OPTIONS)
def bcm(buf, code, p, ia, fc):
    """``delta = outer(alpha * post * (post - theta), pre)``.

    code = [op, m, n, post, theta, pre, delta, alpha].
    """
    m, n, post, theta = code[p + 1], code[p + 2], code[p + 3], code[p + 4]
    pre, delta, alpha = code[p + 5], code[p + 6], fc[code[p + 7]]
    for i in range(m):
        a = buf[ia[post + i]]
        e = alpha * a * (a - buf[ia[theta + i]])
        for j in range(n):
            buf[ia[delta + i * n + j]] = e * buf[ia[pre + j]]


@njit(**JIT_OPTIONS)
def oja(buf, code, p, ia, fc):
    """Oja's rule: forgetting ``-beta * w * alpha * post**2`` plus the Hebbian term.

    code = [op, m, n, post, pre, weights, delta, params(alpha, beta)].
    """
    m, n, post, pre = code[p + 1], code[p + 2], code[p + 3], code[p + 4]
    w, delta, f = code[p + 5], code[p + 6], code[p + 7]
    alpha, beta = fc[f], fc[f + 1]
    for i in range(m):
        a = buf[ia[post + i]]
        sq = alpha * a * a
        h = alpha * a
        for j in range(n):
            d = ia[delta + i * n + j]
            buf[d] = -beta * buf[ia[w + i * n + j]] * sq
            buf[d] += h * buf[ia[pre + j]]


@njit(**JIT_OPTIONS)
def voja(buf, code, p, ia, fc):
    """Voja's rule on the scaled encoders.

    code = [op, m, n, post, pre_decoded, scaled_encoders, delta, learning_signal,
    alpha, scale]; ``scale`` (m values) is an offset into ``fc``.
    """
    m, n, post, pre = code[p + 1], code[p + 2], code[p + 3], code[p + 4]
    enc, delta, ls = code[p + 5], code[p + 6], code[p + 7]
    alpha, scale = fc[code[p + 8]], code[p + 9]
    g = alpha * buf[ia[ls]]
    for i in range(m):
        a = buf[ia[post + i]]
        for j in range(n):
            outer = a * buf[ia[pre + j]]
            buf[ia[delta + i * n + j]] = g * (
                fc[scale + i] * outer - a * buf[ia[enc + i * n + j]]
            )


@njit(**JIT_OPTIONS)
def rls(buf, code, p, ia, scratch):
    """Recursive least squares update of ``P`` and ``delta``.

    code = [op, n, m, r, P, error, delta] with ``P`` (n, n) and ``delta`` (m, n).
    """
    n, m, r, P = code[p + 1], code[p + 2], code[p + 3], code[p + 4]
    err, delta = code[p + 5], code[p + 6]
    Pr = scratch[:n]
    for i in range(n):
        s = 0.0
        for j in range(n):
            s += buf[ia[P + i * n + j]] * buf[ia[r + j]]
        Pr[i] = s
    rPr = 0.0
    for j in range(n):
        rPr += buf[ia[r + j]] * Pr[j]
    rPr1 = 1 / (1 + rPr)
    for i in range(n):
        for j in range(n):
            buf[ia[P + i * n + j]] -= Pr[i] * (Pr[j] * rPr1)
    for i in range(m):
        e = buf[ia[err + i]]
        for j in range(n):
            buf[ia[delta + i * n + j]] = e * (-rPr1 * Pr[j])
