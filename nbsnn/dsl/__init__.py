"""The ``%%snn`` language: a small text format for Nengo networks.

`compile_cell` turns cell text into a `nengo.Network` (an `SnnNetwork`), and
`to_text` prints a network back as cell text. See ``docs/snn_language.md``
for the grammar.
"""

from .compiler import compile_cell
from .errors import SnnSyntaxError
from .expressions import Expression
from .inputs import SliderInput, SliderRangeError
from .network import SnnNetwork
from .parser import parse
from .printer import to_text

__all__ = [
    "compile_cell", "parse", "to_text", "SnnSyntaxError", "SnnNetwork",
    "SliderInput", "SliderRangeError", "Expression",
]
