"""Keras 3 model -> spiking `nengo.Network` conversion (needs the ``keras`` extra).

Importing `nbsnn.convert.layers` registers the layer converters with `Converter`.
"""

from ._tensorflow import import_keras

import_keras()  # before anything imports keras: no TensorFlow start-up logs in notebooks

from . import layers  # noqa: F401  (registers the layer converters)
from .batches import run_batches
from .calibration import calibrate_biases
from .converter import ConversionError, Converter, LayerConverter, LinearMap, Tensor
from .evaluate import EvaluationResult, evaluate
from .qcfs import QCFS, to_qcfs

__all__ = [
    "QCFS",
    "ConversionError",
    "Converter",
    "EvaluationResult",
    "LayerConverter",
    "LinearMap",
    "Tensor",
    "calibrate_biases",
    "evaluate",
    "run_batches",
    "to_qcfs",
]
