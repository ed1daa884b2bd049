"""Sweeps never touch folders that are not theirs, fail early and clearly, stay bounded
and keep their cluster on 127.0.0.1."""

import json
import logging
import threading

import pandas as pd
import psutil
import pytest

from nbsnn.exceptions import SweepResultsError
from nbsnn.sweep import load_results, point_key, sweep
from nbsnn.sweep import runner as sweep_runner
from nbsnn.sweep.grid import SweepSpaceError
from nbsnn.sweep.store import MARKER

from .functions import arithmetic


def _snapshot(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_a_foreign_folder_is_refused_and_left_as_it_was(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    pd.DataFrame({"key": ["x"], "a": [5]}).to_parquet(folder / "part-0001.parquet")
    (folder / "notes.txt").write_text("my notes")
    before = _snapshot(folder)
    with pytest.raises(SweepResultsError, match="not a sweep's results folder"):
        sweep(arithmetic, {"a": [1], "b": [2]}, results=folder, progress=False)
    with pytest.raises(SweepResultsError):
        load_results(folder)
    assert _snapshot(folder) == before


@pytest.mark.parametrize("text", ['{"model": "resnet"}', "not json", '{"params": [1, 2]}'])
def test_a_foreign_params_json_is_a_clear_error(tmp_path, text):
    folder = tmp_path / "other"
    folder.mkdir()
    (folder / "params.json").write_text(text)
    with pytest.raises(SweepResultsError, match="params.json was not written by an nbsnn"):
        sweep(arithmetic, {"a": [1], "b": [2]}, results=folder, progress=False)
    assert _snapshot(folder) == {"params.json": text.encode()}


def test_results_folder_is_readable_by_pandas(client, tmp_path):
    folder = tmp_path / "res"
    df = sweep(arithmetic, {"a": [1, 2], "b": [3]}, client=client, results=folder,
               progress=False)
    raw = pd.read_parquet(folder)
    assert sorted(raw["accuracy"]) == sorted(df["accuracy"]) == [3.0, 6.0]
    assert json.loads((folder / MARKER).read_text())["params"] == ["a", "b"]


def test_a_folder_of_an_older_sweep_resumes_and_is_migrated(client, tmp_path):
    folder = tmp_path / "old"
    folder.mkdir()
    point = {"a": 1, "b": 3}
    pd.DataFrame([{"key": point_key(point), **point, "accuracy": 99.0, "wall_time": 0.1,
                   "error_type": None, "error": None}]).to_parquet(folder / "part-1.parquet")
    (folder / "params.json").write_text(json.dumps({"params": ["a", "b"]}))
    df = sweep(arithmetic, {"a": [1, 2], "b": [3]}, client=client, results=folder,
               progress=False)
    assert df["accuracy"].tolist() == [99.0, 6.0]  # the stored point was not recomputed
    assert not (folder / "params.json").exists()
    assert len(pd.read_parquet(folder)) == 2
    assert load_results(folder).attrs["params"] == ["a", "b"]


def test_an_unpicklable_evaluate_is_refused_before_dask_sees_it(caplog):
    lock = threading.Lock()

    def evaluate(a):
        with lock:
            return a

    with caplog.at_level(logging.DEBUG, logger="distributed"), \
            pytest.raises(TypeError, match="evaluate function .*evaluate cannot be sent"):
        sweep(evaluate, {"a": [1, 2]}, progress=False)
    assert not [r for r in caplog.records if r.name.startswith("distributed")]


def test_unpicklable_data_is_named_without_dask_logs(client, caplog):
    with caplog.at_level(logging.DEBUG, logger="distributed"), \
            pytest.raises(TypeError, match=r"data\['weights'\] \(lock\) cannot be sent"):
        sweep(arithmetic, {"a": [1, 2]}, data={"b": 1, "weights": threading.Lock()},
              client=client, progress=False)
    assert not [r for r in caplog.records if r.name.startswith("distributed.protocol")]


def test_a_huge_sweep_needs_max_points(client):
    space = {"a": list(range(1000)), "b": list(range(101))}
    with pytest.raises(SweepSpaceError, match=r"101000 points .* max_points=100000"):
        sweep(arithmetic, space, client=client, progress=False)
    with pytest.raises(SweepSpaceError, match="max_points=10"):
        sweep(arithmetic, {"a": list(range(1, 12))}, client=client, max_points=10,
              progress=False)


class CountingClient:
    """A real client that records how many submitted tasks were unfinished at once."""

    def __init__(self, client):
        self._client, self.submitted, self.most_pending = client, [], 0

    def submit(self, *args, **kwargs):
        future = self._client.submit(*args, **kwargs)
        self.submitted.append(future)
        pending = sum(not f.done() for f in self.submitted)
        self.most_pending = max(self.most_pending, pending)
        return future

    def __getattr__(self, name):
        return getattr(self._client, name)


def test_points_are_submitted_a_bounded_number_at_a_time(client, monkeypatch):
    monkeypatch.setattr(sweep_runner, "IN_FLIGHT_PER_THREAD", 2)  # 2 workers: 16 at most
    counting = CountingClient(client)
    df = sweep(arithmetic, {"a": list(range(1, 121))}, data={"b": 2}, client=counting,
               progress=False)
    assert df["accuracy"].tolist() == [2.0 * a for a in range(1, 121)]
    assert len(counting.submitted) == 120
    assert counting.most_pending <= 16


def test_the_embedded_cluster_listens_on_localhost_only(client):
    assert client.dashboard_link.startswith("http://127.0.0.1:")
    assert client.scheduler.address.startswith("tcp://127.0.0.1:")
    me = psutil.Process()
    procs = [me, *me.children(recursive=True)]
    listening = [c.laddr for p in procs for c in p.net_connections(kind="inet")
                 if c.status == psutil.CONN_LISTEN]
    dashboard_port = int(client.dashboard_link.split(":")[2].split("/")[0])
    assert dashboard_port in {addr.port for addr in listening}
    assert {addr.ip for addr in listening} == {"127.0.0.1"}
