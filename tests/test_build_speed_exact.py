"""Faster builds (nbsnn.backend.build_cache) give exactly Nengo's decoders."""

import threading

import nengo
import nengo.builder.connection
import numpy as np
import pytest
from nengo.builder import Model
from nengo.cache import DecoderCache

import nbsnn
from nbsnn.backend import build_cache


@pytest.fixture(autouse=True)
def fresh_caches(monkeypatch, tmp_path):
    """An empty in-process memory and an empty Nengo disk cache per test."""
    monkeypatch.setitem(nengo.rc["decoder_cache"], "path", str(tmp_path))
    build_cache._memo.clear()
    build_cache._presolved.clear()
    yield
    build_cache._memo.clear()


class _Solves(list):
    """Connections solved, and whether each solve ran in the presolve pool."""

    def __init__(self):
        super().__init__()
        self.pooled = []


@pytest.fixture
def solves(monkeypatch):
    """Counts decoder solves, inline (Nengo's builder) and in the presolve pool."""
    calls = _Solves()
    original = nengo.builder.connection.solve_for_decoders

    def counted(*args, **kwargs):
        calls.append(args[0])
        calls.pooled.append(threading.current_thread() is not threading.main_thread())
        return original(*args, **kwargs)

    monkeypatch.setattr(nengo.builder.connection, "solve_for_decoders", counted)
    monkeypatch.setattr(build_cache, "solve_for_decoders", counted)
    return calls


@pytest.fixture
def cores(monkeypatch):
    """Enough cores for two solves side by side whatever the BLAS thread count."""
    monkeypatch.setattr(build_cache, "_cores", lambda: 64)


def _chain(synapse=0.005, seed=3, solver=None, transform=1.0):
    with nengo.Network(seed=seed) as net:
        stim = nengo.Node(lambda t: [np.sin(6 * t), np.cos(4 * t)])
        prev = stim
        for i in range(4):
            ens = nengo.Ensemble(120 + 10 * i, 2)
            kwargs = {} if prev is stim else {"function": np.square}
            if solver is not None and prev is not stim:
                kwargs["solver"] = solver
            nengo.Connection(prev, ens, synapse=synapse, transform=transform, **kwargs)
            prev = ens
        net.probe = nengo.Probe(prev, synapse=0.01)
        net.spikes = nengo.Probe(prev.neurons)
    return net


def _run(simulator, net, **kwargs):
    sim = simulator(net, progress_bar=False, **kwargs)
    with sim:
        sim.run(0.05)
    return sim


def _plain(net, **kwargs):
    """nbsnn without the build cache (the build these features must not change)."""
    memo_bytes = build_cache.MEMO_BYTES
    build_cache.MEMO_BYTES = 0
    try:
        return _run(nbsnn.Simulator, net, **kwargs)
    finally:
        build_cache.MEMO_BYTES = memo_bytes


def _assert_same(net, ref, sim, plain=None):
    """Same decoders as ``ref`` (nengo.Simulator); same probe data as ``plain``."""
    for conn in net.all_connections:
        np.testing.assert_array_equal(sim.data[conn].weights, ref.data[conn].weights)
    for probe in net.all_probes:
        np.testing.assert_array_equal(sim.data[probe], (plain or ref).data[probe])


def test_first_build_and_rebuild_match_nengo(solves, cores):
    net = _chain()
    ref = _run(nengo.Simulator, net)
    n_solves = len(solves)
    assert n_solves == 4  # three decoded connections and the decoded probe
    plain = _plain(net)
    solved = len(solves)
    _assert_same(net, ref, _run(nbsnn.Simulator, net), plain)
    assert len(solves) == solved + n_solves  # solved once, in the presolve pool
    assert all(solves.pooled[solved:])
    _assert_same(net, ref, _run(nbsnn.Simulator, net), plain)
    assert len(solves) == solved + n_solves  # rebuilt from memory


def test_matrix_transform(cores):
    """Decoders from memory meet a matrix transform as the solver's own do."""
    net = _chain(transform=np.array([[1.0, 0.5], [-0.3, 1.0]]))
    ref, plain = _run(nengo.Simulator, net), _plain(net)
    for _ in range(2):
        _assert_same(net, ref, _run(nbsnn.Simulator, net), plain)


def test_rebuild_after_synapse_change_reuses_decoders(solves):
    net = _chain()
    _run(nbsnn.Simulator, net)
    solved = len(solves)
    for conn in net.all_connections:
        conn.synapse = nengo.Lowpass(0.02)
    sim = _run(nbsnn.Simulator, net)
    assert len(solves) == solved
    _assert_same(net, _run(nengo.Simulator, net), sim, _plain(net))


def test_changed_function_is_solved_again(solves, cores):
    net = _chain()
    _run(nbsnn.Simulator, net)
    solved = len(solves)
    conn = net.all_connections[-1]
    conn.function = np.abs
    sim = _run(nbsnn.Simulator, net)
    assert len(solves) == solved + 1  # only the changed connection
    _assert_same(net, _run(nengo.Simulator, net), sim, _plain(net))


def test_explicit_model_argument(solves, cores):
    net = _chain()
    ref = _run(nengo.Simulator, net, model=Model(dt=0.001))
    plain = _plain(net, model=Model(dt=0.001))
    model = Model(dt=0.001)
    nengo_cache = model.decoder_cache
    _assert_same(net, ref, _run(nbsnn.Simulator, net, model=model), plain)
    assert model.decoder_cache is nengo_cache  # restored after the build
    solved = len(solves)
    _assert_same(net, ref, _run(nbsnn.Simulator, net, model=Model(dt=0.001)), plain)
    assert len(solves) == solved


def test_seed_gives_same_numbers_and_leaves_global_random_state(cores):
    net = _chain()
    ref = _run(nengo.Simulator, net, seed=11)
    np.random.seed(7)
    plain = _plain(net, seed=11)
    after_plain = np.random.rand()
    np.random.seed(7)
    sim = _run(nbsnn.Simulator, net, seed=11)
    assert np.random.rand() == after_plain
    _assert_same(net, ref, sim, plain)


def test_solver_drawing_random_numbers_is_not_cached(monkeypatch, solves):
    """LstsqNoise draws from the connection's random state, which also samples the
    transform afterwards: a cached solve (here or on disk) would leave it elsewhere."""
    net = _chain(solver=nengo.solvers.LstsqNoise(), transform=nengo.dists.Uniform(0.5, 1))
    with monkeypatch.context() as patch:
        patch.setitem(nengo.rc["decoder_cache"], "enabled", "False")
        ref = _run(nengo.Simulator, net)
    _run(nengo.Simulator, net)  # fills Nengo's disk cache
    solved = len(solves)
    for _ in range(2):
        _assert_same(net, ref, _run(nbsnn.Simulator, net), _plain(net))
    noisy = [c for c in solves[solved:] if isinstance(c.solver, nengo.solvers.LstsqNoise)]
    assert len(noisy) == 4 * 3  # the three LstsqNoise connections, in each of 4 builds


@pytest.mark.parametrize("setting", [("MEMO_BYTES", 0), ("PARALLEL_SOLVES", False)])
def test_opt_outs(monkeypatch, solves, setting):
    monkeypatch.setattr(build_cache, *setting)
    monkeypatch.setitem(nengo.rc["decoder_cache"], "enabled", "False")  # no disk hits
    net = _chain()
    ref = _run(nengo.Simulator, net)
    plain = _plain(net)
    solved = len(solves)
    _assert_same(net, ref, _run(nbsnn.Simulator, net), plain)
    _assert_same(net, ref, _run(nbsnn.Simulator, net), plain)
    assert len(solves) == solved + 2 * 4  # every build solves, inline


def test_nengo_cache_is_filled_once_per_folder(tmp_path, cores):
    net = _chain()
    for folder in ("a", "a", "b"):
        model = Model(dt=0.001, decoder_cache=DecoderCache(cache_dir=str(tmp_path / folder)))
        _run(nbsnn.Simulator, net, model=model)
    for folder in ("a", "b"):
        cache = DecoderCache(cache_dir=str(tmp_path / folder))
        assert len(cache.get_files()) == 1  # one .nco file of all four solves
        with cache:
            assert len(cache._index._index) == 4


def test_memory_is_bounded(monkeypatch):
    monkeypatch.setattr(build_cache, "MEMO_BYTES", 3 * 130 * 2 * 8)  # ~3 decoders
    _run(nbsnn.Simulator, _chain())
    assert 0 < sum(entry[0].nbytes for entry in build_cache._memo.values()) <= build_cache.MEMO_BYTES


def test_single_threaded_blas_is_deterministic_and_close(monkeypatch, solves, cores):
    monkeypatch.setattr(build_cache, "BLAS_THREADS", 1)
    net = _chain()
    ref = _run(nengo.Simulator, net)
    inline = _plain(net)
    solved = len(solves)
    first = _run(nbsnn.Simulator, net)
    assert len(solves) == solved + 4 and all(solves.pooled[solved:])
    _assert_same(net, inline, first, inline)
    build_cache._memo.clear()
    second = _run(nbsnn.Simulator, net)  # a rebuild is not presolved: inline solves
    assert len(solves) == solved + 8 and not any(solves.pooled[solved + 4:])
    _assert_same(net, inline, second, inline)
    for conn in net.all_connections[1:]:
        np.testing.assert_allclose(first.data[conn].weights, ref.data[conn].weights,
                                   rtol=0, atol=1e-12)
