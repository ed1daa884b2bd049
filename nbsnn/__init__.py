"""nbsnn: spiking neural networks in Jupyter, on a fast numba backend for Nengo."""

import sys

from ._version import __version__
from .simulator import Simulator

__all__ = ["Simulator", "load_ipython_extension", "__version__"]


def load_ipython_extension(ipython):
    """Register the ``%%snn`` / ``%snn`` magics (``%load_ext nbsnn``)."""
    from .magics import load_ipython_extension as load

    load(ipython)


if "IPython" in sys.modules:  # ``import nbsnn`` inside IPython registers the magics
    from .magics import register_if_in_ipython

    register_if_in_ipython()
