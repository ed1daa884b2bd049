"""The numba backend: packs signals, translates operators, runs the step program."""

from . import builders  # noqa: F401  (importing registers the operator builders)
