"""Fixed-size ring buffers holding what the live views draw.

Every view keeps the recent history of what it draws here, so its memory stays
bounded however long it runs, so a paused session can be scrubbed back in time,
and so the Python side never has to read data back from a bokeh
``ColumnDataSource`` (whose ``data`` is not a reliable record in a notebook:
see ``widgets.StreamingBokehModel``).
"""

import numpy as np

__all__ = ["RingBuffer"]


class RingBuffer:
    """A table of named float columns that keeps only its last ``capacity`` rows.

    Parameters
    ----------
    capacity : int
        Maximum number of rows kept; older rows are overwritten.
    columns : sequence of str
        Column names. Every column holds one float64 value per row.

    Examples
    --------
    >>> ring = RingBuffer(3, ["t", "x"])
    >>> ring.extend({"t": [0.0, 1.0, 2.0, 3.0], "x": [5.0, 6.0, 7.0, 8.0]})
    >>> ring.data()["x"].tolist()
    [6.0, 7.0, 8.0]
    """

    def __init__(self, capacity, columns):
        capacity = int(capacity)
        if capacity < 1:
            raise ValueError(f"RingBuffer capacity must be at least 1, got {capacity}")
        self.capacity = capacity
        self.columns = tuple(columns)
        self._store = np.zeros((capacity, len(self.columns)))
        self._start = 0
        self._size = 0
        self.total = 0  # rows ever written, including those overwritten

    def __len__(self):
        return self._size

    def clear(self):
        """Drop every row (``total`` is reset as well)."""
        self._start = 0
        self._size = 0
        self.total = 0

    def extend(self, rows):
        """Append rows given as columns.

        Parameters
        ----------
        rows : dict of str to array_like
            One 1-D sequence per column, all of the same length.
        """
        missing = set(self.columns) - set(rows)
        if missing:
            raise KeyError(f"RingBuffer.extend: missing columns {sorted(missing)}")
        block = np.array([np.asarray(rows[c], dtype=float).ravel() for c in self.columns])
        self.extend_rows(block.T.reshape(-1, len(self.columns)))

    def extend_rows(self, block):
        """Append rows given as a 2-D array, one column per `columns` entry."""
        block = np.asarray(block, dtype=float)
        n = block.shape[0]
        self.total += n
        if n >= self.capacity:
            self._store[:] = block[n - self.capacity :]
            self._start = 0
            self._size = self.capacity
            return
        end = (self._start + self._size) % self.capacity
        first = min(n, self.capacity - end)
        self._store[end : end + first] = block[:first]
        self._store[: n - first] = block[first:]
        overflow = max(0, self._size + n - self.capacity)
        self._start = (self._start + overflow) % self.capacity
        self._size = min(self.capacity, self._size + n)

    def rows(self, last=None):
        """The kept rows (or only the ``last`` ones), oldest first, as a new 2-D array."""
        n = self._size if last is None else min(int(last), self._size)
        idx = (self._start + np.arange(self._size - n, self._size)) % self.capacity
        return self._store[idx]

    def data(self, last=None):
        """The kept rows (or only the ``last`` ones), oldest first, as a dict of new arrays."""
        rows = self.rows(last)
        return {c: rows[:, i].copy() for i, c in enumerate(self.columns)}

    def last(self, column, n=1):
        """Return the last ``n`` values of ``column`` (fewer if not yet written)."""
        return self.rows(n)[:, self.columns.index(column)]
