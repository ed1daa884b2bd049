"""Parameter spaces: full grids and seeded random samples, and stable point keys.

A parameter space is a dict mapping a parameter name to a list of values (a
grid axis; a single non-list value is an axis of one) or, for random sampling,
to a distribution: `Uniform`, `LogUniform`, or anything with a SciPy-style
``rvs(random_state=...)`` method (``scipy.stats`` frozen distributions).
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import math
from collections.abc import Mapping, Sequence

import numpy as np

from ..config import SWEEP_MAX_POINTS as MAX_POINTS
from ..exceptions import SweepSpaceError

__all__ = [
    "MAX_POINTS", "LogUniform", "SweepSpaceError", "Uniform", "grid", "point_key", "points",
    "sample",
]


@dataclasses.dataclass(frozen=True)
class Uniform:
    """Uniform distribution on ``[low, high)``; ``integer=True``: integers in ``[low, high]``."""

    low: float
    high: float
    integer: bool = False

    def rvs(self, size=None, random_state=None):
        """Draw ``size`` values with ``random_state`` (a `numpy.random.Generator`)."""
        rng = np.random.default_rng(random_state)
        if self.integer:
            return rng.integers(int(self.low), int(self.high), size=size, endpoint=True)
        return rng.uniform(self.low, self.high, size=size)


@dataclasses.dataclass(frozen=True)
class LogUniform:
    """Log-uniform distribution on ``[low, high)`` (both > 0), e.g. for time constants."""

    low: float
    high: float

    def __post_init__(self):
        if not 0 < self.low < self.high:
            raise SweepSpaceError(f"LogUniform needs 0 < low < high, got {self.low}, {self.high}")

    def rvs(self, size=None, random_state=None):
        """Draw ``size`` values with ``random_state`` (a `numpy.random.Generator`)."""
        rng = np.random.default_rng(random_state)
        return np.exp(rng.uniform(math.log(self.low), math.log(self.high), size=size))


def _is_distribution(value) -> bool:
    return hasattr(value, "rvs")


def _axis(name: str, value) -> list:
    if _is_distribution(value):
        raise SweepSpaceError(
            f"parameter {name!r} is a distribution ({value!r}); a grid needs a list of "
            f"values. Options: give a list, or sample the space with n_samples=N.")
    if isinstance(value, (str, bytes)) or not isinstance(value, (Sequence, np.ndarray, range)):
        return [value]
    values = list(value)
    if not values:
        raise SweepSpaceError(f"parameter {name!r} has no values")
    return values


def _plain(value):
    """Return ``value`` as a plain Python object (numpy scalars unwrapped)."""
    return value.item() if isinstance(value, np.generic) else value


def _check(params) -> Mapping:
    if not isinstance(params, Mapping) or not params:
        raise SweepSpaceError(
            "params must be a non-empty dict mapping parameter names to lists of values "
            f"(or distributions), got {params!r}")
    for name in params:
        if not isinstance(name, str) or not name.isidentifier():
            raise SweepSpaceError(f"parameter names must be Python identifiers, got {name!r}")
    return params


def grid(params: Mapping) -> list[dict]:
    """Return every combination of the values in ``params`` (the last name varies fastest).

    Parameters
    ----------
    params : dict
        Parameter name -> list of values (a non-list value is a single value).

    Returns
    -------
    list of dict
        One dict per point, keys in the order of ``params``.
    """
    params = _check(params)
    axes = [[_plain(v) for v in _axis(name, value)] for name, value in params.items()]
    return [dict(zip(params, combo, strict=True)) for combo in itertools.product(*axes)]


def sample(params: Mapping, n_samples: int, seed: int = 0) -> list[dict]:
    """Return ``n_samples`` random points of ``params``, reproducibly.

    Lists are sampled uniformly among their values, distributions with their
    ``rvs``; single values are constant. Drawn points that repeat are kept once,
    so fewer than ``n_samples`` points may come back from small discrete spaces.

    Parameters
    ----------
    params : dict
        Parameter name -> list of values, distribution or single value.
    n_samples : int
        Number of points to draw.
    seed : int
        Seed of the `numpy.random.Generator` that draws them.
    """
    params = _check(params)
    if int(n_samples) < 1:
        raise SweepSpaceError(f"n_samples must be >= 1, got {n_samples}")
    rng = np.random.default_rng(seed)
    columns = {}
    for name, value in params.items():
        if _is_distribution(value):
            columns[name] = [_plain(v) for v in np.asarray(
                value.rvs(size=n_samples, random_state=rng)).ravel()]
        else:
            values = _axis(name, value)
            columns[name] = [_plain(values[i]) for i in rng.integers(len(values), size=n_samples)]
    unique = {}
    for i in range(n_samples):
        point = {name: columns[name][i] for name in params}
        unique.setdefault(point_key(point), point)
    return list(unique.values())


def points(params: Mapping, n_samples: int | None = None, seed: int = 0) -> list[dict]:
    """Return the grid of ``params`` or, with ``n_samples``, a random sample of it."""
    if isinstance(params, Sequence) and not isinstance(params, (str, bytes)):
        pts = [dict(p) for p in params]  # an explicit list of points
        if not pts or not all(isinstance(p, Mapping) for p in params):
            raise SweepSpaceError("a list of points must be a non-empty list of dicts")
        return pts
    return grid(params) if n_samples is None else sample(params, n_samples, seed)


def _canonical(value):
    value = _plain(value)
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return {"float": repr(value)}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, np.ndarray):
        return {"ndarray": _canonical(value.tolist())}
    return {type(value).__qualname__: repr(value)}


def point_key(point: Mapping) -> str:
    """Return a stable key for a point: a hash of its parameter names and values.

    The same parameters give the same key in any process and any order of the
    dict; ``1`` and ``1.0`` differ. Objects other than numbers, strings, lists and
    dicts are keyed by their type and ``repr``.
    """
    text = json.dumps(_canonical(dict(point)), sort_keys=True, separators=(",", ":"))
    return hashlib.sha1(text.encode()).hexdigest()[:16]
