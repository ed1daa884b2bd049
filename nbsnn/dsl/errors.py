"""Errors of the ``%%snn`` language, located at a line and column of the cell.

The error classes live in `nbsnn.exceptions`; they are re-exported here.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from ..exceptions import SnnCellError, SnnSyntaxError, located

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
