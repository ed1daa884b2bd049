"""Small, seeded networks shared by the dashboard tests."""

import nengo
import pytest


def make_channel(seed=3):
    """A constant input node feeding an ensemble that represents it."""
    with nengo.Network(seed=seed, label="channel") as net:
        stim = nengo.Node([0.0], label="stim")
        ens = nengo.Ensemble(60, 1, label="ens")
        nengo.Connection(stim, ens, synapse=0.005)
    return net


def make_integrator(seed=5, tau=0.1):
    """The classic neural integrator: input scaled by tau, recurrent synapse tau."""
    with nengo.Network(seed=seed, label="integrator") as net:
        stim = nengo.Node([0.0], label="stim")
        ens = nengo.Ensemble(100, 1, label="integrator")
        nengo.Connection(stim, ens, transform=tau, synapse=tau)
        nengo.Connection(ens, ens, synapse=tau)
    return net


@pytest.fixture
def channel():
    return make_channel()


@pytest.fixture
def integrator():
    return make_integrator()


@pytest.fixture(name="make_integrator")
def make_integrator_fixture():
    return make_integrator
