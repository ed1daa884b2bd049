"""Incremental Parquet storage of sweep results, so interrupted sweeps resume.

A results store is a folder of Parquet part files (a Parquet data set that
``pandas.read_parquet`` also reads). Each batch of finished points is written
to a new part file atomically (written under a temporary name, then renamed),
so an interruption never leaves a half-written file behind; when a sweep
finishes, its parts are merged into one file.

The folder is marked as a sweep's by `MARKER`, a JSON file whose name starts
with ``_`` so that pyarrow (and so pandas) skip it when reading the data set.
A sweep only ever writes into a folder that is new, empty or marked: it never
reads, merges or deletes files in a folder of someone else's. Folders written
before the marker existed (with a ``params.json``) are recognised and migrated.
"""

from __future__ import annotations

import json
import os
import pathlib
import uuid

import pandas as pd

from ..exceptions import SweepResultsError

__all__ = ["MARKER", "ResultStore"]

#: The file that marks a folder as a sweep's results (holds the parameter names).
MARKER = "_nbsnn_sweep.json"
#: What older versions wrote instead (it made the folder unreadable by pandas).
_LEGACY = "params.json"
_FORMAT = "nbsnn-sweep-results"


def _cell(value):
    """Return a value Parquet can store in a column of mixed rows."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
        return value.item()
    return repr(value)


def _read_params(path: pathlib.Path, legacy: bool) -> list[str]:
    """The parameter names recorded in a marker file; a foreign file is an error."""
    try:
        meta = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        meta = err
    expected = {"params"} if legacy else {"format", "params"}
    ok = (isinstance(meta, dict) and set(meta) == expected
          and (legacy or meta["format"] == _FORMAT)
          and isinstance(meta["params"], list)
          and all(isinstance(n, str) for n in meta["params"]))
    if not ok:
        raise SweepResultsError(
            f"{path} was not written by an nbsnn sweep (it is not "
            f"{{'params': [names]}}{'' if legacy else ' with format ' + repr(_FORMAT)}), so "
            f"{path.parent} is not a sweep's results folder; nothing in it was changed. "
            "Give results= a new or empty folder.")
    return meta["params"]


class ResultStore:
    """A folder of Parquet files holding one row per finished point.

    Parameters
    ----------
    path : str or path-like
        The folder. A name ending in ``.parquet`` is fine.
    create : bool
        Create the folder if it does not exist (and mark an empty one as a sweep's).

    Raises
    ------
    SweepResultsError
        If the folder holds files but is not a sweep's results folder.
    """

    def __init__(self, path, create=True):
        self.path = pathlib.Path(path)
        if self.path.exists() and not self.path.is_dir():
            raise FileExistsError(
                f"{self.path} exists and is not a results folder; choose another results= path")
        if not self.path.exists() and not create:
            raise FileNotFoundError(f"no sweep results folder at {self.path}")
        self.path.mkdir(parents=True, exist_ok=True)
        self._params = self._adopt()

    def _adopt(self) -> list[str]:
        marker, legacy = self.path / MARKER, self.path / _LEGACY
        if marker.exists():
            return _read_params(marker, legacy=False)
        if legacy.exists():
            names = _read_params(legacy, legacy=True)
            self._write_marker(names)
            legacy.unlink()  # the sweep's own file; without it pandas reads the folder
            return names
        if any(self.path.iterdir()):
            raise SweepResultsError(
                f"{self.path} is not empty and is not a sweep's results folder (it has no "
                f"{MARKER}); nothing in it was read or changed. Give results= a new or "
                "empty folder.")
        self._write_marker([])
        return []

    def _write_marker(self, names) -> None:
        tmp = self.path / f".{MARKER}.{uuid.uuid4().hex[:8]}.tmp"
        tmp.write_text(json.dumps({"format": _FORMAT, "params": list(names)}))
        os.replace(tmp, self.path / MARKER)

    def params(self) -> list[str]:
        """Return the parameter names recorded by `set_params` (empty if none)."""
        return list(self._params)

    def set_params(self, names) -> None:
        """Record the parameter names of the sweep (added to those already recorded)."""
        known = self._params
        names = known + [n for n in names if n not in known]
        if names != known:
            self._write_marker(names)
            self._params = names

    def _parts(self) -> list[pathlib.Path]:
        return sorted(self.path.glob("part-*.parquet"))

    def read(self) -> pd.DataFrame:
        """Return every stored row (the last one per key), in the order written."""
        frames = [pd.read_parquet(p) for p in self._parts()]
        frames = [f for f in frames if len(f)]
        if not frames:
            return pd.DataFrame()
        df = pd.concat(frames, ignore_index=True)
        return df.drop_duplicates("key", keep="last").reset_index(drop=True)

    def append(self, records: list[dict]) -> None:
        """Write ``records`` (dicts of plain values) as a new part file, atomically."""
        if not records:
            return
        self._write(pd.DataFrame([{k: _cell(v) for k, v in r.items()} for r in records]))

    def _write(self, df: pd.DataFrame, name: str | None = None) -> pathlib.Path:
        name = name or f"part-{pd.Timestamp.now('UTC'):%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}"
        tmp = self.path / f".{name}.tmp"
        df.to_parquet(tmp, index=False)
        final = self.path / f"{name}.parquet"
        os.replace(tmp, final)
        return final

    def compact(self, order=None) -> None:
        """Merge all part files into one (keeping the last row per key).

        Parameters
        ----------
        order : list of str, optional
            Keys in the order their rows should have (the sweep's points); other
            rows follow in the order they were written.
        """
        parts = self._parts()
        if len(parts) <= 1 and order is None:
            return
        df = self.read()
        if order is not None and len(df):
            rank = {key: i for i, key in enumerate(order)}
            position = df["key"].map(lambda k: rank.get(k, len(rank)))
            df = df.iloc[position.argsort(kind="stable")].reset_index(drop=True)
        merged = self._write(df)
        for p in parts:
            if p != merged:
                p.unlink()
