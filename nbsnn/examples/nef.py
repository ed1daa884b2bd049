"""The three seed networks of the NEF-on-SpiNNaker work: communication channel,
squaring and integrator, each driven by a function of time."""

import nengo
import numpy as np

__all__ = ["channel", "integrator", "squaring", "NETWORKS"]


def _stimulus(t):
    return np.sin(2 * np.pi * t)


def _feedforward(label, function, n_neurons, seed):
    """``stim -> a -> b``, the connection a -> b computing ``function``."""
    with nengo.Network(label=label, seed=seed) as net:
        net.stim = nengo.Node(_stimulus, label="stim")
        net.a = nengo.Ensemble(n_neurons, 1, label="a")
        net.b = nengo.Ensemble(n_neurons, 1, label="b")
        nengo.Connection(net.stim, net.a)
        nengo.Connection(net.a, net.b, function=function, synapse=0.01)
        net.probe = nengo.Probe(net.b, synapse=0.02, label="b")
    return net


def channel(n_neurons=100, seed=0):
    """``a -> b``: b represents a's value; returns the network and its ideal output."""
    return _feedforward("communication channel", None, n_neurons, seed), _stimulus


def squaring(n_neurons=100, seed=0):
    """``a -> b`` computing ``x**2``."""
    net = _feedforward("squaring", np.square, n_neurons, seed)
    return net, lambda t: _stimulus(t) ** 2


def _pulses(t):
    return 1.0 if 0.2 < t % 1.0 < 0.4 else (-1.0 if 0.6 < t % 1.0 < 0.7 else 0.0)


def integrator(n_neurons=200, tau=0.1, seed=0):
    """A recurrent ensemble integrating pulses of input."""
    with nengo.Network(label="integrator", seed=seed) as net:
        net.stim = nengo.Node(_pulses, label="stim")
        net.a = nengo.Ensemble(n_neurons, 1, label="a")
        nengo.Connection(net.stim, net.a, transform=tau, synapse=tau)
        nengo.Connection(net.a, net.a, synapse=tau)
        net.probe = nengo.Probe(net.a, synapse=0.02, label="a")

    def ideal(t):
        t = np.atleast_1d(t)
        dt = t[1] - t[0] if len(t) > 1 else 0.001
        return np.cumsum([_pulses(ti) for ti in t]) * dt

    return net, ideal


NETWORKS = {"channel": channel, "squaring": squaring, "integrator": integrator}
