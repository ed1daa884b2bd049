"""Parameter spaces: grids, random samples and point keys."""

import itertools
import subprocess
import sys

import numpy as np
import pytest

from nbsnn.sweep.grid import LogUniform, SweepSpaceError, Uniform, grid, point_key, points, sample


def test_grid_is_the_cartesian_product_in_order():
    space = {"a": [1, 2, 3], "b": ["x", "y"], "c": 0.5}
    pts = grid(space)
    assert pts == [{"a": a, "b": b, "c": 0.5} for a, b in itertools.product([1, 2, 3], "xy")]
    assert len({point_key(p) for p in pts}) == 6


def test_grid_unwraps_numpy_values():
    pts = grid({"s": np.array([0.1, 0.2]), "n": range(2)})
    assert [type(p["s"]) for p in pts] == [float] * 4
    assert pts[1] == {"s": 0.1, "n": 1}


def test_grid_refuses_distributions_and_bad_spaces():
    with pytest.raises(SweepSpaceError, match="'tau' is a distribution.*n_samples"):
        grid({"tau": LogUniform(1e-3, 1e-1)})
    with pytest.raises(SweepSpaceError, match="no values"):
        grid({"a": []})
    with pytest.raises(SweepSpaceError, match="identifiers"):
        grid({"not a name": [1]})
    with pytest.raises(SweepSpaceError, match="non-empty dict"):
        grid({})


def test_sample_is_seeded_and_within_the_space():
    space = {"tau": LogUniform(1e-3, 1e-1), "scale": Uniform(1, 100),
             "n": Uniform(10, 20, integer=True), "neuron": ["LIF", "SpikingRectifiedLinear"]}
    a, b, c = sample(space, 50, seed=1), sample(space, 50, seed=1), sample(space, 50, seed=2)
    assert a == b and a != c
    assert len(a) == 50
    taus = np.array([p["tau"] for p in a])
    assert taus.min() >= 1e-3 and taus.max() < 1e-1
    assert np.median(taus) < 0.03  # log-uniform: median near 1e-2, not 5e-2
    assert all(1 <= p["scale"] < 100 for p in a)
    assert {p["n"] for p in a} <= set(range(10, 21)) and all(type(p["n"]) is int for p in a)
    assert {p["neuron"] for p in a} == {"LIF", "SpikingRectifiedLinear"}


def test_sample_keeps_repeated_points_once():
    pts = sample({"a": [1, 2]}, 20, seed=0)
    assert sorted(p["a"] for p in pts) == [1, 2]


def test_points_accepts_an_explicit_list():
    assert points([{"a": 1}, {"a": 3}]) == [{"a": 1}, {"a": 3}]
    assert points({"a": [1, 2]}, n_samples=None) == [{"a": 1}, {"a": 2}]


def test_point_key_is_stable_and_discriminating():
    key = point_key({"a": 1, "b": 0.005, "c": "LIF", "d": None})
    assert key == point_key({"d": None, "c": "LIF", "b": 0.005, "a": 1})
    assert key == point_key({"a": np.int64(1), "b": np.float64(0.005), "c": "LIF", "d": None})
    assert key != point_key({"a": 1.0, "b": 0.005, "c": "LIF", "d": None})
    assert key != point_key({"a": 1, "b": 0.0050001, "c": "LIF", "d": None})
    code = ("from nbsnn.sweep.grid import point_key; "
            "print(point_key({'a': 1, 'b': 0.005, 'c': 'LIF', 'd': None}))")
    other_process = subprocess.run([sys.executable, "-c", code], capture_output=True,
                                   text=True, check=True).stdout.strip()
    assert other_process == key
