"""Syntax tree of the ``%%snn`` language.

Every node keeps the `Token` it starts at, so the compiler can point errors
at the right line and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .expressions import Expression
from .lexer import Token

__all__ = [
    "Number", "Quantity", "Range", "Word", "Text", "ListValue", "Call", "Value",
    "Option", "Ref", "NeuronSpec", "EnsembleDef", "ArrayDef", "InputDef",
    "NetworkDef", "LibraryDef", "ConstantDef", "Connect", "ProbeDef", "Assign",
    "Statement", "Program",
]


@dataclass
class Number:
    """A plain number, e.g. ``-0.5``."""

    value: float
    token: Token


@dataclass
class Quantity:
    """A number with a unit, e.g. ``5ms`` or ``10Hz``."""

    value: float
    unit: str
    token: Token


@dataclass
class Range:
    """A uniform range ``low..high``."""

    low: Number
    high: Number
    token: Token


@dataclass
class Word:
    """A bare name used as a value, e.g. ``none``, an object or a constant (``-gain``)."""

    name: str
    token: Token
    negative: bool = False


@dataclass
class Text:
    """Quoted text, e.g. ``"Input A"`` (labels)."""

    text: str
    token: Token


@dataclass
class ListValue:
    """A list ``[a, b, ...]`` of values (nested for matrices)."""

    items: list
    token: Token


@dataclass
class Call:
    """A call ``name(arg, key=value, t: v)`` as used by inputs, synapses, rules."""

    name: str
    token: Token
    args: list = field(default_factory=list)
    kwargs: list = field(default_factory=list)
    pairs: list = field(default_factory=list)


Value = Number | Quantity | Range | Word | Text | ListValue | Call


@dataclass
class Option:
    """A ``key=value`` option."""

    key: str
    value: Value
    token: Token


@dataclass
class Ref:
    """A reference to an object: ``a``, ``sub.a``, ``a.neurons``, ``a[0]``, ``a[1:3]``."""

    parts: list[Token]
    token: Token
    neurons: bool = False
    index: int | slice | None = None

    @property
    def dotted(self) -> str:
        """The dotted name without ``.neurons`` or index."""
        return ".".join(t.text for t in self.parts)


@dataclass
class NeuronSpec:
    """A neuron type with optional parameters: ``LIF`` or ``LIF(tau_rc=20ms)``."""

    name: str
    token: Token
    options: list[Option] = field(default_factory=list)


@dataclass
class EnsembleDef:
    """``ensemble N [TYPE] options``."""

    n_neurons: int
    neuron: NeuronSpec | None
    options: list[Option]
    token: Token


@dataclass
class ArrayDef:
    """``COUNT x ensemble ...``: an array of identical ensembles."""

    count: int
    ensemble: EnsembleDef
    token: Token


@dataclass
class InputDef:
    """``input ...``: an expression of ``t`` or a call such as ``step(...)``."""

    token: Token
    expression: Expression | None = None
    call: Call | None = None
    options: list[Option] = field(default_factory=list)


@dataclass
class NetworkDef:
    """``network:`` followed by an indented block."""

    body: list
    token: Token


@dataclass
class LibraryDef:
    """``Name(args)``: a network of Nengo's library, e.g. ``BasalGanglia(dims=3)``."""

    call: Call
    options: list[Option]
    token: Token


@dataclass
class ConstantDef:
    """``NAME = value``: a named constant such as ``tau = 100ms``."""

    value: Value
    token: Token


@dataclass
class Connect:
    """``pre -> post [: function] options``."""

    pre: Ref
    post: Ref
    function: Expression | None
    options: list[Option]
    token: Token
    function_token: Token | None = None


@dataclass
class ProbeDef:
    """``probe target [value|spikes|voltage|weights] options``."""

    target: Ref
    kind: str
    options: list[Option]
    token: Token


@dataclass
class Assign:
    """``name = definition``."""

    name: Token
    value: (EnsembleDef | ArrayDef | InputDef | NetworkDef | LibraryDef | ConstantDef
            | Connect | ProbeDef)


Statement = Assign | Connect | ProbeDef


@dataclass
class Program:
    """A whole cell: a list of statements."""

    statements: list
