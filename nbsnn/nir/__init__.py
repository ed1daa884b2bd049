"""NIR (Neuromorphic Intermediate Representation) import and export.

`load` turns a ``nir.NIRGraph`` (or a ``.nir`` file) into a `nengo.Network` of
neuron-space connections and NIR neuron types (`nbsnn.nir.neurons`); `export` turns
a neuron-space network (or a Keras `~nbsnn.Converter`) into a ``nir.NIRGraph``.
The ``nir`` package (``pip install 'nbsnn[nir]'``) is imported only when needed.
See ``docs/nir.md``.
"""

from .export import export
from .load import load, run
from .neurons import (
    NIRIF, NIRLI, NIRLIF, NIRCubaLI, NIRCubaLIF, NIRIntegrator, NIRNeuron, NIRThreshold,
)

__all__ = [
    "load", "export", "run", "NIRIF", "NIRLI", "NIRLIF", "NIRCubaLI", "NIRCubaLIF",
    "NIRIntegrator", "NIRNeuron", "NIRThreshold",
]
