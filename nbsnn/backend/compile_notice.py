"""A visible line while numba compiles the kernels (the first run on a machine, ~20 s)."""

from __future__ import annotations

import sys
import threading
import time

__all__ = ["compile_notice"]

_MESSAGE = "nbsnn: compiling kernels (first run only)"


class compile_notice:
    """Say that kernels are compiling when a block takes longer than ``delay`` seconds.

    Loading kernels from numba's disk cache takes a second or two, so
    nothing is shown then. A slow block shows ``MESSAGE...`` on stderr, the
    seconds elapsed every second, and the total when it ends.

    Parameters
    ----------
    delay : float
        Seconds before the line appears.
    stream : file, optional
        Where to write (default: ``sys.stderr`` at the time of writing).
    """

    def __init__(self, delay: float = 3.0, stream=None) -> None:
        self.delay = delay
        self.stream = stream
        self.done = threading.Event()
        self.shown = False
        self.start = 0.0

    def _write(self, text: str) -> None:
        stream = self.stream or sys.stderr
        stream.write(text)
        stream.flush()

    def _watch(self) -> None:
        if self.done.wait(self.delay):
            return
        self.shown = True
        self._write(f"{_MESSAGE}...")
        while not self.done.wait(1.0):
            self._write(f"\r{_MESSAGE}... {time.perf_counter() - self.start:.0f} s")

    def __enter__(self):
        self.start = time.perf_counter()
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.done.set()
        self.thread.join()
        if self.shown:
            self._write(f"\r{_MESSAGE}: done in {time.perf_counter() - self.start:.0f} s\n")
