"""nbsnn: spiking neural networks in Jupyter, on a fast numba backend for Nengo."""

from ._version import __version__
from .simulator import Simulator

__all__ = ["Simulator", "__version__"]
