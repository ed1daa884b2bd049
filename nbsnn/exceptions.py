"""Exceptions raised by nbsnn.

Every nbsnn error derives from `NbsnnError` and, where it fits, from the
built-in exception it refines (the same two-base pattern as Nengo's
``ValidationError(NengoException, ValueError)``), so callers can catch either.
"""

from __future__ import annotations

from nengo.exceptions import SimulationError

__all__ = [
    "ApproximationWarning",
    "BoardUnreachableError",
    "ConversionError",
    "ExerciseFailed",
    "GradingError",
    "InvalidArgumentError",
    "KernelCacheWarning",
    "NbsnnError",
    "NIRError",
    "NoEventLoopError",
    "NonFiniteError",
    "PerformanceWarning",
    "QuantizationWarning",
    "SessionClosedError",
    "SliderRangeError",
    "SnnCellError",
    "SnnSyntaxError",
    "SnnWarning",
    "SubcommandUnavailableError",
    "SweepResultsError",
    "SweepSpaceError",
    "UnsupportedError",
    "ViewError",
]


class NbsnnError(Exception):
    """Base class for all nbsnn errors."""


class UnsupportedError(NbsnnError, NotImplementedError):
    """An object or option that nbsnn cannot run; the message says what to use instead."""


class NonFiniteError(NbsnnError, FloatingPointError, SimulationError):
    """A NaN or infinity appeared in the simulation state (also a Nengo `SimulationError`,
    which Nengo raises for a Node returning one)."""


class InvalidArgumentError(NbsnnError, ValueError):
    """An argument outside what the call can use; the message names it and the valid range."""


class SweepResultsError(NbsnnError, ValueError):
    """A ``results=`` folder that is not a sweep's own; nothing in it was read or changed."""


class ExerciseFailed(NbsnnError, AssertionError):
    """A course exercise's answer is missing or wrong; the message gives a hint, not the answer
    (an `AssertionError`, so nbgrader's autograder scores the check cell as failed)."""


class GradingError(NbsnnError, RuntimeError):
    """An nbgrader command of the course pipeline failed; the message carries its log."""


class PerformanceWarning(UserWarning):
    """A model (or part of it) runs through slow Python code instead of kernels."""


class NIRError(NbsnnError, ValueError):
    """A NIR graph (or a network to export) that nbsnn cannot translate; the message
    names the node or Nengo object and why."""


class SnnWarning(UserWarning):
    """A ``%%snn`` cell that compiles but probably does not mean what it says.

    The message names the line and column, as `nbsnn.dsl.SnnSyntaxError` does.
    """


class ViewError(NbsnnError, ValueError):
    """A live view asked of an object it cannot show (the message names the object)."""


class SessionClosedError(NbsnnError, RuntimeError):
    """A live session was used after `LiveSession.close`."""


class NoEventLoopError(NbsnnError, RuntimeError):
    """`LiveSession.play` was called where no asyncio event loop is running."""


class ConversionError(NbsnnError, TypeError):
    """A Keras layer or option that the converter cannot translate."""


class SweepSpaceError(NbsnnError, ValueError):
    """A parameter space that cannot be enumerated or sampled as asked."""


class BoardUnreachableError(NbsnnError, ConnectionError):
    """The SpiNNaker board at the given host cannot be reached."""

    def __init__(self, host, reason):
        self.host = host
        super().__init__(f"board unreachable at {host}: {reason}")


class SliderRangeError(NbsnnError, ValueError):
    """A slider was set outside its ``[low, high]`` range."""


class SubcommandUnavailableError(NbsnnError, ImportError):
    """A ``%snn`` subcommand whose module or dependencies are not installed."""

    def _render_traceback_(self) -> list[str]:
        return [f"\x1b[31m{type(self).__name__}\x1b[0m: {self}"]


class ApproximationWarning(UserWarning):
    """An object exported to NIR only approximately (``approximate=True``)."""


class QuantizationWarning(UserWarning):
    """Fixed-point weights change a connection's effect noticeably."""


class KernelCacheWarning(UserWarning):
    """The kernel cache was not used, or an entry of it was recompiled."""


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
