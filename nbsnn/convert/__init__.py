"""Keras 3 model -> spiking `nengo.Network` conversion (needs the ``keras`` extra).

Importing `nbsnn.convert.layers` registers the layer converters with `Converter`.
"""

from . import layers  # noqa: F401  (registers the layer converters)
from .converter import ConversionError, Converter, LayerConverter, LinearMap, Tensor
from .evaluate import EvaluationResult, evaluate, run_batches
from .qcfs import QCFS, to_qcfs

__all__ = [
    "ConversionError",
    "Converter",
    "EvaluationResult",
    "LayerConverter",
    "LinearMap",
    "QCFS",
    "Tensor",
    "evaluate",
    "run_batches",
    "to_qcfs",
]
