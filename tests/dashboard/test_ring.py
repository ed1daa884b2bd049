import numpy as np
import pytest

from nbsnn.dashboard.ring import RingBuffer


def test_keeps_last_rows_in_order_across_wraps():
    rng = np.random.default_rng(0)
    ring = RingBuffer(17, ["t", "x"])
    written = []
    for _ in range(40):
        n = int(rng.integers(0, 25))
        block = rng.normal(size=n)
        written.extend(block)
        ring.extend({"t": block, "x": 2 * block})
        expected = np.array(written[-17:])
        got = ring.data()
        assert len(ring) == len(expected)
        np.testing.assert_array_equal(got["t"], expected)
        np.testing.assert_array_equal(got["x"], 2 * expected)
        np.testing.assert_array_equal(ring.last("t", 3), expected[-3:])
    assert ring.total == len(written)


def test_clear_and_validation():
    ring = RingBuffer(4, ["a"])
    ring.extend({"a": [1, 2, 3]})
    ring.clear()
    assert len(ring) == 0 and ring.total == 0
    assert ring.data()["a"].size == 0
    with pytest.raises(KeyError, match="missing columns"):
        ring.extend({"b": [1.0]})
    with pytest.raises(ValueError, match="capacity"):
        RingBuffer(0, ["a"])
