"""Value coercion: the option values of a cell turned into Nengo's numbers and objects.

Times need a unit (``5ms``, ``0.1s``; a plain ``0`` is allowed): a plain
number where a time is expected is an error that says which unit was
probably meant. Frequencies and rates are hertz with or without ``Hz``.
Values that compile but are implausible (a synapse or time constant over a
second, ``tau_ref >= tau_rc``) give a located `nbsnn.exceptions.SnnWarning`.
"""

from __future__ import annotations

import dataclasses
import inspect
import warnings

import nengo
import numpy as np

from ..exceptions import SnnWarning
from .errors import SnnSyntaxError, located, suggest
from .lexer import Token
from .syntax import Call, ListValue, Number, Quantity, Range, Text, Word
from .vocabulary import FREQUENCY_UNITS, SOLVERS, TIME_UNITS

__all__ = ["Values", "LONG_TIME", "NENGO_ERRORS"]

#: Synapses and time constants longer than this (seconds) get a warning.
LONG_TIME = 1.0
#: What Nengo raises for values it rejects (reworded with a location by the compiler).
NENGO_ERRORS = (nengo.exceptions.NengoException, ValueError, TypeError, IndexError,
                ArithmeticError)

_SYNAPSES = {"lowpass": nengo.Lowpass, "alpha": nengo.Alpha}
_BOOLEANS = {"True": True, "true": True, "False": False, "false": False}


def _g(value: float) -> str:
    return f"{value:g}"


class Values:
    """Coerce syntax-tree values; mixed into the compiler.

    Needs ``self.text_lines`` (line number -> source text),
    ``self.constant(name)`` (the value node of a named constant, or None) and
    ``self.defined_below(name)`` (the line of a later definition, or None).
    """

    text_lines: dict[int, str]

    # -- messages -----------------------------------------------------------
    def fail(self, token: Token, message, expected=None, suggestion=None, length=None):
        raise SnnSyntaxError(message, token.line, token.column,
                             self.text_lines.get(token.line, ""),
                             length or max(len(token.text), 1), expected, suggestion)

    def warn(self, token: Token, message, expected=None, suggestion=None) -> None:
        lines = located(message, token.line, token.column,
                        self.text_lines.get(token.line, ""), max(len(token.text), 1),
                        expected, suggestion)
        warnings.warn(SnnWarning("\n".join(lines)), stacklevel=2)

    def constant(self, name: str):  # pragma: no cover - provided by the compiler
        raise NotImplementedError

    def defined_below(self, name: str) -> int | None:  # pragma: no cover - as above
        raise NotImplementedError

    def deref(self, value):
        """Return ``(value, word)``: a named constant's value and the name used, if any."""
        if isinstance(value, Word):
            found = self.constant(value.name)
            if found is not None:
                if value.negative and isinstance(found, (Number, Quantity)):
                    found = dataclasses.replace(found, value=-found.value)
                elif value.negative:
                    self.fail(value.token, f"'{value.name}' is not a number to negate")
                return found, value
            below = self.defined_below(value.name)
            if below is not None:
                self.fail(value.token, f"'{value.name}' is defined below, on line {below}",
                          expected=f"'{value.name}' defined before it is used")
            if value.negative:
                self.fail(value.token, f"'{value.name}' is not a constant",
                          expected="a number or the name of a constant defined above")
        return value, None

    # -- options ------------------------------------------------------------
    def option_map(self, options, allowed, what):
        found = {}
        for option in options:
            if option.key not in allowed:
                self.fail(option.token, f"unknown option '{option.key}' for {what}",
                          expected=", ".join(allowed),
                          suggestion=suggest(option.key, allowed))
            if option.key in found:
                self.fail(option.token, f"option '{option.key}' given twice")
            found[option.key] = option.value
        return found

    # -- numbers ------------------------------------------------------------
    def number(self, value, what="a number"):
        value, word = self.deref(value)
        if not isinstance(value, Number):
            token = (word or value).token
            if isinstance(value, Quantity):
                self.fail(token, f"{what} takes no unit", expected=f"a plain number "
                          f"such as {_g(value.value)}")
            self.fail(token, f"expected {what}")
        return float(value.value)

    def integer(self, value, what, low=1):
        number = self.number(value, what)
        if not number.is_integer() or number < low:
            self.fail(value.token, f"{what} must be a whole number >= {low}")
        return int(number)

    def boolean(self, value, what):
        if isinstance(value, Word) and value.name in _BOOLEANS:
            return _BOOLEANS[value.name]
        self.fail(value.token, f"{what} is True or False")

    def text(self, value, what="a label"):
        if not isinstance(value, Text):
            self.fail(value.token, f"{what} is quoted text", expected='"Input A"')
        return value.text

    def time(self, value, what="a time", long=None):
        """Seconds from a time with a unit; ``long`` names what a > 1 s value would be."""
        value, word = self.deref(value)
        token = (word or value).token
        if isinstance(value, Number):
            if value.value == 0:
                return 0.0
            n = _g(value.value)
            guess = f"{n}ms" if abs(value.value) >= 1 else f"{n}s"
            said = f"'{word.name}' is {n}" if word else n
            self.fail(token, f"{what} needs a unit: {said} has none",
                      expected=f"a time such as {n}ms or {n}s", suggestion=guess)
        if isinstance(value, Quantity) and value.unit in TIME_UNITS:
            seconds = value.value / TIME_UNITS[value.unit]
            if long is not None and seconds > LONG_TIME:
                self.warn(token, f"{long} of {_g(seconds)} s is unusually long",
                          suggestion=f"{_g(value.value)}ms" if value.unit == "s" else None,
                          expected="a few ms to a few hundred ms")
            return seconds
        unit = value.unit if isinstance(value, Quantity) else None
        self.fail(token, f"expected {what} such as 5ms or 0.1s",
                  suggestion=suggest(unit, TIME_UNITS) if unit else None)

    def frequency(self, value, what="a frequency"):
        value, word = self.deref(value)
        if isinstance(value, Number):
            return float(value.value)
        if isinstance(value, Quantity) and value.unit in FREQUENCY_UNITS:
            return value.value * FREQUENCY_UNITS[value.unit]
        unit = value.unit if isinstance(value, Quantity) else None
        self.fail((word or value).token, f"expected {what} such as 5Hz",
                  suggestion=suggest(unit, FREQUENCY_UNITS) if unit else None)

    # -- arrays and distributions -----------------------------------------
    def array(self, value, what="a number or a list of numbers", depth=0):
        value, _ = self.deref(value)
        if isinstance(value, ListValue):
            rows = [self.array(item, what, depth + 1) for item in value.items]
            if len({np.shape(r) for r in rows}) > 1:
                self.fail(value.token, "rows of a matrix must have the same length")
            return np.array(rows, dtype=float)
        return self.number(value, what)

    def vector(self, value):
        data = np.atleast_1d(self.array(value, "a number or a list of numbers"))
        if data.ndim != 1:
            self.fail(value.token, "expected a number or a flat list of numbers")
        return data

    def distribution(self, value, what, convert):
        value, _ = self.deref(value)
        if isinstance(value, Range):
            low, high = convert(value.low, what), convert(value.high, what)
            if not low < high:
                self.fail(value.token, f"{what} range needs low < high")
            return nengo.dists.Uniform(low, high)
        if isinstance(value, Call) and value.name in ("uniform", "choice"):
            if value.kwargs or value.pairs or not value.args:
                self.fail(value.token, f"{value.name}() takes values only",
                          expected="uniform(LOW, HIGH) or choice(A, B, ...)")
            if value.name == "uniform":
                if len(value.args) != 2:
                    self.fail(value.token, "uniform() takes a low and a high value")
                return self.distribution(Range(*value.args, value.token), what, convert)
            options = [self.array(v) for v in value.args]
            if len({np.shape(o) for o in options}) > 1:
                self.fail(value.token, "choice() values must all have the same size")
            return nengo.dists.Choice(np.array(options, dtype=float))
        return nengo.dists.Choice([convert(value, what)])

    # -- Nengo objects -----------------------------------------------------
    def synapse(self, value, what="synapse"):
        value, word = self.deref(value)
        if isinstance(value, Word) and value.name == "none":
            return None
        if isinstance(value, Call):
            if value.name not in _SYNAPSES:
                self.fail(value.token, f"unknown synapse '{value.name}'",
                          expected="a time like 5ms, none, lowpass(5ms) or alpha(5ms)",
                          suggestion=suggest(value.name, _SYNAPSES))
            if len(value.args) != 1 or value.kwargs or value.pairs:
                self.fail(value.token, f"{value.name}() takes one time constant")
            tau = self.time(value.args[0], "a time constant", long="a synapse")
            return _SYNAPSES[value.name](tau)
        return nengo.Lowpass(self.time(word or value, "a synapse time constant",
                                       long="a synapse"))

    def solver(self, value):
        if not isinstance(value, (Call, Word)) or value.name not in SOLVERS:
            name = getattr(value, "name", None)
            self.fail(value.token, "unknown solver", expected="one of " + ", ".join(SOLVERS),
                      suggestion=suggest(name, SOLVERS) if name else None)
        cls = SOLVERS[value.name]
        if isinstance(value, Word):
            return cls()
        if value.args or value.pairs:
            self.fail(value.token, f"{value.name}() takes key=value arguments",
                      expected=f"{value.name}(weights=True)")
        params = {p: v for p, v in inspect.signature(cls).parameters.items()
                  if v.default is not inspect.Parameter.empty
                  and isinstance(v.default, (bool, int, float))}
        options = self.option_map(value.kwargs, list(params), f"{value.name}()")
        kwargs = {key: self.boolean(v, key) if isinstance(params[key].default, bool)
                  else self.number(v, key) for key, v in options.items()}
        try:
            return cls(**kwargs)
        except NENGO_ERRORS as err:
            self.fail(value.token, f"invalid {value.name} arguments: {err}")
