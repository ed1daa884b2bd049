"""nbsnn: spiking neural networks in Jupyter, on a fast numba backend for Nengo."""

import sys

from ._version import __version__
from .backend.node_config import add_params
from .simulator import Simulator

__all__ = [
    "Converter", "Dashboard", "Simulator", "add_params", "load_ipython_extension", "sweep",
    "__version__",
]


def _jupyter_labextension_paths():
    """Where ``jupyter labextension develop`` finds the prebuilt extension."""
    return [{"src": "labextension", "dest": "nbsnn"}]


def __getattr__(name):
    """Import optional parts on first use (bokeh, ipywidgets, TensorFlow, Dask)."""
    if name == "Dashboard":
        from .dashboard import Dashboard

        return Dashboard
    if name == "Converter":  # TensorFlow takes seconds to import
        from .convert import Converter

        return Converter
    if name == "sweep":  # a callable package: nbsnn.sweep(evaluate, params, ...)
        import importlib

        return importlib.import_module(".sweep", __name__)
    raise AttributeError(f"module 'nbsnn' has no attribute {name!r}")


def load_ipython_extension(ipython):
    """Register the ``%%snn`` / ``%snn`` magics (``%load_ext nbsnn``)."""
    from .magics import load_ipython_extension as load

    load(ipython)


if "IPython" in sys.modules:  # ``import nbsnn`` inside IPython registers the magics
    from .magics import register_if_in_ipython

    register_if_in_ipython()
