"""Exceptions raised by nbsnn.

Every nbsnn error derives from `NbsnnError` and, where it fits, from the
built-in exception it refines (the same two-base pattern as Nengo's
``ValidationError(NengoException, ValueError)``), so callers can catch either.
"""

__all__ = [
    "NbsnnError",
    "UnsupportedError",
    "NonFiniteError",
    "PerformanceWarning",
    "ViewError",
    "SessionClosedError",
    "NoEventLoopError",
]


class NbsnnError(Exception):
    """Base class for all nbsnn errors."""


class UnsupportedError(NbsnnError, NotImplementedError):
    """An object or option that nbsnn cannot run; the message says what to use instead."""


class NonFiniteError(NbsnnError, FloatingPointError):
    """A NaN or infinity appeared in the simulation state."""


class PerformanceWarning(UserWarning):
    """A model (or part of it) runs through slow Python code instead of kernels."""


class ViewError(NbsnnError, ValueError):
    """A live view asked of an object it cannot show (the message names the object)."""


class SessionClosedError(NbsnnError, RuntimeError):
    """A live session was used after `LiveSession.close`."""


class NoEventLoopError(NbsnnError, RuntimeError):
    """`LiveSession.play` was called where no asyncio event loop is running."""
