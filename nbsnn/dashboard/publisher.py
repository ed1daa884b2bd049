"""Browser flow control: send a chunk to the views only while the browser keeps up.

A session's first time plot reports back the last simulated time the browser
has drawn (`Publisher.drawn`; one reporter per session, since every report is a
message back to the kernel that the page pays for too). While any reporting view has `MAX_FRAMES_IN_FLIGHT`
frames sent but not drawn, the publisher holds frames back: the views keep the
new rows in their ring buffers only, and send them in one piece when the
browser has caught up (or when forced, e.g. on pause). A slow browser or a
hidden tab therefore never builds up a backlog; with no reporting view (not
displayed, or no browser), nothing is held back.
"""

import collections
import time

__all__ = ["MAX_FRAMES_IN_FLIGHT", "STALE_AFTER", "Publisher"]

MAX_FRAMES_IN_FLIGHT = 4
STALE_AFTER = 3.0  # seconds without a report after which a view no longer counts


class Publisher:
    """Deliver each chunk's rows to the views, holding frames back for a slow browser.

    Attributes
    ----------
    frames_held : int
        Frames kept back so far because the browser was behind.
    """

    def __init__(self, max_in_flight=MAX_FRAMES_IN_FLIGHT):
        self.max_in_flight = int(max_in_flight)
        self.frames_held = 0
        self.holding = False
        self._sent = {}  # id(view) -> deque of the last times sent
        self._drawn = {}  # id(view) -> (last time drawn, wall time of the report)

    def drawn(self, view, t):
        """Note that ``view``'s browser copy has drawn up to simulated time ``t``."""
        self._drawn[id(view)] = (float(t), time.monotonic())

    def forget(self, view):
        """Stop tracking ``view`` (closed)."""
        self._sent.pop(id(view), None)
        self._drawn.pop(id(view), None)

    def clear(self):
        """Forget what was sent and drawn (after a reset)."""
        self.holding = False
        self._sent.clear()
        self._drawn.clear()

    def busy(self):
        """Whether a reporting view has too many frames sent but not drawn."""
        now = time.monotonic()
        for key, (drawn, reported) in list(self._drawn.items()):
            if now - reported > STALE_AFTER and self.holding:
                del self._drawn[key]  # that view is no longer on screen
                continue
            in_flight = sum(1 for t in self._sent.get(key, ()) if t > drawn)
            if in_flight >= self.max_in_flight:
                return True
        return False

    def publish(self, views, chunk, force=False):
        """Append a chunk's rows to the views and, unless held back, draw them.

        Parameters
        ----------
        views : sequence of View
            The session's open views.
        chunk : dict of int to ndarray
            New rows per view, keyed by ``id(view)``.
        force : bool, optional
            Draw even if the browser is behind.
        """
        for view in views:
            rows = chunk.get(id(view))
            if rows is not None:
                view.append(rows)
        hold = not force and self.busy()
        self.holding = hold
        if hold:
            self.frames_held += 1
            return
        for view in views:
            t = view.publish()
            if t is not None:
                sent = self._sent.setdefault(id(view), collections.deque(maxlen=4 * self.max_in_flight))
                sent.append(t)
