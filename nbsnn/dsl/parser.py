"""Parse ``%%snn`` cell text into a syntax tree (`nbsnn.dsl.syntax`)."""

from __future__ import annotations

import numpy as np

from .errors import SnnSyntaxError, suggest
from .expressions import parse_expression
from .lexer import Line, Token, tokenize
from .syntax import (
    ArrayDef, Assign, Call, ConstantDef, Connect, EnsembleDef, InputDef,
    LibraryDef, ListValue, NetworkDef, NeuronSpec, Number, Option, ProbeDef,
    Program, Quantity, Range, Ref, Text, Word,
)
from .vocabulary import FREQUENCY_UNITS, PYTHON_HINTS, PYTHON_WORDS, TIME_UNITS

__all__ = ["parse", "KEYWORDS", "PROBE_KINDS", "INPUT_CALLS"]

#: Words that start a definition; they cannot name objects.
KEYWORDS = ("ensemble", "input", "network", "probe")
#: What a probe can record.
PROBE_KINDS = ("value", "spikes", "rates", "voltage", "weights")
#: Input signals written as calls (everything else after ``input`` is an expression of t).
INPUT_CALLS = ("step", "piecewise", "white", "slider", "constant", "passthrough", "poisson")

_MAX_DEPTH = 32
_DEFINITIONS = ("ensemble, input, network:, probe, 'N x ensemble', a library network such "
                "as BasalGanglia(dims=3), a constant such as 100ms, or a connection 'a -> b'")


class _Cursor:
    """Walks the tokens of one line."""

    def __init__(self, line: Line, constants) -> None:
        self.line = line
        self.tokens = line.tokens
        self.pos = 0
        self.constants = constants

    def peek(self, ahead: int = 0) -> Token:
        return self.tokens[min(self.pos + ahead, len(self.tokens) - 1)]

    def next(self) -> Token:
        token = self.peek()
        self.pos = min(self.pos + 1, len(self.tokens) - 1)
        return token

    def is_op(self, text: str, ahead: int = 0) -> bool:
        token = self.peek(ahead)
        return token.kind == "op" and token.text == text

    def is_option(self) -> bool:
        return self.peek().kind == "name" and self.is_op("=", 1)

    def fail(self, token: Token, message: str, expected=None, suggestion=None):
        raise SnnSyntaxError(message, token.line, token.column,
                             self.line.source(token.line), max(len(token.text), 1),
                             expected, suggestion)

    def unexpected(self, expected: str, suggestion=None):
        token = self.peek()
        what = "end of line" if token.kind == "end" else f"'{token.text}'"
        self.fail(token, f"unexpected {what}", expected, suggestion)

    def expect_op(self, text: str, expected: str | None = None) -> Token:
        if not self.is_op(text):
            self.unexpected(expected or f"'{text}'")
        return self.next()

    def expect_end(self, expected: str = "end of line") -> None:
        if self.peek().kind != "end":
            self.unexpected(expected)


def parse(text: str, first_line: int = 1) -> Program:
    """Parse a cell into a `Program`.

    Parameters
    ----------
    text : str
        The cell body (without the ``%%snn`` line).
    first_line : int
        Line number of the first body line, for error messages.

    Returns
    -------
    Program

    Raises
    ------
    SnnSyntaxError
        At the first token that does not fit the grammar.
    """
    lines = tokenize(text, first_line)
    assigned = {}
    for line in lines:
        first = line.tokens[0]
        if first.kind == "name" and len(line.tokens) > 1 and line.tokens[1].text == "=":
            assigned.setdefault(first.text, line.number)
    statements, _ = _block(lines, 0, 0, _Constants(assigned))
    return Program(statements)


class _Constants(dict):
    """Constants defined so far (name -> number); ``assigned`` knows every name of the cell."""

    def __init__(self, assigned: dict[str, int]) -> None:
        super().__init__()
        self.assigned = assigned


def _block(lines: list[Line], index: int, indent: int, constants: _Constants):
    statements = []
    while index < len(lines):
        line = lines[index]
        if line.indent < indent:
            break
        if line.indent > indent:
            raise SnnSyntaxError(
                "unexpected indentation", line.number, 1, line.text, line.indent or 1,
                expected="the indentation of the enclosing block")
        statement = _statement(_Cursor(line, constants))
        index += 1
        if isinstance(statement, Assign) and isinstance(statement.value, NetworkDef):
            if index >= len(lines) or lines[index].indent <= indent:
                raise SnnSyntaxError(
                    "expected an indented block after 'network:'", line.number,
                    len(line.text.rstrip()) + 1, line.text,
                    expected="the subnetwork's statements, indented")
            statement.value.body, index = _block(lines, index, lines[index].indent,
                                                 constants)
        statements.append(statement)
    return statements, index


def _python(c: _Cursor) -> None:
    """Fail with the ``%%snn`` way when the line is written in Python."""
    tokens = c.tokens
    first = tokens[0]
    for i, token in enumerate(tokens[:-2]):
        if token.kind == "name" and token.text == "nengo" and tokens[i + 1].text == ".":
            name = tokens[i + 2].text
            hint = PYTHON_HINTS.get(name, PYTHON_HINTS["nengo"])
            c.fail(token, f"'nengo.{name}' is Python; %%snn writes it differently",
                   expected=hint)
    if first.kind == "name" and first.text in PYTHON_WORDS:
        c.fail(first, f"'{first.text}' is Python, not %%snn",
               expected=PYTHON_WORDS[first.text])


def _statement(c: _Cursor):
    _python(c)
    token = c.line.unclosed
    if token is not None:
        c.fail(token, f"'{token.text}' is never closed",
               expected="')'" if token.text == "(" else "']'")
    first = c.peek()
    if first.kind == "name" and c.is_op("=", 1):
        if first.text in KEYWORDS:
            c.fail(first, f"'{first.text}' is a keyword and cannot name an object",
                   expected="another name")
        c.next()
        c.next()
        statement = Assign(first, _definition(c))
        if isinstance(statement.value, ConstantDef):
            number = _constant_number(statement.value.value)
            if number is not None:
                c.constants[first.text] = number
        return statement
    if first.kind == "name" and first.text == "probe":
        return _probe(c)
    if first.kind == "name" and first.text in KEYWORDS:
        c.fail(first, f"a {first.text} needs a name",
               expected=f"NAME = {first.text} ...")
    if first.kind == "name" and (c.is_op("->", 1) or c.is_op(".", 1) or c.is_op("[", 1)):
        return _connection(c)
    if first.kind == "name":
        guess = suggest(first.text, KEYWORDS)
        if guess:
            c.fail(first, f"unknown statement '{first.text}'",
                   expected="'NAME = ...', 'probe ...' or 'a -> b'", suggestion=guess)
        c.next()
        c.unexpected("'=' (to define a name) or '->' (to connect)")
    c.unexpected("a statement: 'NAME = ...', 'probe ...' or 'a -> b'")


def _definition(c: _Cursor):
    token = c.peek()
    if token.kind == "name":
        if token.text == "ensemble":
            return _ensemble(c)
        if token.text == "input":
            return _input(c)
        if token.text == "probe":
            return _probe(c)
        if token.text == "network":
            c.next()
            c.expect_op(":", "':' (the subnetwork's statements follow, indented)")
            c.expect_end()
            return NetworkDef([], token)
        if c.is_op("->", 1) or c.is_op(".", 1) or c.is_op("[", 1):
            return _connection(c)
        if c.is_op("(", 1):
            call = _value(c, 0)
            return LibraryDef(call, _options(c), token)
        c.fail(token, f"unknown definition '{token.text}'", expected=_DEFINITIONS,
               suggestion=suggest(token.text, KEYWORDS))
    is_array = token.kind == "quantity" and token.unit == "x" or (
        token.kind == "number" and c.peek(1).kind == "name" and c.peek(1).text == "x")
    if token.kind in ("number", "quantity", "op") and not is_array:
        start = c.pos
        value = _value(c, 0)
        if c.peek().kind != "end" and isinstance(value, Number | Word):
            c.pos = start
            value = _constant_expression(c, token)
        c.expect_end("end of line (a constant is one value, such as tau = 100ms)")
        return ConstantDef(value, token)
    if token.kind in ("number", "quantity"):
        count = _integer(c, "the number of ensembles")
        if token.kind == "quantity":
            if token.unit != "x":
                c.fail(token, f"unexpected unit '{token.unit}'", expected="'N x ensemble ...'")
        elif c.peek().kind == "name" and c.peek().text == "x":
            c.next()
        else:
            c.unexpected("'x' as in '4 x ensemble 50 LIF'")
        if not (c.peek().kind == "name" and c.peek().text == "ensemble"):
            c.unexpected("'ensemble' as in '4 x ensemble 50 LIF'")
        return ArrayDef(count, _ensemble(c), token)
    c.unexpected(_DEFINITIONS)


def _constant_expression(c: _Cursor, token: Token) -> Number:
    """A unit-less constant written as arithmetic, e.g. ``beta = 8 / 3``."""
    expression = _expression(c, "t")
    if expression.uses_variable:
        c.fail(token, "a constant cannot depend on t", expected="numbers and constants")
    value = np.asarray(expression(), dtype=float)
    if value.ndim != 0 or not np.isfinite(value):
        c.fail(token, "a constant must be one finite number",
               expected="e.g. beta = 8 / 3")
    return Number(float(value), token)


def _constant_number(value) -> float | None:
    """The value of a constant in expressions (seconds, hertz or a plain number)."""
    if isinstance(value, Number):
        return value.value
    if isinstance(value, Quantity) and value.unit in TIME_UNITS:
        return value.value / TIME_UNITS[value.unit]
    if isinstance(value, Quantity) and value.unit in FREQUENCY_UNITS:
        return value.value * FREQUENCY_UNITS[value.unit]
    return None


def _integer(c: _Cursor, what: str) -> int:
    token = c.peek()
    if token.kind not in ("number", "quantity") or not float(token.value).is_integer():
        c.unexpected(f"{what} (a whole number)")
    if token.value < 1:
        c.fail(token, f"{what} must be at least 1")
    if token.value > 10**8:
        c.fail(token, f"{what} is too large")
    c.next()
    return int(token.value)


def _ensemble(c: _Cursor) -> EnsembleDef:
    token = c.next()
    if c.peek().kind != "number":
        c.unexpected("the number of neurons, as in 'ensemble 100 LIF'")
    n_neurons = _integer(c, "the number of neurons")
    neuron = None
    if c.peek().kind == "name" and not c.is_op("=", 1):
        name = c.next()
        options = []
        if c.is_op("("):
            c.next()
            while not c.is_op(")"):
                if not c.is_option():
                    c.unexpected("a neuron parameter such as tau_rc=20ms, or ')'")
                options.append(_option(c, 0))
                if not c.is_op(")"):
                    c.expect_op(",", "',' or ')'")
            c.next()
        neuron = NeuronSpec(name.text, name, options)
    return EnsembleDef(n_neurons, neuron, _options(c), token)


def _input(c: _Cursor) -> InputDef:
    token = c.next()
    head = c.peek()
    if head.kind == "name" and head.text == "constant" and not c.is_op("(", 1):
        c.next()
        expression = _expression(c, "t")
        if expression.uses_variable:
            c.fail(head, "a constant input cannot depend on t",
                   expected="a number or list, or drop 'constant'")
        return InputDef(token, expression=expression, options=_options(c))
    if head.kind == "name" and head.text in INPUT_CALLS and c.is_op("(", 1):
        call = _value(c, 0)
        return InputDef(token, call=call, options=_options(c))
    return InputDef(token, expression=_expression(c, "t"), options=_options(c))


def _expression(c: _Cursor, variable: str):
    start = c.peek()
    depth = 0
    last = None
    while c.peek().kind != "end":
        token = c.peek()
        if depth == 0 and c.is_option():
            break
        if token.kind == "op" and token.text in "([":
            depth += 1
        elif token.kind == "op" and token.text in ")]":
            depth -= 1
        last = c.next()
    if last is None:
        what = "a function of x, such as x**2" if variable == "x" else \
            "a signal: a number, an expression of t, step(...), piecewise(...), " \
            "white(...) or slider(...)"
        c.unexpected(what)
    line = c.line
    if start.line == last.line:
        source = line.source(start.line)[start.column - 1:last.end - 1]
    else:
        parts = [line.source(start.line)[start.column - 1:]]
        parts += [line.source(n) if n in line.texts else ""
                  for n in range(start.line + 1, last.line)]
        parts.append(line.source(last.line)[:last.end - 1])
        source = "\n".join(parts)
    below = {name: n for name, n in c.constants.assigned.items() if n > line.number}
    return parse_expression(source, variable, start.line, start.column,
                            line.source(start.line), texts=line.texts,
                            constants=c.constants, below=below)


def _connection(c: _Cursor) -> Connect:
    pre = _ref(c)
    arrow = c.expect_op("->", "'->' as in 'a -> b'")
    post = _ref(c)
    function = function_token = None
    if c.is_op(":"):
        c.next()
        function_token = c.peek()
        function = _expression(c, "x")
    return Connect(pre, post, function, _options(c), arrow, function_token)


def _ref(c: _Cursor) -> Ref:
    first = c.peek()
    if first.kind != "name":
        c.unexpected("the name of an object")
    parts = [c.next()]
    neurons = False
    while c.is_op("."):
        c.next()
        if c.peek().kind != "name":
            c.unexpected("a name after '.'")
        part = c.next()
        if part.text == "neurons":
            neurons = True
            break
        parts.append(part)
    ref = Ref(parts, first, neurons)
    if c.is_op("["):
        c.next()
        start = _signed_int(c) if not c.is_op(":") else None
        if c.is_op(":"):
            c.next()
            stop = _signed_int(c) if not c.is_op("]") else None
            ref.index = slice(start, stop)
        else:
            ref.index = start
        c.expect_op("]", "']'")
    return ref


def _signed_int(c: _Cursor) -> int:
    sign = 1
    if c.is_op("-"):
        c.next()
        sign = -1
    token = c.peek()
    if token.kind != "number" or not float(token.value).is_integer() or token.value > 2**31:
        c.unexpected("a whole number index")
    c.next()
    return sign * int(token.value)


def _probe(c: _Cursor) -> ProbeDef:
    token = c.next()
    target = _ref(c)
    kind = "value"
    if c.peek().kind == "name" and not c.is_option():
        word = c.next()
        if word.text not in PROBE_KINDS:
            c.fail(word, f"unknown probe kind '{word.text}'",
                   expected=", ".join(PROBE_KINDS), suggestion=suggest(word.text, PROBE_KINDS))
        kind = word.text
    return ProbeDef(target, kind, _options(c), token)


def _options(c: _Cursor) -> list[Option]:
    options = []
    while c.peek().kind != "end":
        if not c.is_option():
            c.unexpected("an option such as synapse=5ms, or end of line")
        options.append(_option(c, 0))
    return options


def _option(c: _Cursor, depth: int) -> Option:
    key = c.next()
    c.next()  # '='
    return Option(key.text, _value(c, depth + 1), key)


def _value(c: _Cursor, depth: int):
    if depth > _MAX_DEPTH:
        c.fail(c.peek(), "value is nested too deeply")
    token = c.peek()
    if token.kind in ("number", "quantity") or (token.kind == "op" and token.text in "+-"):
        value = _signed_number(c)
        if c.is_op(".."):
            c.next()
            return Range(value, _signed_number(c), value.token)
        return value
    if token.kind == "name":
        c.next()
        if c.is_op("("):
            return _call(c, token, depth)
        return Word(token.text, token)
    if token.kind == "string":
        c.next()
        return Text(token.text[1:-1], token)
    if token.kind == "op" and token.text == "[":
        c.next()
        items = []
        while not c.is_op("]"):
            items.append(_value(c, depth + 1))
            if not c.is_op("]"):
                c.expect_op(",", "',' or ']'")
        c.next()
        if not items:
            c.fail(token, "empty list", expected="[value, ...]")
        return ListValue(items, token)
    c.unexpected("a value: a number, a time like 5ms, a range like 40..60, "
                 "a list [..], a name or a call like alpha(5ms)")


def _signed_number(c: _Cursor):
    sign = c.peek()
    negative = False
    if sign.kind == "op" and sign.text in "+-":
        c.next()
        negative = sign.text == "-"
    token = c.peek()
    if token.kind == "name" and sign is not token and not c.is_op("(", 1):
        c.next()
        return Word(token.text, sign, negative)
    if token.kind not in ("number", "quantity"):
        c.unexpected("a number")
    c.next()
    value = -token.value if negative else token.value
    start = sign if sign is not token else token
    if token.kind == "number":
        return Number(value, start)
    return Quantity(value, token.unit, start)


def _call(c: _Cursor, name: Token, depth: int) -> Call:
    call = Call(name.text, name)
    c.next()  # '('
    while not c.is_op(")"):
        if c.is_option():
            call.kwargs.append(_option(c, depth))
        else:
            if call.kwargs:
                c.unexpected("another key=value argument (positional ones come first)")
            value = _value(c, depth + 1)
            if c.is_op(":"):
                c.next()
                call.pairs.append((value, _value(c, depth + 1)))
            else:
                call.args.append(value)
        if not c.is_op(")"):
            c.expect_op(",", "',' or ')'")
    c.next()
    return call
