"""Incremental Parquet storage of sweep results, so interrupted sweeps resume.

A results store is a folder of Parquet part files (a Parquet data set that
``pandas.read_parquet`` also reads). Each batch of finished points is written
to a new part file atomically (written under a temporary name, then renamed),
so an interruption never leaves a half-written file behind; when a sweep
finishes, its parts are merged into one file.
"""

from __future__ import annotations

import json
import os
import pathlib
import uuid

import pandas as pd

__all__ = ["ResultStore"]


def _cell(value):
    """Return a value Parquet can store in a column of mixed rows."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
        return value.item()
    return repr(value)


class ResultStore:
    """A folder of Parquet files holding one row per finished point.

    Parameters
    ----------
    path : str or path-like
        The folder (created if missing). A name ending in ``.parquet`` is fine.
    """

    def __init__(self, path):
        self.path = pathlib.Path(path)
        if self.path.exists() and not self.path.is_dir():
            raise FileExistsError(
                f"{self.path} exists and is not a results folder; choose another results= path")
        self.path.mkdir(parents=True, exist_ok=True)

    def params(self) -> list[str]:
        """Return the parameter names recorded by `set_params` (empty if none)."""
        meta = self.path / "params.json"
        return json.loads(meta.read_text())["params"] if meta.exists() else []

    def set_params(self, names) -> None:
        """Record the parameter names of the sweep (added to those already recorded)."""
        known = self.params()
        names = known + [n for n in names if n not in known]
        tmp = self.path / ".params.json.tmp"
        tmp.write_text(json.dumps({"params": names}))
        os.replace(tmp, self.path / "params.json")

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
