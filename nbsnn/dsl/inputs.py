"""Input signals that the ``%%snn`` language builds and that code can change live."""

from __future__ import annotations

import numpy as np

from ..exceptions import SliderRangeError

__all__ = ["SliderInput", "SliderRangeError"]


class SliderInput:
    """Output of a node driven by a slider: a value that can change while running.

    ``input slider(-1, 1)`` in a ``%%snn`` cell builds a `nengo.Node` whose
    output is an instance of this class. The node outputs `value` at every
    time step, so anything holding the instance (the live dashboard, or plain
    code between ``sim.run`` calls) can steer the simulation by assigning to
    ``value``.

    Parameters
    ----------
    low, high : float
        Range of the slider; ``low < high``.
    value : float, optional
        Initial value (default: the middle of the range, clipped to 0 if 0
        lies in the range).
    dimensions : int, optional
        Number of outputs; all carry the same value (default 1).

    Attributes
    ----------
    low, high : float
        The range.
    value : float
        The current value; assigning outside ``[low, high]`` raises
        `SliderRangeError`.
    dimensions : int
        Output size of the node.

    Examples
    --------
    >>> import nengo
    >>> slider = SliderInput(-1, 1)
    >>> with nengo.Network():
    ...     node = nengo.Node(slider)
    >>> slider.value = 0.5
    >>> slider(0.0)
    array([0.5])
    """

    def __init__(self, low: float, high: float, value: float | None = None,
                 dimensions: int = 1) -> None:
        low, high = float(low), float(high)
        if not low < high:
            raise SliderRangeError(f"slider needs low < high, got low={low}, high={high}")
        if int(dimensions) < 1:
            raise SliderRangeError(f"slider needs dimensions >= 1, got {dimensions}")
        self.low = low
        self.high = high
        self.dimensions = int(dimensions)
        if value is None:
            value = 0.0 if low <= 0.0 <= high else (low + high) / 2
        self.value = value

    @property
    def value(self) -> float:
        """Current output value."""
        return self._value

    @value.setter
    def value(self, value: float) -> None:
        value = float(value)
        if not self.low <= value <= self.high:
            raise SliderRangeError(
                f"slider value {value} is outside its range [{self.low}, {self.high}]")
        self._value = value

    def __call__(self, t: float) -> np.ndarray:
        """Return the current value (as a vector) whatever the time ``t``."""
        return np.full(self.dimensions, self._value)

    def __repr__(self) -> str:
        return (f"SliderInput(low={self.low}, high={self.high}, value={self._value}, "
                f"dimensions={self.dimensions})")
