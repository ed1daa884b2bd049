"""Run Nengo networks on SpiNNaker (sPyNNaker) and NEST through PyNN.

PyNN, sPyNNaker and NEST are imported only inside the functions that need them
(``pip install 'nbsnn[spinnaker]'``).
"""

from .export import export
from .nest import run_nest

__all__ = ["export", "run_nest"]
