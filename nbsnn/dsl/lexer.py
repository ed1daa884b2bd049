"""Split ``%%snn`` cell text into lines of tokens that keep their positions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import SnnSyntaxError

__all__ = ["Token", "Line", "tokenize"]

_TOKEN = re.compile(
    r"""
    (?P<ws>[ \t]+)
  | (?P<comment>\#.*)
  | (?P<number>(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?)(?P<unit>[A-Za-z_][A-Za-z0-9_]*)?
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<string>"[^"\n]*"|'[^'\n]*')
  | (?P<op>->|\.\.|\*\*|//|==|!=|<=|>=|[=:,()\[\]+\-*/<>.%])
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Token:
    """One token.

    Attributes
    ----------
    kind : str
        ``"name"``, ``"number"``, ``"quantity"`` (a number with a unit such as
        ``5ms``), ``"string"`` (quoted text), ``"op"`` or ``"end"`` (end of line).
    text : str
        The token as written.
    line, column : int
        1-based position of its first character.
    value : float or None
        The number for ``number`` and ``quantity`` tokens.
    unit : str or None
        The unit of a ``quantity`` token.
    """

    kind: str
    text: str
    line: int
    column: int
    value: float | None = None
    unit: str | None = None

    @property
    def end(self) -> int:
        """Column just past the token (1-based)."""
        return self.column + len(self.text)


@dataclass(frozen=True)
class Line:
    """A statement: one source line, or several while a bracket is open.

    ``text`` is the first source line; ``texts`` maps the number of every
    source line the statement spans to its text (for error messages);
    ``unclosed`` is the bracket still open when the cell ended, if any.
    """

    number: int
    indent: int
    tokens: tuple[Token, ...]
    text: str
    texts: dict
    unclosed: Token | None = None

    def source(self, line: int) -> str:
        """The text of source line ``line`` of this statement."""
        return self.texts.get(line, self.text)


def _number(text: str, line: int, column: int, source: str) -> float:
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        raise SnnSyntaxError(
            f"number '{text}' is too large", line, column, source, len(text)
        )
    return value


def tokenize(text: str, first_line: int = 1) -> list[Line]:
    """Turn cell text into a list of `Line`s, skipping blank and comment lines.

    A line that leaves a bracket ``(`` or ``[`` open continues on the next
    lines until it is closed, so long expressions and lists can be wrapped.

    Parameters
    ----------
    text : str
        The cell body.
    first_line : int
        Number given to the first line (2 when the cell starts with a
        ``%%snn`` line), so that errors point at the line the user sees.

    Returns
    -------
    list of Line
        Each line's tokens end with an ``end`` token.

    Raises
    ------
    SnnSyntaxError
        On characters that belong to no token, or tabs in indentation.
    """
    lines = []
    tokens: list[Token] = []
    opened: list[Token] = []
    start = None
    for index, source in enumerate(text.split("\n")):
        number = index + first_line
        source = source.rstrip("\r")
        stripped = source.lstrip(" \t")
        indent_text = source[: len(source) - len(stripped)]
        if start is not None:
            start[3][number] = source
        if not stripped or stripped.startswith("#"):
            continue
        if start is None:
            if "\t" in indent_text:
                col = indent_text.index("\t") + 1
                raise SnnSyntaxError(
                    "tab in indentation", number, col, source, expected="spaces"
                )
            start = (number, len(indent_text), source, {number: source})
        pos = len(indent_text)
        while pos < len(source):
            match = _TOKEN.match(source, pos)
            if match is None:
                hint = ("strings are quoted with \" or ' on one line"
                        if source[pos] in "\"'" else None)
                raise SnnSyntaxError(
                    f"unexpected character {source[pos]!r}", number, pos + 1, source,
                    expected=hint)
            col = pos + 1
            pos = match.end()
            kind = match.lastgroup
            if match.group("ws") is not None or match.group("comment") is not None:
                continue
            if match.group("number") is not None:
                value = _number(match.group("number"), number, col, source)
                unit = match.group("unit")
                kind = "quantity" if unit else "number"
                tokens.append(Token(kind, match.group(0), number, col, value, unit))
                continue
            token = Token(kind, match.group(0), number, col)
            tokens.append(token)
            if kind == "op" and token.text in "([":
                opened.append(token)
            elif kind == "op" and token.text in ")]" and opened:
                opened.pop()
        if opened:
            continue
        tokens.append(Token("end", "", number, len(source) + 1))
        first, indent, first_text, texts = start
        lines.append(Line(first, indent, tuple(tokens), first_text, texts))
        tokens, start = [], None
    if opened:  # the parser reports the bracket left open
        tokens.append(Token("end", "", number, len(source) + 1))
        first, indent, first_text, texts = start
        lines.append(Line(first, indent, tuple(tokens), first_text, texts, opened[-1]))
    return lines
