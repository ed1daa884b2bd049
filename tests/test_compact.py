"""Stream compaction (the vectorised index gathering of the neuron and spike kernels)."""

import numpy as np
import pytest

from nbsnn.kernels import compact


@pytest.mark.parametrize("n", list(range(0, 20)) + [64, 1001])
def test_indices_above_and_nonzero_match_numpy(n):
    rng = np.random.RandomState(n)
    x = rng.uniform(-1, 2, n + 3)
    x[rng.rand(n + 3) < 0.2] = 0.0
    x[rng.rand(n + 3) < 0.1] = np.nan
    where = np.full(n + 3, -1, dtype=np.int64)
    m = compact.indices_above(x, n, 1.0, where)
    np.testing.assert_array_equal(where[:m], np.flatnonzero(x[:n] > 1.0))  # NaN excluded
    m = compact.nonzero_indices(x[:n], where)
    np.testing.assert_array_equal(where[:m], np.flatnonzero((x[:n] != 0) | np.isnan(x[:n])))


@pytest.mark.parametrize("n", list(range(0, 20)) + [1001])
def test_indices_inside_includes_nan(n):
    rng = np.random.RandomState(n)
    x = rng.uniform(-1, 2, n)
    x[rng.rand(n) < 0.1] = np.nan
    x[rng.rand(n) < 0.1] = 1.0  # the bounds themselves are outside
    where = np.full(n, -1, dtype=np.int64)
    m = compact.indices_inside(x, n, 0.0, 1.0, where)
    expected = np.flatnonzero(((x > 0) & (x < 1)) | np.isnan(x))
    np.testing.assert_array_equal(where[:m], expected)
