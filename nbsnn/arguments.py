"""Checks of numeric arguments shared by the public entry points."""

import math
import numbers

from .exceptions import InvalidArgumentError

__all__ = ["finite"]


def finite(value, name, positive=False):
    """Return ``value`` if it is a finite real number (and, with ``positive``, above 0).

    Raises
    ------
    InvalidArgumentError
        Naming the argument ``name`` and the value it got.
    """
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool)
    if not ok or not math.isfinite(value) or (positive and value <= 0):
        kind = "a finite number > 0" if positive else "a finite number"
        raise InvalidArgumentError(f"{name} must be {kind}, got {value!r}")
    return value
