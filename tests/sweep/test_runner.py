"""The Dask runner on a real local cluster: parallel = serial, errors, resume, address mode."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pandas as pd
import pytest

from nbsnn.sweep import grid, load_results, point_key, sweep
from nbsnn.sweep.store import ResultStore

from .functions import arithmetic, crash, decode_error


def test_parallel_results_equal_serial_results(client):
    space = {"n_neurons": [20, 40], "synapse": [0.005, 0.02]}
    df = sweep(decode_error, space, client=client, progress=False)
    serial = [decode_error(**p)["metric"] for p in grid(space)]
    assert df[["n_neurons", "synapse"]].to_dict("records") == grid(space)
    np.testing.assert_array_equal(df["metric"].to_numpy(), serial)
    assert df["error_type"].isna().all()
    assert (df["wall_time"] > 0).all()
    assert df["key"].tolist() == [point_key(p) for p in grid(space)]
    # every worker built a network once when it joined (kernels compiled or loaded)
    warm = client.run(lambda dask_worker: getattr(dask_worker, "nbsnn_warmup_seconds", None))
    assert len(warm) == 2 and all(w is not None and w > 0 for w in warm.values())
    sweep(decode_error, {"n_neurons": [10], "synapse": [0.01]}, client=client, progress=False)
    again = client.run(lambda dask_worker: dask_worker.nbsnn_warmup_seconds)
    assert again == warm  # a second sweep reuses the warm workers


def test_failing_point_is_recorded_and_the_sweep_goes_on(client, tmp_path):
    weights = np.full(100_000, 0.001)  # scattered once, summed by every point
    df = sweep(arithmetic, {"a": [1, 0, 2], "b": [10, 20]}, client=client, progress="text",
               data={"offset": 0.5, "weights": weights}, results=tmp_path / "res")
    assert len(df) == 6
    bad = df[df["a"] == 0]
    assert bad["error_type"].tolist() == ["ZeroDivisionError"] * 2
    assert bad["error"].str.contains("a=0 is not allowed").all()
    assert bad["accuracy"].isna().all()
    good = df[df["a"] != 0]
    np.testing.assert_allclose(good["accuracy"], good["a"] * good["b"] + 0.5 + 100.0)
    assert good["error_type"].isna().all()
    # the stored results are the returned ones, merged into one Parquet file
    assert len(list((tmp_path / "res").glob("part-*.parquet"))) == 1
    pd.testing.assert_frame_equal(load_results(tmp_path / "res"), df, check_dtype=False)


def test_a_point_that_kills_its_worker_is_recorded():
    """On its own embedded cluster, where the scheduler gives up on a task at its first death."""
    import dask

    # one task per worker at a time, so the dying worker holds no other point
    with dask.config.set({"distributed.scheduler.allowed-failures": 0,
                          "distributed.scheduler.worker-saturation": 1.0}):
        df = sweep(crash, {"a": [0, 1, 2]}, n_workers=2, progress=False, warmup=False)
    assert df["metric"].tolist()[::2] == [0.0, 2.0]
    assert df["error_type"].tolist()[1] == "KilledWorker"


def test_dataframe_columns_and_user_metric(client):
    df = sweep(arithmetic, {"b": [1.5, 2.5], "a": [3]}, client=client, progress=False)
    assert list(df.columns) == ["key", "b", "a", "accuracy", "mean_rate", "latency",
                                "wall_time", "error_type", "error"]
    assert df.attrs["params"] == ["b", "a"]
    scalar = sweep(lambda a, b: a - b, {"a": [5], "b": [1, 2]}, client=client, progress=False)
    assert scalar["metric"].tolist() == [4, 3]
    clash = sweep(lambda a: {"a": 2.0}, {"a": [1]}, client=client, progress=False)
    assert clash["error_type"].tolist() == ["ValueError"]
    assert "named like parameters" in clash["error"].item()


def test_the_package_is_callable(client):
    import nbsnn.sweep
    import nbsnn.sweep.plots

    df = nbsnn.sweep(arithmetic, {"a": [2], "b": [3]}, client=client, progress=False)
    assert df["accuracy"].tolist() == [6]
    assert nbsnn.sweep.plots.pareto_front is not None


def test_names_clashing_between_params_and_data_are_refused(client):
    with pytest.raises(ValueError, match=r"both as parameters and as data: \['a'\]"):
        sweep(arithmetic, {"a": [1], "b": [1]}, data={"a": 2}, client=client)
    with pytest.raises(ValueError, match=r"may not be named \['error'\]"):
        sweep(arithmetic, {"error": [1]}, client=client)
    with pytest.raises(ValueError, match="either client= or address="):
        sweep(arithmetic, {"a": [1], "b": [1]}, client=client, address="tcp://x:1")


def test_scheduler_address_mode_gives_the_same_results(client, tmp_path):
    space = {"a": [1, 2], "b": [3, 4]}
    log = tmp_path / "log"
    by_address = sweep(arithmetic, space, address=client.scheduler.address,
                       data={"log": str(log)}, progress=False)
    by_client = sweep(arithmetic, space, client=client, progress=False)
    pd.testing.assert_frame_equal(by_address.drop(columns="wall_time"),
                                  by_client.drop(columns="wall_time"))
    assert len(log.read_text().splitlines()) == 4
    assert client.status == "running"  # the user's cluster is left alone


def test_resume_does_not_recompute_finished_points(client, tmp_path):
    results, log = tmp_path / "res", tmp_path / "log"
    space = {"a": [1, 0, 2], "b": [1, 2]}
    sweep(arithmetic, {"a": [1, 0], "b": [1, 2]}, client=client, results=results,
          data={"log": str(log)}, progress=False)
    assert len(log.read_text().splitlines()) == 4
    log.unlink()
    df = sweep(arithmetic, space, client=client, results=results, data={"log": str(log)},
               progress=False)
    assert sorted(log.read_text().splitlines()) == ["2,1", "2,2"]
    assert len(df) == 6 and df["error_type"].notna().sum() == 2
    log.unlink()
    sweep(arithmetic, space, client=client, results=results, data={"log": str(log)},
          rerun_errors=True, progress=False)
    assert sorted(log.read_text().splitlines()) == ["0,1", "0,2"]


SCRIPT = """
import time
from nbsnn.sweep import sweep

def slow(a, log):
    time.sleep(0.4)
    with open(log, "a") as f:
        f.write(f"{a}\\n")
    return float(a)

if __name__ == "__main__":
    sweep(slow, {"a": list(range(12))}, data={"log": LOG}, results=RESULTS, n_workers=1,
          progress=False, warmup=False)
"""


def test_interrupted_sweep_resumes_where_it_stopped(client, tmp_path):
    """A sweep on its own embedded cluster, interrupted (Ctrl-C) half way, then resumed."""
    results, log = tmp_path / "res", tmp_path / "log"
    script = tmp_path / "run_sweep.py"
    script.write_text(textwrap.dedent(SCRIPT).replace("LOG", repr(str(log)))
                      .replace("RESULTS", repr(str(results))))
    proc = subprocess.Popen([sys.executable, str(script)], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if results.exists() and len(list(results.glob("part-*.parquet"))) >= 3:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode != 0, stderr  # interrupted, not finished
    assert "KeyboardInterrupt" in stderr
    stored = set(ResultStore(results).read()["a"])
    assert 3 <= len(stored) < 12
    log.unlink()

    import importlib.util

    spec = importlib.util.spec_from_file_location("run_sweep", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    df = sweep(module.slow, {"a": list(range(12))}, data={"log": str(log)}, results=results,
               client=client, progress=False)
    recomputed = {int(line) for line in log.read_text().splitlines()}
    assert recomputed == set(range(12)) - stored
    assert df["metric"].tolist() == [float(a) for a in range(12)]


def test_each_worker_gets_its_own_decoder_cache_folder():
    """Workers sharing Nengo's decoder cache index contend for its lock (a warning each time
    one misses it): the warm-up plugin gives each worker a folder of its own."""
    import types

    import nengo

    from nbsnn.sweep.runner import KernelWarmup

    shared = nengo.rc["decoder_cache"]["path"]
    worker = types.SimpleNamespace(name=3, address="tcp://127.0.0.1:1")
    try:
        KernelWarmup().setup(worker)
        assert nengo.rc["decoder_cache"]["path"] == os.path.join(shared, "dask-worker-3")
        assert worker.nbsnn_warmup_seconds > 0
    finally:
        nengo.rc["decoder_cache"]["path"] = shared
