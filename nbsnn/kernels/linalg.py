"""Copy, reset and multiply-accumulate kernels over the flat signal buffer.

Every kernel reads its operands from one record of the step program: ``code[p]`` is
the op code and ``code[p + 1:]`` its integer arguments. Vector operands are index
arrays into ``buf`` stored in ``ia``; matrices are strided views of ``buf``.
"""

import numpy as np
from numba import njit

from ..config import BLAS_MIN_SIZE


@njit(cache=True)
def reset(buf, code, p, ia, fc):
    """``dst[...] = value``: code = [op, dst, n, value]."""
    dst, n, value = code[p + 1], code[p + 2], fc[code[p + 3]]
    for i in range(n):
        buf[ia[dst + i]] = value


@njit(cache=True)
def copy(buf, code, p, ia, inc):
    """``dst[i] = src[i]`` (or ``+=`` when ``inc``): code = [op, dst, src, n]."""
    dst, src, n = code[p + 1], code[p + 2], code[p + 3]
    if inc:
        for i in range(n):
            buf[ia[dst + i]] += buf[ia[src + i]]
    else:
        for i in range(n):
            buf[ia[dst + i]] = buf[ia[src + i]]


@njit(cache=True)
def multiply_inc(buf, code, p, ia):
    """``y[i] += a[i] * x[i]`` over index arrays (repeats in ``y`` accumulate).

    Used for `~nengo.builder.operator.ElementwiseInc` (broadcast indices) and for
    convolutions (one entry per kernel tap). code = [op, y, a, x, n].
    """
    y, a, x, n = code[p + 1], code[p + 2], code[p + 3], code[p + 4]
    for i in range(n):
        buf[ia[y + i]] += buf[ia[a + i]] * buf[ia[x + i]]


@njit(cache=True)
def dot_inc(buf, code, p, scratch):
    """``Y[m, k] += A[m, n] @ X[n, k]`` on strided views.

    code = [op, A, m, n, A_rs, A_cs, X, k, X_rs, X_cs, Y, Y_rs, Y_cs].
    Large contiguous matrix-vector products go to BLAS through ``np.dot``.
    """
    a, m, n, ars, acs = code[p + 1], code[p + 2], code[p + 3], code[p + 4], code[p + 5]
    x, k, xrs, xcs = code[p + 6], code[p + 7], code[p + 8], code[p + 9]
    y, yrs, ycs = code[p + 10], code[p + 11], code[p + 12]
    if k == 1 and acs == 1 and ars == n and xrs == 1 and m * n >= BLAS_MIN_SIZE:
        tmp = scratch[:m]
        np.dot(buf[a : a + m * n].reshape((m, n)), buf[x : x + n], tmp)
        for i in range(m):
            buf[y + i * yrs] += tmp[i]
        return
    for i in range(m):
        for j in range(k):
            s = 0.0
            for l in range(n):
                s += buf[a + i * ars + l * acs] * buf[x + l * xrs + j * xcs]
            buf[y + i * yrs + j * ycs] += s


@njit(cache=True)
def csr_inc(buf, code, p, ia, fc):
    """``y += A @ x`` for a CSR matrix: code = [op, data, indices, indptr, m, x, y]."""
    data, indices, indptr, m = code[p + 1], code[p + 2], code[p + 3], code[p + 4]
    x, y = code[p + 5], code[p + 6]
    for i in range(m):
        s = 0.0
        for jj in range(ia[indptr + i], ia[indptr + i + 1]):
            s += fc[data + jj] * buf[ia[x + ia[indices + jj]]]
        buf[ia[y + i]] += s


@njit(cache=True)
def bsr_inc(buf, code, p, ia):
    """``y += A @ x`` for a block-sparse matrix whose blocks live in ``buf``.

    code = [op, blocks, r, c, indices, indptr, n_block_rows, x, y]; the ``x`` and
    ``y`` operands are index arrays.
    """
    blocks, r, c = code[p + 1], code[p + 2], code[p + 3]
    indices, indptr, nbr = code[p + 4], code[p + 5], code[p + 6]
    x, y = code[p + 7], code[p + 8]
    for bi in range(nbr):
        for jj in range(ia[indptr + bi], ia[indptr + bi + 1]):
            bj = ia[indices + jj]
            base = blocks + jj * r * c
            for i in range(r):
                s = 0.0
                for j in range(c):
                    s += buf[base + i * c + j] * buf[ia[x + bj * c + j]]
                buf[ia[y + bi * r + i]] += s
