"""Parameter sweeps on Dask: firing rate, synapse and accuracy trade-offs (``sweep`` extra).

``nbsnn.sweep.sweep(evaluate, params, ...)`` evaluates a function over a grid or
random sample of parameters on a Dask cluster, returns a tidy DataFrame and can
resume from its Parquet results; `nbsnn.sweep.plots` draws heat maps and Pareto
fronts, and `nbsnn.sweep.converted.evaluate_converted` evaluates a converted
Keras network at one point.

The package itself is callable: ``nbsnn.sweep(evaluate, params, ...)`` is
``nbsnn.sweep.sweep(evaluate, params, ...)``.
"""

import sys
import types

from .grid import LogUniform, Uniform, grid, point_key, sample
from .results import load_results
from .runner import local_client, sweep

__all__ = [
    "LogUniform", "Uniform", "grid", "load_results", "local_client", "point_key", "sample",
    "sweep",
]


class _CallableModule(types.ModuleType):
    """Module type of `nbsnn.sweep`: calling the package runs `sweep`."""

    def __call__(self, *args, **kwargs):
        """Run `nbsnn.sweep.sweep` (see its docstring)."""
        return sweep(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
