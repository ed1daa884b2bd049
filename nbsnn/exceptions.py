"""Exceptions raised by nbsnn.

Every nbsnn error derives from `NbsnnError` and, where it fits, from the
built-in exception it refines (the same two-base pattern as Nengo's
``ValidationError(NengoException, ValueError)``), so callers can catch either.
"""

from nengo.exceptions import SimulationError

__all__ = [
    "ExerciseFailed",
    "GradingError",
    "InvalidArgumentError",
    "NbsnnError",
    "NIRError",
    "NoEventLoopError",
    "NonFiniteError",
    "PerformanceWarning",
    "SessionClosedError",
    "SnnWarning",
    "SweepResultsError",
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
