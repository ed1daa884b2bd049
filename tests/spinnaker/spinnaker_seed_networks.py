"""Seed networks shared by the SpiNNaker/NEST tests (small on purpose)."""

import nengo
import numpy as np


def _sine_through_two(label, n_neurons, function, seed):
    """Sine -> a -> b (``function`` on the a->b connection), probed on b."""
    with nengo.Network(seed=seed, label=label) as net:
        stim = nengo.Node(lambda t: np.sin(2 * np.pi * t), label="stim")
        a = nengo.Ensemble(n_neurons, 1, label="a")
        b = nengo.Ensemble(n_neurons, 1, label="b")
        nengo.Connection(stim, a)
        nengo.Connection(a, b, function=function)
        net.out = nengo.Probe(b, synapse=0.02)
    return net


def communication_channel(seed=1):
    """Sine -> a -> b (identity), probed on b."""
    return _sine_through_two("channel", 80, None, seed)


def square(seed=2):
    """Sine -> a -> b computing x**2, probed on b."""
    return _sine_through_two("square", 100, np.square, seed)


def integrator(seed=3, tau=0.1):
    """Pulses integrated by a recurrent ensemble."""
    with nengo.Network(seed=seed, label="integrator") as net:
        pulses = nengo.processes.Piecewise({0: 0, 0.1: 2.0, 0.4: 0, 0.6: -1.5, 0.9: 0})
        stim = nengo.Node(pulses, label="stim")
        a = nengo.Ensemble(150, 1, label="integ")
        nengo.Connection(stim, a, transform=tau, synapse=tau)
        nengo.Connection(a, a, synapse=tau)
        net.out = nengo.Probe(a, synapse=0.02)
    return net


SEED_NETWORKS = {
    "channel": communication_channel,
    "square": square,
    "integrator": integrator,
}

