"""Progress of a sweep: an ipywidgets bar in a notebook, a text bar in a terminal."""

from __future__ import annotations

import sys
import time

__all__ = ["Progress", "in_notebook"]


def in_notebook() -> bool:
    """Whether the code runs in a Jupyter kernel (which can show widgets)."""
    shell = sys.modules.get("IPython") and sys.modules["IPython"].get_ipython()
    return type(shell).__name__ == "ZMQInteractiveShell"


def _has_widgets() -> bool:
    try:
        import ipywidgets  # noqa: F401
    except ImportError:
        return False
    return True


def _clock(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes}:{seconds:02d}"


class Progress:
    """Count finished points and show them.

    Parameters
    ----------
    total : int
        Points in the sweep.
    done : int
        Points already finished (resumed from a results file).
    mode : bool or str
        ``True``/``"auto"``: a widget in a notebook, text otherwise; ``"text"``;
        ``"widget"``; ``False``: nothing shown.
    file : file-like
        Where the text bar goes (standard error by default).
    """

    def __init__(self, total: int, done: int = 0, mode=True, file=None):
        self.total, self.done, self.failed = total, done, 0
        self.start = time.perf_counter()
        self.file = file or sys.stderr
        if mode in (True, "auto"):
            mode = "widget" if in_notebook() and _has_widgets() else "text"
        self.mode = mode or None
        self._widget = None
        if self.mode == "widget":
            import ipywidgets
            from IPython.display import display

            self._bar = ipywidgets.IntProgress(value=done, min=0, max=max(total, 1),
                                               description="sweep")
            self._label = ipywidgets.Label()
            self._widget = ipywidgets.HBox([self._bar, self._label])
            display(self._widget)
        elif self.mode not in (None, "text"):
            raise ValueError(f"progress must be True, False, 'text' or 'widget', got {mode!r}")
        self._show()

    def text(self) -> str:
        """Return the status line: points done of total, failures, elapsed time."""
        failed = f", {self.failed} failed" if self.failed else ""
        return (f"{self.done}/{self.total} points{failed} "
                f"[{_clock(time.perf_counter() - self.start)}]")

    def update(self, n: int = 1, failed: int = 0) -> None:
        """Record ``n`` more finished points, ``failed`` of which raised."""
        self.done += n
        self.failed += failed
        self._show()

    def _show(self) -> None:
        if self.mode == "widget":
            self._bar.value = self.done
            self._bar.bar_style = "danger" if self.failed else (
                "success" if self.done >= self.total else "")
            self._label.value = self.text()
        elif self.mode == "text":
            width = 30
            filled = width * self.done // max(self.total, 1)
            self.file.write(f"\r|{'#' * filled}{' ' * (width - filled)}| {self.text()}")
            self.file.flush()

    def close(self) -> None:
        """End the text line."""
        if self.mode == "text":
            self.file.write("\n")
            self.file.flush()
