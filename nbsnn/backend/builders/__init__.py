"""Operator builders. Importing these modules registers them with `NumbaBuilder`."""

from . import learning_rules, neurons, operators, processes, pyfunc, transforms  # noqa: F401
