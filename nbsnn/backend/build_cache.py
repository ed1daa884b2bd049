"""Faster builds: decoders remembered in memory, and solved on all cores.

Two parts, both giving exactly the decoders of a plain Nengo build (with the
default `BLAS_THREADS`):

- `BuildCache` is the `~nengo.builder.Model`'s ``decoder_cache`` during an nbsnn
  build. It remembers decoders in this process (a least-recently-used memory of
  `MEMO_BYTES`), so rebuilding an unchanged network (a notebook cell re-run, the
  dashboard's rebuild after a synapse change) skips the solves. It keys on what
  Nengo's own disk cache keys on (solver, neuron type, gain, bias, evaluation
  points, targets, random state), but hashes the ensemble's evaluation points and
  encoders instead of their large product ``x`` (that hash costs as much as a
  solve). Anything it does not remember goes through Nengo's cache as before, and
  what it remembers is handed to Nengo's cache once, so that cache fills as usual.
- `presolve` builds the network once into a scratch model that records every
  solve instead of doing it; the solves then run in a thread pool (NumPy and BLAS
  release the GIL), as many side by side as there are cores per BLAS thread
  count, and fill the memory that the real build then reads. BLAS keeps its
  thread count, since a solve's last bits depend on it: with BLAS threaded over
  all cores (the default) solves stay one at a time, each on all cores;
  `BLAS_THREADS = 1` runs one single-threaded solve per core, which is much
  faster on a busy machine but not bit-identical to Nengo's decoders.

Only seeded connections (Nengo's own rule for its cache) with solvers that draw
no random numbers (`SAFE_SOLVERS`) are cached, here or in Nengo's disk cache: a
cached solve leaves the connection's random state where it was, which is where
only such a solve leaves it (Nengo's cache alone would give e.g. `LstsqNoise`
connections with a random transform other numbers when rebuilt).
Opt out with ``nbsnn.backend.build_cache.MEMO_BYTES = 0`` (no memory, no
presolve), ``PARALLEL_SOLVES = False`` (no presolve), or Nengo's
``nengo.rc["decoder_cache"]["enabled"] = "False"`` (no caching at all).
"""

import collections
import concurrent.futures
import contextlib
import hashlib
import os
import threading
import weakref

import nengo
import numpy as np
import scipy.linalg  # noqa: F401 -- loads its BLAS, so `blas_threads` sees it
from nengo.builder import Model
from nengo.builder.connection import solve_for_decoders
from nengo.cache import Fingerprint, get_default_decoder_cache
from nengo.solvers import Lstsq, LstsqL2, LstsqL2nz
from nengo.utils.least_squares_solvers import SVD, Cholesky
from threadpoolctl import threadpool_info, threadpool_limits

__all__ = [
    "BLAS_THREADS", "MEMO_BYTES", "PARALLEL_SOLVES", "SAFE_SOLVERS",
    "BuildCache", "prepared", "presolve",
]

#: Size of the in-process memory of decoders, in bytes (0 turns it off).
MEMO_BYTES = 256 * 1024**2

#: Whether `nbsnn.Simulator` solves decoders on all cores before building.
PARALLEL_SOLVES = True

#: BLAS threads per solve during nbsnn builds: None keeps BLAS as configured, which
#: gives exactly `nengo.Simulator`'s decoders; 1 makes each solve single-threaded so
#: that solves run side by side (several times faster on a busy machine), but BLAS
#: then sums in another order and decoders differ from Nengo's in the last bits.
BLAS_THREADS = None

#: Solver and least-squares method types whose solves draw no random numbers.
SAFE_SOLVERS = ((Lstsq, LstsqL2, LstsqL2nz), (Cholesky, SVD))

# key -> (decoders, info, folders of Nengo caches holding them); least recent first
_memo = collections.OrderedDict()
_memo_lock = threading.Lock()
_presolved = weakref.WeakSet()  # networks `presolve` has built


def enabled():
    """Whether decoders may be remembered (Nengo's cache setting and `MEMO_BYTES`)."""
    return MEMO_BYTES > 0 and nengo.rc["decoder_cache"].getboolean("enabled")


def _remember(key, decoders, info, stored=frozenset()):
    """Keep a solve; ``stored``: folders of Nengo caches that hold it too."""
    with _memo_lock:
        _memo[key] = (decoders, info, frozenset(stored) - {None})
        _memo.move_to_end(key)
        total = sum(entry[0].nbytes for entry in _memo.values())
        while total > MEMO_BYTES and _memo:
            _, (oldest, _, _) = _memo.popitem(last=False)
            total -= oldest.nbytes


def _recall(key):
    """``(decoders, info, folders of Nengo caches holding them)``, or None."""
    with _memo_lock:
        hit = _memo.get(key)
        if hit is not None:
            _memo.move_to_end(key)
    if hit is None:
        return None
    decoders, info, stored = hit
    return decoders.copy(order="K"), dict(info), stored  # layout as solved


def _hash(h, array):
    array = np.ascontiguousarray(array)
    h.update(str((array.dtype.str, array.shape)).encode())
    h.update(array.data)


def safe(solver):
    """Whether ``solver`` draws no random numbers, so that caching it is exact."""
    return (type(solver) in SAFE_SOLVERS[0]
            and type(getattr(solver, "solver", None)) in SAFE_SOLVERS[1])


def blas_threads():
    """Threads of each loaded BLAS library (a solve's last bits depend on them)."""
    return tuple(info["num_threads"] for info in threadpool_info()
                 if info["user_api"] == "blas")


def memo_key(model, conn, gain, bias, x, targets, rng, blas):
    """Key of one solve with ``blas`` threads, or None if it must not be remembered."""
    solver = conn.solver
    if not safe(solver):
        return None
    if not (Fingerprint.supports(solver) and Fingerprint.supports(conn.pre_obj.neuron_type)):
        return None
    h = hashlib.sha1()
    h.update(str(Fingerprint(solver)).encode())
    h.update(str(Fingerprint(conn.pre_obj.neuron_type)).encode())
    for array in (gain, bias, targets):
        _hash(h, array)
    built = model.params[conn.pre_obj]
    scaled = built.encoders.T / conn.pre_obj.radius
    # x is eval_points @ encoders.T / radius (Nengo's build_decoders): hash those
    # small factors when the first rows confirm it, else x itself.
    if (
        conn.eval_points is None
        and x.shape == (len(built.eval_points), scaled.shape[1])
        and np.array_equal(x[:2], np.dot(built.eval_points[:2], scaled))
    ):
        _hash(h, built.eval_points)
        _hash(h, built.encoders)
        h.update(repr(float(conn.pre_obj.radius)).encode())
    else:
        _hash(h, x)
    state = rng.get_state()
    h.update(state[0].encode())
    h.update(np.ascontiguousarray(state[1]).data)
    h.update(repr(state[2:]).encode())
    h.update(repr(blas).encode())
    return h.hexdigest()


class BuildCache:
    """A model's ``decoder_cache``: the in-process memory in front of ``inner``.

    Parameters
    ----------
    model : Model
        The model being built (its ensembles' parameters enter the keys).
    inner : DecoderCache or NoDecoderCache
        Nengo's cache, used for every solve not found in memory.
    blas : tuple
        `blas_threads` during the build.
    """

    def __init__(self, model, inner, blas):
        self.model = model
        self.inner = inner
        self.blas = blas
        # Nengo's disk keys ignore BLAS threads: only default solves go to disk
        self.disk = getattr(inner, "cache_dir", None) if BLAS_THREADS is None else None

    def __enter__(self):
        self.inner.__enter__()
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        return self.inner.__exit__(exc_type, exc_value, traceback)

    def shrink(self, limit=None):
        """Shrink Nengo's cache (called by Nengo at the end of a build)."""
        self.inner.shrink(limit)

    def wrap_solver(self, solver_fn):
        """Wrap ``solver_fn`` to look in memory first (Nengo's cache interface)."""

        def remembered_solver(conn, gain, bias, x, targets, rng=np.random, **kwargs):
            args = (conn, gain, bias, x, targets)
            if not safe(conn.solver):  # nor is Nengo's cache: solve
                return solver_fn(*args, rng=rng, **kwargs)
            key = memo_key(self.model, *args, rng, self.blas) if enabled() else None
            hit = None if key is None else _recall(key)
            if hit is None:
                inner_fn = self.inner.wrap_solver(solver_fn) if self.disk else solver_fn
                decoders, info = inner_fn(*args, rng=rng, **kwargs)
                if key is not None:
                    _remember(key, np.array(decoders), dict(info), {self.disk})
                return decoders, info
            decoders, info, stored = hit
            if self.disk is None or self.disk in stored:
                return decoders, info
            # first use with this Nengo cache: it stores them (or has them already)
            decoders, info = self.inner.wrap_solver(lambda *a, **k: (decoders, info))(
                *args, rng=rng, **kwargs)
            _remember(key, np.array(decoders), dict(info), stored | {self.disk})
            return decoders, info

        return remembered_solver


class _Collector:
    """Scratch ``decoder_cache`` of `presolve`: submits solves, returns zeros.

    At most ``2 * workers`` solves wait at a time (each holds its ``x``, as large
    as the ensemble's activities), so the scratch build waits for the pool.
    """

    def __init__(self, model, pool, workers, blas):
        self.model = model
        self.pool = pool
        self.blas = blas
        self.slots = threading.BoundedSemaphore(2 * workers)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        return None

    def shrink(self, limit=None):
        pass

    def wrap_solver(self, solver_fn):
        def collect(conn, gain, bias, x, targets, rng=np.random, **kwargs):
            key = memo_key(self.model, conn, gain, bias, x, targets, rng, self.blas)
            if key is not None and _recall(key) is None:
                self.slots.acquire()
                future = self.pool.submit(
                    _solve, key, conn, gain, bias, x, targets, rng, kwargs)
                future.add_done_callback(lambda _: self.slots.release())
            return np.zeros((gain.size, targets.shape[1])), {}

        return collect


def _solve(key, conn, gain, bias, x, targets, rng, kwargs):
    decoders, info = solve_for_decoders(conn, gain, bias, x, targets, rng=rng, **kwargs)
    _remember(key, np.array(decoders), dict(info))


def _cores():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover (not Linux)
        return os.cpu_count() or 1


def presolve(network, model, blas):
    """Solve ``network``'s decoders side by side into memory, before ``model``'s build.

    Builds the network into a scratch copy of ``model`` (same ``dt`` and builder)
    whose solves are recorded and run in a thread pool, as many at a time as the
    cores allow with ``blas`` threads each; the real build then finds them in
    memory. Global random state is left as it was. Runs only if remembering is
    enabled, `PARALLEL_SOLVES` is set, two or more solves fit the cores side by
    side, the network is seeded and this is its first build in this process
    (rebuilds mostly find their solves in memory; the rest are solved inline).
    Errors are left for the real build.
    """
    workers = _cores() // max(blas + (1,))
    if not (enabled() and PARALLEL_SOLVES and workers > 1 and network.seed is not None
            and network not in _presolved):
        return
    _presolved.add(network)
    state = np.random.get_state()
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        scratch = Model(dt=model.dt, label="presolve", builder=model.builder)
        scratch.decoder_cache = _Collector(scratch, pool, workers, blas)
        try:
            scratch.build(network)
        except Exception:  # noqa: BLE001, S110 -- the real build raises it
            pass
        finally:
            np.random.set_state(state)


@contextlib.contextmanager
def prepared(network, model):
    """Context of a fast build of ``network`` into ``model``.

    Sets `BLAS_THREADS`, puts a `BuildCache` in front of the model's decoder
    cache and runs `presolve`; restores all on exit.
    """
    nengo_cache = model.decoder_cache
    with threadpool_limits(BLAS_THREADS) if BLAS_THREADS else contextlib.nullcontext():
        blas = blas_threads()
        model.decoder_cache = BuildCache(model, nengo_cache, blas)
        try:
            if network is not None:
                presolve(network, model, blas)
            yield
        finally:
            model.decoder_cache = nengo_cache


def default_model(network, dt):
    """The `~nengo.builder.Model` that `nengo.Simulator` makes by default."""
    return Model(dt=float(dt), label=f"{network}, dt={dt:f}",
                 decoder_cache=get_default_decoder_cache())
