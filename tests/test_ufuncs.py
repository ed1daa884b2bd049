"""The compiled kernels call NumPy's own transcendental loops (bit-identical results)."""

import math

import numpy as np
import pytest

from nbsnn.kernels import ufuncs

VALUES = np.concatenate([
    np.random.RandomState(0).uniform(-3, 3, 997),
    [0.0, -0.0, 1e-300, -1e-300, 700.0, -745.0, 1e308, -1.0, -0.999999, np.inf, -np.inf, np.nan],
])


def test_numpy_loops_are_found():
    # zero would mean the PyUFuncObject layout was not recognised (math fallback)
    assert (ufuncs.TABLE != 0)[::2].all(), ufuncs.TABLE


@pytest.mark.parametrize("k, ufunc", enumerate(ufuncs.UFUNCS), ids=lambda u: str(u))
@pytest.mark.parametrize("n", [0, 1, 7, 8, 1009])
def test_apply_equals_numpy_bit_for_bit(k, ufunc, n):
    x = VALUES[:n].copy()
    with np.errstate(all="ignore"):
        expected = ufunc(x)
    out = np.full(n + 1, 123.0)
    ufuncs.apply(ufuncs.TABLE, k, x, out, n)
    np.testing.assert_array_equal(out[:n], expected)
    assert out[n] == 123.0  # nothing written past n
    ufuncs.apply(ufuncs.TABLE, k, x, x, n)  # in place
    np.testing.assert_array_equal(x, expected)


@pytest.mark.parametrize("k, ufunc", enumerate(ufuncs.UFUNCS), ids=lambda u: str(u))
def test_fallback_uses_math_functions(k, ufunc):
    x = np.random.RandomState(1).uniform(-0.9, 3, 100)
    out = np.empty_like(x)
    ufuncs.apply(np.zeros_like(ufuncs.TABLE), k, x, out, x.size)
    fn = getattr(math, ufunc.__name__)
    np.testing.assert_array_equal(out, [fn(v) for v in x])


def test_ufunc_without_float64_loop_has_no_entry():
    assert ufuncs.float64_loop(np.logical_not) == (0, 0)
