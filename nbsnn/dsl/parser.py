"""Parse ``%%snn`` cell text into a syntax tree (`nbsnn.dsl.syntax`)."""

from __future__ import annotations

from .errors import SnnSyntaxError, suggest
from .expressions import parse_expression
from .lexer import Line, Token, tokenize
from .syntax import (
    ArrayDef, Assign, Call, Connect, EnsembleDef, InputDef, ListValue,
    NetworkDef, NeuronSpec, Number, Option, ProbeDef, Program, Quantity,
    Range, Ref, Word,
)

__all__ = ["parse", "KEYWORDS", "PROBE_KINDS", "INPUT_CALLS"]

#: Words that start a definition; they cannot name objects.
KEYWORDS = ("ensemble", "input", "network", "probe")
#: What a probe can record.
PROBE_KINDS = ("value", "spikes", "rates", "voltage", "weights")
#: Input signals written as calls (everything else after ``input`` is an expression of t).
INPUT_CALLS = ("step", "piecewise", "white", "slider", "constant", "poisson")

_MAX_DEPTH = 32
_DEFINITIONS = "ensemble, input, network:, probe, 'N x ensemble' or a connection 'a -> b'"


class _Cursor:
    """Walks the tokens of one line."""

    def __init__(self, line: Line) -> None:
        self.line = line
        self.tokens = line.tokens
        self.pos = 0

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
        raise SnnSyntaxError(message, token.line, token.column, self.line.text,
                             max(len(token.text), 1), expected, suggestion)

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
    statements, _ = _block(lines, 0, 0)
    return Program(statements)


def _block(lines: list[Line], index: int, indent: int):
    statements = []
    while index < len(lines):
        line = lines[index]
        if line.indent < indent:
            break
        if line.indent > indent:
            raise SnnSyntaxError(
                "unexpected indentation", line.number, 1, line.text, line.indent or 1,
                expected="the indentation of the enclosing block")
        statement = _statement(_Cursor(line))
        index += 1
        if isinstance(statement, Assign) and isinstance(statement.value, NetworkDef):
            if index >= len(lines) or lines[index].indent <= indent:
                raise SnnSyntaxError(
                    "expected an indented block after 'network:'", line.number,
                    len(line.text.rstrip()) + 1, line.text,
                    expected="the subnetwork's statements, indented")
            statement.value.body, index = _block(lines, index, lines[index].indent)
        statements.append(statement)
    return statements, index


def _statement(c: _Cursor):
    first = c.peek()
    if first.kind == "name" and c.is_op("=", 1):
        if first.text in KEYWORDS:
            c.fail(first, f"'{first.text}' is a keyword and cannot name an object",
                   expected="another name")
        c.next()
        c.next()
        return Assign(first, _definition(c))
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
        c.fail(token, f"unknown definition '{token.text}'", expected=_DEFINITIONS,
               suggestion=suggest(token.text, KEYWORDS))
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
    source = c.line.text[start.column - 1:last.end - 1]
    return parse_expression(source, variable, start.line, start.column, c.line.text)


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
