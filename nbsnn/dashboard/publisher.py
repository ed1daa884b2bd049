"""Browser flow control: send a chunk to the views only while the browser keeps up.

The page reports back the last simulated time it has drawn (`Publisher.drawn`):
with nbsnn's widget module, the session's `FrameChannel` reports every painted
frame; without it, the session's first time plot does (through a hidden bokeh
Div). One reporter per session, since every report is a message back to the
kernel that the page pays for too. While `MAX_FRAMES_IN_FLIGHT` frames are sent
but not drawn, the publisher holds frames back: the views keep the new rows in
their ring buffers only, and send them in one piece when the browser has caught
up (or when forced, e.g. on pause). A slow browser or a hidden tab therefore
never builds up a backlog; with no reports (not displayed, or no browser),
nothing is held back.
"""

import collections
import time

__all__ = ["MAX_FRAMES_IN_FLIGHT", "STALE_AFTER", "Publisher"]

MAX_FRAMES_IN_FLIGHT = 6
STALE_AFTER = 3.0  # seconds without a report after which the reporter no longer counts


class Publisher:
    """Deliver each chunk's rows to the views, holding frames back for a slow browser.

    Parameters
    ----------
    channel : FrameChannel, optional
        Sends each frame's updates of all views as one message (and reports
        drawn frames); without it, each view sends its own bokeh document patch.
    max_in_flight : int, optional

    Attributes
    ----------
    frames_held : int
        Frames kept back so far because the browser was behind.
    reporter : FrameChannel, View or None
        What reports drawn frames: the channel, else a view that set itself
        here (the session's first time plot).
    """

    def __init__(self, channel=None, max_in_flight=MAX_FRAMES_IN_FLIGHT):
        self.channel = channel
        self.reporter = channel
        self.max_in_flight = int(max_in_flight)
        self.frames_held = 0
        self.holding = False
        self._sent = collections.deque(maxlen=4 * self.max_in_flight)  # the last frame times sent
        self._drawn = None  # (last time drawn, wall time of the report)
        if channel is not None:
            channel.on_drawn(self.drawn)

    def drawn(self, t):
        """Note that the page has drawn up to simulated time ``t``."""
        self._drawn = (float(t), time.monotonic())

    def forget(self, view):
        """Stop counting on ``view`` (closed) for reports."""
        if view is self.reporter:
            self.reporter = None
            self._drawn = None

    def clear(self):
        """Forget what was sent and drawn (after a reset)."""
        self.holding = False
        self._sent.clear()
        self._drawn = None

    def busy(self):
        """Whether too many frames are sent but not drawn."""
        if self._drawn is None:
            return False
        drawn, reported = self._drawn
        if time.monotonic() - reported > STALE_AFTER and self.holding:
            self._drawn = None  # the views are no longer on screen
            return False
        return sum(1 for t in self._sent if t > drawn) >= self.max_in_flight

    def stream(self, view, source, columns, rollover):
        """Append ``columns`` (lists) to ``view``'s bokeh ``source``, keeping ``rollover`` rows."""
        if self.channel is None:
            source.stream(columns, rollover=rollover)
        else:
            self.channel.stream(view.plot, source, columns, rollover)

    def replace(self, view, source, data):
        """Give ``view``'s bokeh ``source`` new ``data``."""
        if self.channel is None:
            source.data = data
        else:
            self.channel.replace(view.plot, source, data)

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
        frame = None  # the time the reporter will report for this frame
        for view in views:
            t = view.publish()
            if t is not None and (self.channel is not None or view is self.reporter):
                frame = t if frame is None else max(frame, t)
        if self.channel is not None:
            frame = self.channel.flush(frame)
        if frame is not None:
            self._sent.append(frame)

    def close(self):
        """Close the channel (if any)."""
        if self.channel is not None:
            self.channel.close()
