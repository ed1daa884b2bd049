"""Run a parameter sweep on Dask distributed: one task per point.

`sweep` evaluates a function at every point of a parameter space on a Dask
cluster: an embedded `distributed.LocalCluster` of worker processes by default,
or an existing scheduler (``address=``) or `distributed.Client` (``client=``).
Large read-only inputs (``data=``: a model, a data set) and the evaluate
function itself are scattered to every worker once; each worker compiles (or
loads from the on-disk cache) nbsnn's kernels once, when it starts, and reuses
them for all its points. A point that raises is recorded with its error and the
sweep goes on. With ``results=``, finished points are written to a Parquet
folder as they come in, and a sweep restarted with the same file skips them.

Points are submitted a bounded number at a time (`IN_FLIGHT_PER_THREAD` per
worker thread), so the client and scheduler hold few tasks whatever the size
of the sweep, and Ctrl-C cancels only those. Sweeps above ``max_points``
points are refused unless asked for explicitly.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import time
import uuid
from collections.abc import Callable, Mapping

import pandas as pd

from .grid import MAX_POINTS, SweepSpaceError, point_key
from .grid import points as make_points
from .progress import Progress
from .results import metrics_of, tidy

__all__ = [
    "KernelWarmup", "Pickled", "evaluate_point", "is_keras_model", "local_client", "sweep",
    "warm_up",
]

log = logging.getLogger(__name__)

#: Result columns that parameters and metrics may not be named.
_RESERVED = ("key", "wall_time", "error_type", "error")

#: Tasks kept submitted per worker thread; more are submitted as these finish.
IN_FLIGHT_PER_THREAD = 8
#: Finished points are written to the results folder at least this often (seconds).
FLUSH_SECONDS = 1.0


def warm_up() -> float:
    """Build and run a tiny spiking network on `nbsnn.Simulator`; return the seconds taken.

    Run once per worker process: it imports nbsnn and compiles its kernels (or
    loads them from the cache in ``~/.cache/nbsnn``), so points do not pay for it.
    """
    import nengo

    from ..simulator import Simulator

    t0 = time.perf_counter()
    # neurons only, no decoders: nothing to solve, nothing for workers to contend for
    # in Nengo's decoder cache
    with nengo.Network(seed=0) as net:
        stim = nengo.Node([0.5, 0.25])
        ens = nengo.Ensemble(4, 1, neuron_type=nengo.SpikingRectifiedLinear())
        nengo.Connection(stim, ens.neurons[:2], synapse=None)
        nengo.Probe(ens.neurons, synapse=0.005)
    with Simulator(net, progress_bar=False) as sim:
        sim.run_steps(3)
    return time.perf_counter() - t0


try:
    from distributed.diagnostics.plugin import WorkerPlugin as _WorkerPlugin
except ImportError:  # pragma: no cover - the sweep extra installs distributed
    _WorkerPlugin = object


class KernelWarmup(_WorkerPlugin):
    """Dask worker plugin running `warm_up` once when each worker starts.

    Idempotent: registering it again (each `sweep` does) keeps the workers' warm-up.
    """

    name = "nbsnn-kernel-warmup"
    idempotent = True

    def setup(self, worker):
        """Warm the worker up; a failure is logged, not raised (points will show it).

        Each worker also gets a decoder cache folder of its own (under Nengo's, named
        for the worker): workers sharing one would contend for its index lock, and each
        miss prints Nengo's "could not acquire lock" warning.
        """
        import nengo

        shared = nengo.rc["decoder_cache"]["path"]
        nengo.rc["decoder_cache"]["path"] = os.path.join(shared, f"dask-worker-{worker.name}")
        try:
            worker.nbsnn_warmup_seconds = warm_up()
        except Exception as err:  # noqa: BLE001 - a warm-up must never kill a worker
            log.warning("nbsnn kernel warm-up failed on %s: %r", worker.address, err)


class Pickled:
    """Wraps a value so that Dask sends it with pickle rather than a type-specific serializer.

    distributed 2026.8 still registers a Keras 2 serializer for Keras models that
    fails on Keras 3 models ("no attribute '_updated_config'"); Keras 3 models
    pickle correctly, so `sweep` wraps them in this.
    """

    def __init__(self, value):
        self.value = value


def is_keras_model(obj) -> bool:
    """Whether ``obj`` is a Keras model (checked without importing Keras)."""
    return any(c.__module__.startswith("keras") and c.__name__ == "Model"
               for c in type(obj).__mro__)


def _wrap(value):
    return Pickled(value) if is_keras_model(value) else value


def evaluate_point(evaluate: Callable, point: Mapping, key: str, data: Mapping) -> dict:
    """Evaluate one point and return its record (runs on a worker).

    The record holds ``key``, the parameters, the metrics ``evaluate`` returned,
    ``wall_time`` (seconds) and ``error_type``/``error`` (``None`` unless it raised).
    """
    record = {"key": key, **point}
    data = {k: v.value if isinstance(v, Pickled) else v for k, v in data.items()}
    t0 = time.perf_counter()
    try:
        metrics = metrics_of(evaluate(**point, **data))
        clash = sorted(set(metrics) & {*_RESERVED, *point})
        if clash:
            raise ValueError(f"evaluate returned metrics named like parameters or sweep "
                             f"columns: {clash}; rename them")
    except Exception as err:  # noqa: BLE001 - recorded, the sweep goes on
        record.update(error_type=type(err).__name__, error=str(err))
    else:
        record.update(metrics, error_type=None, error=None)
    record["wall_time"] = time.perf_counter() - t0
    return record


def local_client(n_workers: int | None = None, **kwargs):
    """Start an embedded `distributed.LocalCluster` and return a client to it.

    Worker processes with one thread each, ``n_workers`` of them (one per CPU
    core by default), and Dask's dashboard on a free port of 127.0.0.1
    (``client.dashboard_link``: its progress and task stream pages show the sweep
    live). The scheduler, workers and dashboard listen on 127.0.0.1 only; pass
    ``host=``/``dashboard_address=`` to open them to other machines (the dashboard
    has no authentication: see docs/security.md). Extra keyword arguments go to
    `distributed.LocalCluster`. Close the client and ``client.cluster`` when done
    (or use them as context managers). Reusing one client across several sweeps
    saves the workers' start-up (importing TensorFlow takes seconds).
    """
    from distributed import Client, LocalCluster

    options = dict(n_workers=n_workers or os.cpu_count() or 1, threads_per_worker=1,
                   processes=True, host="127.0.0.1", dashboard_address="127.0.0.1:0",
                   silence_logs=logging.ERROR)
    options.update(kwargs)
    cluster = LocalCluster(**options)
    return Client(cluster)


def _pickling_error(value) -> str | None:
    """Why cloudpickle (what Dask sends values with) cannot pickle ``value``, or None."""
    import cloudpickle

    try:
        cloudpickle.dumps(value)
    except Exception as err:  # noqa: BLE001 - any pickling failure means the same
        return f"{type(err).__name__}: {err}"
    return None


def _check_picklable(evaluate: Callable) -> None:
    """Refuse an evaluate function that cannot be sent to workers, before Dask tries."""
    why = _pickling_error(evaluate)
    if why is not None:
        name = getattr(evaluate, "__qualname__", repr(evaluate))
        raise TypeError(
            f"the evaluate function {name} cannot be sent to Dask workers: pickling it "
            f"failed with {why}. It (and what it refers to) must be picklable by "
            "cloudpickle: open files, locks, sockets, simulators and generators are not; "
            "create them inside the function, or pass picklable inputs with data=.")


def _check_names(params: list[str], data: Mapping) -> None:
    reserved = sorted(set(params) & set(_RESERVED))
    if reserved:
        raise ValueError(f"parameters may not be named {reserved}: those are result columns")
    clash = sorted(set(params) & set(data))
    if clash:
        raise ValueError(f"names used both as parameters and as data: {clash}")


def sweep(
    evaluate: Callable,
    params,
    *,
    n_samples: int | None = None,
    seed: int = 0,
    data: Mapping | None = None,
    client=None,
    address: str | None = None,
    n_workers: int | None = None,
    results=None,
    rerun_errors: bool = False,
    progress=True,
    warmup: bool = True,
    max_points: int | None = MAX_POINTS,
) -> pd.DataFrame:
    """Evaluate ``evaluate`` at every point of ``params`` in parallel on Dask.

    Parameters
    ----------
    evaluate : callable
        Called as ``evaluate(**point, **data)`` on a worker; returns a number
        (stored as ``metric``) or a dict of metrics, e.g. ``accuracy``,
        ``mean_rate``, ``max_rate``, ``spikes_per_inference``, ``latency``.
        It must be picklable by cloudpickle (functions defined in a notebook are).
    params : dict or list of dict
        Parameter name -> list of values (a grid) or distribution (with
        ``n_samples``), see `nbsnn.sweep.grid`; or an explicit list of points.
    n_samples : int, optional
        Sample this many random points instead of the full grid.
    seed : int
        Seed of the random sample.
    data : dict, optional
        Large read-only keyword inputs of ``evaluate`` (a model, a data set):
        scattered to every worker once instead of being sent with each point.
    client : distributed.Client, optional
        Run on this client's cluster (it is left open).
    address : str, optional
        Connect to an existing scheduler, e.g. ``"tcp://10.0.0.5:8786"``.
    n_workers : int, optional
        Workers of the embedded local cluster started when neither ``client``
        nor ``address`` is given (default: one per CPU core); it is closed at the end.
    results : str or path-like, optional
        Parquet folder where finished points are written as they come in. A
        sweep given a folder that already holds some of its points does not
        evaluate them again (points are keyed by a hash of their parameters,
        `nbsnn.sweep.grid.point_key`; use a new folder when ``evaluate`` changes).
    rerun_errors : bool
        On resume, evaluate again the points that raised last time.
    progress : bool or str
        Show points done: a widget in a notebook, a text bar in a terminal
        (``"text"``/``"widget"`` to choose, ``False`` for nothing).
    warmup : bool
        Have each worker build a tiny network once when it starts, so nbsnn's
        kernels are compiled (or loaded from the cache) before the first point.
    max_points : int or None
        Refuse to start when more points than this are left to evaluate
        (default `nbsnn.sweep.grid.MAX_POINTS`): each point costs the client and
        scheduler a few milliseconds, and the results table a row in memory.
        ``None`` lifts the limit.

    Returns
    -------
    pandas.DataFrame
        One row per point, in the order of the space (see `nbsnn.sweep.results.tidy`).
    """
    from distributed import Client

    if client is not None and address is not None:
        raise ValueError("give either client= or address=, not both")
    pts = make_points(params, n_samples=n_samples, seed=seed)
    names = list(dict.fromkeys(name for p in pts for name in p))
    data = dict(data or {})
    _check_names(names, data)
    keys = [point_key(p) for p in pts]
    _check_picklable(evaluate)

    store = None
    records: dict[str, dict] = {}
    if results is not None:
        from .store import ResultStore

        store = ResultStore(results)
        store.set_params(names)
        stored = store.read()
        if len(stored):
            wanted = set(keys)
            for rec in stored.to_dict("records"):
                if rec["key"] in wanted and not (rerun_errors and _failed(rec)):
                    records[rec["key"]] = rec
    todo = [(k, p) for k, p in dict(zip(keys, pts, strict=True)).items() if k not in records]
    if max_points is not None and len(todo) > max_points:
        raise SweepSpaceError(
            f"{len(todo)} points to evaluate, more than max_points={max_points}. A sweep "
            "costs a few milliseconds of client and scheduler time per point and a row of "
            "memory per point; sample the space (n_samples=N) or pass max_points=None "
            "to run it (points are submitted in batches; Ctrl-C stops it, and with "
            "results= a rerun resumes).")

    bar = Progress(len(set(keys)), done=len(records), mode=progress)
    own_client = client is None
    try:
        if todo:
            if client is None:
                client = Client(address) if address else local_client(n_workers)
            _run(client, evaluate, todo, data, warmup, store, records, bar)
    finally:
        bar.close()
        if own_client and client is not None:
            cluster = client.cluster  # None for a client of an existing scheduler
            client.close()
            if cluster is not None:
                cluster.close()
    if store is not None:
        store.compact(order=keys)
    return tidy([records[k] for k in dict.fromkeys(keys)], names)


def _failed(record: Mapping) -> bool:
    error_type = record.get("error_type")
    return isinstance(error_type, str) and error_type != ""


def _task_error(future) -> BaseException:
    try:
        return future.exception()
    except (Exception, asyncio.CancelledError) as err:  # a cancelled future raises
        return err


@contextlib.contextmanager
def _quiet(*loggers):
    """Silence ``loggers`` (Dask logs a traceback per object it fails to pickle)."""
    saved = [(logging.getLogger(name), logging.getLogger(name).level) for name in loggers]
    for logger, _ in saved:
        logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for logger, level in saved:
            logger.setLevel(level)


def _scatter_data(client, data: dict) -> dict:
    """Scatter ``data`` to every worker; a value that cannot be pickled is a clear error."""
    try:
        with _quiet("distributed.protocol.pickle", "distributed.protocol.core"):
            return client.scatter(data, broadcast=True, hash=False)
    except Exception:
        for name, value in data.items():
            why = _pickling_error(value)
            if why is not None:
                raise TypeError(
                    f"data[{name!r}] ({type(value).__name__}) cannot be sent to Dask "
                    f"workers: pickling it failed with {why}. Pass picklable values "
                    "(arrays, models, file names) and open files, locks or simulators "
                    "inside the evaluate function.") from None
        raise


def _in_flight(client) -> int:
    threads = sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values())
    return max(IN_FLIGHT_PER_THREAD * max(threads, 1), 16)


def _run(client, evaluate, todo, data, warmup, store, records, bar):
    from distributed import as_completed

    if warmup:
        client.register_plugin(KernelWarmup())
    # Scatter once: every worker keeps one copy of the function and the data.
    evaluate_future = client.scatter(evaluate, broadcast=True, hash=False)
    data = {name: _wrap(value) for name, value in data.items()}
    data_futures = _scatter_data(client, data) if data else {}
    run_id = uuid.uuid4().hex[:8]
    waiting = iter(todo)
    futures = {}
    running = as_completed(raise_errors=False)

    def submit(n):
        for key, point in itertools.islice(waiting, n):
            future = client.submit(evaluate_point, evaluate_future, point, key, data_futures,
                                   key=f"nbsnn-sweep-{run_id}-{key}", pure=False)
            futures[future] = (key, point)
            running.add(future)

    unsaved, saved_at = [], time.monotonic()
    try:
        submit(_in_flight(client))
        for batch in running.batches():
            new = []
            for future in batch:
                key, point = futures.pop(future)
                if future.status == "finished":
                    rec = future.result()
                else:  # the task itself failed: its worker died, or its inputs were lost
                    err = _task_error(future)
                    rec = {"key": key, **point, "wall_time": None,
                           "error_type": type(err).__name__, "error": str(err)}
                records[key] = rec
                new.append(rec)
            submit(len(batch))
            if store is not None:
                unsaved += new
                if time.monotonic() - saved_at >= FLUSH_SECONDS:
                    store.append(unsaved)
                    unsaved, saved_at = [], time.monotonic()
            bar.update(len(new), failed=sum(map(_failed, new)))
    except BaseException:
        client.cancel(list(futures))
        raise
    finally:
        if store is not None:
            store.append(unsaved)
