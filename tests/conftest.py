"""Shared fixtures: run a network on nengo.Simulator and nbsnn.Simulator side by side."""

import nengo
import numpy as np
import pytest

import nbsnn


def run_both(net, duration=0.2, dt=0.001, seed=0, **kwargs):
    """Run ``net`` on both simulators; returns ``(reference, nbsnn)`` simulators."""
    with nengo.Simulator(net, dt=dt, seed=seed, progress_bar=False, **kwargs) as ref:
        ref.run(duration)
    with nbsnn.Simulator(net, dt=dt, seed=seed, progress_bar=False, **kwargs) as sim:
        sim.run(duration)
    return ref, sim


def assert_same_probes(ref, sim, rtol=1e-7, atol=1e-9):
    """Every probe of the model holds the same data in both simulators."""
    for probe in ref.model.probes:
        expected, actual = ref.data[probe], sim.data[probe]
        assert actual.shape == expected.shape, probe
        np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol, err_msg=str(probe))


@pytest.fixture(scope="session")
def ipython():
    """IPython's global test shell, shared by every test that needs a shell
    (IPython allows one shell instance per process)."""
    from IPython.testing import globalipapp

    globalipapp.start_ipython()
    return globalipapp.get_ipython()


@pytest.fixture
def compare():
    """``compare(net, duration, **kw)`` asserts both backends agree; returns them."""

    def compare(net, duration=0.2, compiled=True, **kwargs):
        ref, sim = run_both(net, duration, **kwargs)
        assert_same_probes(ref, sim)
        if compiled:
            assert sim.python_ops == [], sim.python_ops
        return ref, sim

    return compare
