"""NumPy's legacy ``RandomState`` streams (MT19937) in compiled code.

A stream is 625 int64 words in the ``rng`` array: the 624-word MT19937 key and the
position. Loaded from and stored back to a `numpy.random.RandomState`, the draws
are exactly NumPy's: ``random_sample`` and the legacy ``poisson`` algorithms
(multiplication for small means, PTRS for means of 10 or more).
"""

import math

import numpy as np
from numba import njit

from ..config import JIT_OPTIONS

N = 624
M = 397
MATRIX_A = 0x9908B0DF
UPPER = 0x80000000
LOWER = 0x7FFFFFFF
MASK32 = 0xFFFFFFFF


def load_state(rng, rng_state, offset):
    """Copy a RandomState's MT19937 state into ``rng_state[offset:offset + 625]``."""
    _, key, pos, _, _ = rng.get_state()
    rng_state[offset : offset + N] = key
    rng_state[offset + N] = pos


def store_state(rng, rng_state, offset):
    """Write ``rng_state[offset:offset + 625]`` back into a RandomState."""
    name, _, _, has_gauss, cached = rng.get_state()
    key = rng_state[offset : offset + N].astype(np.uint32)
    rng.set_state((name, key, int(rng_state[offset + N]), has_gauss, cached))


@njit(**JIT_OPTIONS)
def _twist(st, o):
    for i in range(N):
        y = (st[o + i] & UPPER) | (st[o + (i + 1) % N] & LOWER)
        v = st[o + (i + M) % N] ^ (y >> 1)
        if y & 1:
            v ^= MATRIX_A
        st[o + i] = v
    st[o + N] = 0


@njit(**JIT_OPTIONS)
def next_uint32(st, o):
    """The stream's next 32-bit output (tempered)."""
    if st[o + N] >= N:
        _twist(st, o)
    y = st[o + st[o + N]]
    st[o + N] += 1
    y ^= y >> 11
    y ^= (y << 7) & 0x9D2C5680
    y ^= (y << 15) & 0xEFC60000
    y ^= y >> 18
    return y & MASK32


@njit(**JIT_OPTIONS)
def next_double(st, o):
    """``RandomState.random_sample()``: a double in [0, 1) from two 32-bit draws."""
    a = next_uint32(st, o) >> 5
    b = next_uint32(st, o) >> 6
    return (a * 67108864.0 + b) / 9007199254740992.0


@njit(**JIT_OPTIONS)
def _loggam(x):
    coeffs = (
        8.333333333333333e-02, -2.777777777777778e-03, 7.936507936507937e-04,
        -5.952380952380952e-04, 8.417508417508418e-04, -1.917526917526918e-03,
        6.410256410256410e-03, -2.955065359477124e-02, 1.796443723688307e-01,
        -1.39243221690590e00,
    )
    if x == 1.0 or x == 2.0:
        return 0.0
    n = int(7 - x) if x < 7.0 else 0
    x0 = x + n
    x2 = (1.0 / x0) * (1.0 / x0)
    gl0 = coeffs[9]
    for k in range(8, -1, -1):
        gl0 *= x2
        gl0 += coeffs[k]
    gl = gl0 / x0 + 0.5 * 1.8378770664093453 + (x0 - 0.5) * math.log(x0) - x0
    if x < 7.0:
        for _ in range(n):
            gl -= math.log(x0 - 1.0)
            x0 -= 1.0
    return gl


@njit(**JIT_OPTIONS)
def poisson(st, o, lam):
    """``RandomState.poisson(lam)`` (NumPy's legacy algorithms)."""
    if lam >= 10:
        slam = math.sqrt(lam)
        loglam = math.log(lam)
        b = 0.931 + 2.53 * slam
        a = -0.059 + 0.02483 * b
        invalpha = 1.1239 + 1.1328 / (b - 3.4)
        vr = 0.9277 - 3.6224 / (b - 2)
        while True:
            U = next_double(st, o) - 0.5
            V = next_double(st, o)
            us = 0.5 - abs(U)
            k = math.floor((2 * a / us + b) * U + lam + 0.43)
            if us >= 0.07 and V <= vr:
                return k
            if k < 0 or (us < 0.013 and V > us):
                continue
            if (math.log(V) + math.log(invalpha) - math.log(a / (us * us) + b)) <= (
                -lam + k * loglam - _loggam(k + 1)
            ):
                return k
    if lam == 0:
        return 0.0
    enlam = math.exp(-lam)
    X = 0.0
    prod = 1.0
    while True:
        prod *= next_double(st, o)
        if prod > enlam:
            X += 1
        else:
            return X
