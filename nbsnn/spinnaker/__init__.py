"""Run Nengo networks on SpiNNaker (sPyNNaker) and NEST through PyNN.

PyNN, sPyNNaker and NEST are imported only inside the functions that need them
(``pip install 'nbsnn[spinnaker]'``).

- `export`: ``nengo.Network`` -> backend-neutral `NetworkDescription`.
- `push`: map on SpiNNaker (``virtual=True`` for the virtual board) and run on a board.
- `run_nest`: run the same description on NEST and decode the probes.
"""

from .board import BoardUnreachableError
from .description import NetworkDescription
from .export import export
from .nest import run_nest
from .push import PushResult, push
from .quantize import QuantizationWarning

__all__ = [
    "BoardUnreachableError",
    "NetworkDescription",
    "PushResult",
    "QuantizationWarning",
    "export",
    "push",
    "run_nest",
]
