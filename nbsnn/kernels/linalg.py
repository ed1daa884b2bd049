"""Copy, reset and multiply-accumulate kernels over the flat signal buffer.

Every kernel reads its operands from one record of the step program: ``code[p]`` is
the op code and ``code[p + 1:]`` its integer arguments. Vector operands are index
arrays into ``buf`` stored in ``ia``; matrices are strided views of ``buf``.

Products whose input is spikes (mostly zero) visit only its nonzero entries: a zero
term adds nothing, so every sum stays bit-for-bit the sum over all terms.
"""

import numpy as np
from numba import njit

from ..config import BLAS_MIN_SIZE, JIT_OPTIONS
from . import compact


#: How an operand's buffer positions are encoded (see `Program.operand`).
INDEXED, RUN, SAME = 0, 1, 2


@njit(**JIT_OPTIONS)
def at(ia, offset, mode, i):
    """Buffer position of element ``i`` of an operand encoded as ``(offset, mode)``."""
    if mode == RUN:
        return offset + i
    if mode == SAME:
        return offset
    return ia[offset + i]


@njit(**JIT_OPTIONS)
def reset(buf, code, p, ia, fc):
    """``dst[...] = value``: code = [op, dst, dst_mode, n, value]; see `at`."""
    dst, mode, n, value = code[p + 1], code[p + 2], code[p + 3], fc[code[p + 4]]
    if mode == RUN:
        dst_view = buf[dst : dst + n]
        for i in range(n):
            dst_view[i] = value
        return
    for i in range(n):
        buf[at(ia, dst, mode, i)] = value


@njit(**JIT_OPTIONS)
def copy(buf, code, p, ia, inc):
    """``dst[i] = src[i]`` (or ``+=`` when ``inc``).

    code = [op, dst, dst_mode, src, src_mode, n]; see `at`.
    """
    dst, dm, src, sm, n = code[p + 1], code[p + 2], code[p + 3], code[p + 4], code[p + 5]
    if dm == RUN and sm == RUN:
        D, S = buf[dst : dst + n], buf[src : src + n]
        if inc:
            for i in range(n):
                D[i] += S[i]
        else:
            for i in range(n):
                D[i] = S[i]
        return
    if inc:
        for i in range(n):
            buf[at(ia, dst, dm, i)] += buf[at(ia, src, sm, i)]
    else:
        for i in range(n):
            buf[at(ia, dst, dm, i)] = buf[at(ia, src, sm, i)]


@njit(**JIT_OPTIONS)
def multiply_inc(buf, code, p, ia):
    """``y[i] += a[i] * x[i]`` (repeats in ``y`` accumulate).

    Used for `~nengo.builder.operator.ElementwiseInc` and for convolutions (one entry
    per kernel tap). code = [op, y, y_mode, a, a_mode, x, x_mode, n]; see `at`.
    """
    y, ym, a, am, x, xm, n = (code[p + 1], code[p + 2], code[p + 3], code[p + 4],
                              code[p + 5], code[p + 6], code[p + 7])
    if ym == RUN and am != INDEXED and xm != INDEXED:
        Y = buf[y : y + n]
        if am == RUN and xm == RUN:
            A, X = buf[a : a + n], buf[x : x + n]
            for i in range(n):
                Y[i] += A[i] * X[i]
        else:
            for i in range(n):
                Y[i] += buf[a + i * (am == RUN)] * buf[x + i * (xm == RUN)]
        return
    for i in range(n):
        buf[at(ia, y, ym, i)] += buf[at(ia, a, am, i)] * buf[at(ia, x, xm, i)]


@njit(**dict(JIT_OPTIONS, _nrt=True))  # np.dot with an output array needs NRT
def dot_inc(buf, code, p, scratch, where):
    """``Y[m, k] += A[m, n] @ X[n, k]`` on strided views.

    code = [op, A, m, n, A_rs, A_cs, X, k, X_rs, X_cs, Y, Y_rs, Y_cs]. A row-major
    matrix times a contiguous vector runs on typed views, visiting only nonzero
    inputs when they are few (spikes) and using BLAS (``np.dot``) when large.
    """
    a, m, n, ars, acs = code[p + 1], code[p + 2], code[p + 3], code[p + 4], code[p + 5]
    x, k, xrs, xcs = code[p + 6], code[p + 7], code[p + 8], code[p + 9]
    y, yrs, ycs = code[p + 10], code[p + 11], code[p + 12]
    if k == 1 and ars == n and (n == 1 or (acs == 1 and xrs == 1)):
        A = buf[a : a + m * n].reshape((m, n))
        X = buf[x : x + n]
        count = compact.nonzero_indices(X, where)
        if count == 0:
            return  # adding nothing but zero products leaves Y unchanged
        if count * 4 < n:
            for i in range(m):
                s = 0.0
                for c in range(count):
                    s += A[i, where[c]] * X[where[c]]
                buf[y + i * yrs] += s
        elif m * n >= BLAS_MIN_SIZE:
            tmp = scratch[:m]
            np.dot(A, X, tmp)
            for i in range(m):
                buf[y + i * yrs] += tmp[i]
        elif n == 1 and yrs == 1:  # encoders of a 1-D ensemble: a vector loop
            Y, a0, x0 = buf[y : y + m], buf[a : a + m], X[0]
            for i in range(m):
                Y[i] += 0.0 + a0[i] * x0
        else:
            for i in range(m):
                s = 0.0
                for q in range(n):
                    s += A[i, q] * X[q]
                buf[y + i * yrs] += s
        return
    for i in range(m):
        for j in range(k):
            s = 0.0
            for q in range(n):
                s += buf[a + i * ars + q * acs] * buf[x + q * xrs + j * xcs]
            buf[y + i * yrs + j * ycs] += s


@njit(**JIT_OPTIONS)
def csr_inc(buf, code, p, ia, fc, scratch, where):
    """``y += A @ x`` for a CSR matrix, summed in SciPy's (row, column) order.

    code = [op, data, indices, indptr, m, nnz, x, x_mode, y, y_mode, n, csc_data,
    csc_rows, csc_ptr]; operands as in `at`. When both operands are runs, few
    inputs are nonzero (spikes) and the CSR indices are sorted (``csc_ptr >= 0``),
    only the columns of nonzero inputs are visited, in the CSC copy: each row still
    sums its terms in column order.
    """
    m, nnz = code[p + 4], code[p + 5]
    data = fc[code[p + 1] : code[p + 1] + nnz]
    indices = ia[code[p + 2] : code[p + 2] + nnz]
    indptr = ia[code[p + 3] : code[p + 3] + m + 1]
    x, xm, y, ym, n = code[p + 6], code[p + 7], code[p + 8], code[p + 9], code[p + 10]
    if xm == RUN and ym == RUN:
        X, Y = buf[x : x + n], buf[y : y + m]
        if code[p + 13] >= 0:
            count = compact.nonzero_indices(X, where)
            if count * 4 < n:
                cdata = fc[code[p + 11] : code[p + 11] + nnz]
                rows = ia[code[p + 12] : code[p + 12] + nnz]
                colptr = ia[code[p + 13] : code[p + 13] + n + 1]
                acc = scratch[:m]
                for i in range(m):
                    acc[i] = 0.0
                for c in range(count):
                    j = where[c]
                    xj = X[j]
                    for kk in range(colptr[j], colptr[j + 1]):
                        acc[rows[kk]] += cdata[kk] * xj
                for i in range(m):
                    Y[i] += acc[i]
                return
        for i in range(m):
            s = 0.0
            for jj in range(indptr[i], indptr[i + 1]):
                s += data[jj] * X[indices[jj]]
            Y[i] += s
        return
    for i in range(m):
        s = 0.0
        for jj in range(indptr[i], indptr[i + 1]):
            s += data[jj] * buf[at(ia, x, xm, indices[jj])]
        buf[at(ia, y, ym, i)] += s


@njit(**JIT_OPTIONS)
def bsr_inc(buf, code, p, ia, fc, scratch, where):
    """``y += A @ x`` for a block-sparse matrix whose blocks live in ``buf``.

    code = [op, blocks, r, c, indices, indptr, n_block_rows, x, x_mode, y, y_mode,
    transposed]: operands as in `at`; ``transposed`` is the offset in ``fc`` of a
    column-major copy of constant blocks, or -1. Column blocks (encoders) run as
    vector loops; wide blocks (decoders) visit only the nonzero entries of their input
    (spikes), through the column-major copy when there is one. Either way each row
    sums its terms in column order.
    """
    blocks, r, c = code[p + 1], code[p + 2], code[p + 3]
    indices, indptr, nbr = code[p + 4], code[p + 5], code[p + 6]
    x, xm, y, ym = code[p + 7], code[p + 8], code[p + 9], code[p + 10]
    nnzb = ia[indptr + nbr]
    A = buf[blocks : blocks + nnzb * r * c].reshape((nnzb, r, c))
    transposed = code[p + 11]
    if xm != RUN or ym != RUN:
        for bi in range(nbr):
            for jj in range(ia[indptr + bi], ia[indptr + bi + 1]):
                bj = ia[indices + jj]
                for i in range(r):
                    s = 0.0
                    for j in range(c):
                        s += A[jj, i, j] * buf[at(ia, x, xm, bj * c + j)]
                    buf[at(ia, y, ym, bi * r + i)] += s
        return
    for bi in range(nbr):
        y0 = y + bi * r
        for jj in range(ia[indptr + bi], ia[indptr + bi + 1]):
            x0 = x + ia[indices + jj] * c
            if c == 1:  # encoders of a 1-D ensemble
                Y, xj = buf[y0 : y0 + r], buf[x0]
                block = buf[blocks + jj * r : blocks + jj * r + r]
                for i in range(r):
                    Y[i] += 0.0 + block[i] * xj
                continue
            block = A[jj]
            X = buf[x0 : x0 + c]
            count = c
            if c >= 64:
                count = compact.nonzero_indices(X, where)
            if count * 4 < c and r == 1:  # spikes into one output (a 1-D decoder)
                row, s = block[0], 0.0
                for q in range(count):
                    s += row[where[q]] * X[where[q]]
                buf[y0] += s
            elif count * 4 < c and transposed >= 0:  # spikes: one contiguous column each
                acc = scratch[:r]
                for i in range(r):
                    acc[i] = 0.0
                for q in range(count):
                    start = transposed + (jj * c + where[q]) * r
                    xq, column = X[where[q]], fc[start : start + r]
                    for i in range(r):
                        acc[i] += column[i] * xq
                for i in range(r):
                    buf[y0 + i] += acc[i]
            elif count * 4 < c:  # spikes: gather the nonzero inputs once
                xs = scratch[:count]
                for q in range(count):
                    xs[q] = X[where[q]]
                for i in range(r):
                    row, s = block[i], 0.0
                    for q in range(count):
                        s += row[where[q]] * xs[q]
                    buf[y0 + i] += s
            else:
                for i in range(r):
                    row, s = block[i], 0.0
                    for j in range(c):
                        s += row[j] * X[j]
                    buf[y0 + i] += s
