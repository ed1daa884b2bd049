"""Converters for each family of Keras layers.

Importing this package imports every module in it, and importing a module is what
registers its converters with `nbsnn.convert.Converter` (through the
``@Converter.register`` decorators).
"""

from . import conv, core, merge, normalization, pooling, qcfs  # noqa: F401  (registers)

__all__: list[str] = []
