"""Errors of the ``%%snn`` language, located at a line and column of the cell."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from ..exceptions import NbsnnError

__all__ = ["SnnSyntaxError", "SnnCellError", "suggest", "located"]


def suggest(word: str, candidates: Iterable[str]) -> str | None:
    """Return the candidate closest to ``word`` (a likely misspelling), if any.

    Parameters
    ----------
    word : str
        The word the user typed.
    candidates : iterable of str
        The words that would have been valid at that place.

    Returns
    -------
    str or None
        The closest candidate, compared case-insensitively, or None when no
        candidate is close enough.
    """
    candidates = list(candidates)
    lowered = {c.lower(): c for c in candidates}
    if word.lower() in lowered and lowered[word.lower()] != word:
        return lowered[word.lower()]
    matches = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[matches[0]] if matches else None


def located(message: str, line: int, column: int, text: str, length: int = 1,
            expected: str | None = None, suggestion: str | None = None) -> list[str]:
    """Lay out a message about a place in a cell: location, source line, caret, hints."""
    text = (text or "").rstrip("\n")
    out = [f"line {line}, column {column}: {message}", "    " + text,
           "    " + " " * (column - 1) + "^" * max(1, length)]
    if suggestion:
        out.append(f"did you mean '{suggestion}'?")
    if expected:
        out.append(f"expected {expected}")
    return out


class SnnSyntaxError(NbsnnError, SyntaxError):
    """A ``%%snn`` cell that cannot be turned into a network.

    Parameters
    ----------
    message : str
        What is wrong.
    line : int
        Line number (1-based) in the cell.
    column : int
        Column (1-based) of the offending token.
    text : str
        The source line.
    length : int, optional
        Width of the offending token (number of carets).
    expected : str, optional
        What would have been valid at that place.
    suggestion : str, optional
        A likely intended word ("did you mean ...?").

    Attributes
    ----------
    line, column, length, expected, suggestion
        As given; ``lineno``, ``offset`` and ``text`` are also set as on any
        `SyntaxError`, so IPython and `traceback` show the caret.
    """

    def __init__(
        self,
        message: str,
        line: int,
        column: int,
        text: str,
        length: int = 1,
        expected: str | None = None,
        suggestion: str | None = None,
    ) -> None:
        self.message = message
        self.line = line
        self.column = column
        self.length = max(1, length)
        self.expected = expected
        self.suggestion = suggestion
        full = message
        if suggestion:
            full += f"; did you mean '{suggestion}'?"
        if expected:
            full += f" (expected {expected})"
        super().__init__(
            full, ("<snn>", line, column, text, line, column + self.length)
        )

    def __reduce__(self):
        args = (self.message, self.line, self.column, self.text, self.length)
        return (type(self), args + (self.expected, self.suggestion))

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def lines(self) -> list[str]:
        """Return the message as lines: location, source line, caret, hint."""
        return located(self.message, self.line, self.column, self.text, self.length,
                       self.expected, self.suggestion)


class SnnCellError(NbsnnError):
    """A ``%%snn`` cell failed: IPython shows only the located message.

    Raised by the magics in place of `SnnSyntaxError`, because IPython
    renders every `SyntaxError` subclass with the call stack of the magic.
    This class renders as the short located message instead (through the
    ``_render_traceback_`` hook that IPython and ipykernel honour).

    Parameters
    ----------
    error : Exception
        The underlying error, kept as ``error``.
    """

    def __init__(self, error: Exception) -> None:
        self.error = error
        super().__init__(str(error))

    def _render_traceback_(self) -> list[str]:
        red, reset = "\x1b[31m", "\x1b[0m"
        name = type(self.error).__name__
        lines = str(self.error).splitlines() or [""]
        return [f"{red}{name}{reset}: {lines[0]}", *lines[1:]]
