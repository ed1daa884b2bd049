"""The benchmark networks B1-B4 of the core simulator issue, and B5 (build time)."""

import functools

import nengo
import numpy as np
import scipy.sparse


def b1_integrator():
    """B1: one recurrent ensemble of 1000 LIF, 1-D (synapse 0.1)."""
    with nengo.Network(seed=1) as net:
        stim = nengo.Node(lambda t: np.sin(2 * np.pi * t))
        a = nengo.Ensemble(1000, 1)
        nengo.Connection(stim, a, transform=0.1, synapse=0.1)
        nengo.Connection(a, a, synapse=0.1)
        nengo.Probe(a, synapse=0.01)
    return net


def b2_chain(n_ensembles=10, n_neurons=500, seed=2):
    """B2: 10 ensembles of 500 LIF, 1-D, each feeding the next (B5: 100 of 1,000)."""
    with nengo.Network(seed=seed) as net:
        stim = nengo.Node(lambda t: np.sin(2 * np.pi * t))
        prev = stim
        for _ in range(n_ensembles):
            ens = nengo.Ensemble(n_neurons, 1)
            nengo.Connection(prev, ens)
            prev = ens
        nengo.Probe(prev, synapse=0.01)
    return net


def b3_large():
    """B3: two ensembles of 10,000 LIF in 16-D, a -> b computing x**2."""
    with nengo.Network(seed=3) as net:
        stim = nengo.Node(lambda t: np.sin(2 * np.pi * t * np.arange(1, 17)) * 0.25)
        a = nengo.Ensemble(10_000, 16)
        b = nengo.Ensemble(10_000, 16)
        nengo.Connection(stim, a)
        nengo.Connection(a, b, function=np.square)
        nengo.Probe(b, synapse=0.01)
    return net


def b4_random_network(n_exc=3200, n_inh=800, p=0.02, seed=4, scale=1.0):
    """B4: a spiking random network of LIF neurons with 2% sparse connectivity
    (B4H: the same with weights ``scale`` = 100 times larger: ~115 Hz, ~37,000 synaptic
    events a step)."""
    n = n_exc + n_inh
    rng = np.random.RandomState(seed)
    weights = scipy.sparse.random(n, n, density=p, random_state=rng, format="csr")
    weights.data[:] = 0.05
    weights = weights.tolil()
    weights[:, n_exc:] *= -4.0  # inhibitory columns (presynaptic neurons)
    weights = weights.tocsr()
    with nengo.Network(seed=seed) as net:
        ens = nengo.Ensemble(
            n, 1, neuron_type=nengo.LIF(), gain=nengo.dists.Choice([1.0]),
            bias=nengo.dists.Uniform(1.0, 1.15),
        )
        transform = nengo.transforms.Sparse((n, n), init=weights * (0.001 * scale))
        nengo.Connection(ens.neurons, ens.neurons, transform=transform, synapse=0.005)
        net.spikes = nengo.Probe(ens.neurons)
    net.synapses_per_neuron = weights.nnz / n  # each spike is this many synaptic events
    return net


BENCHMARKS = {
    "B1": (b1_integrator, 1.0, 10.0),
    "B2": (b2_chain, 1.0, 10.0),
    "B3": (b3_large, 0.2, 1.0),
    "B4": (b4_random_network, 1.0, 5.0),
    "B4H": (functools.partial(b4_random_network, scale=100.0), 1.0, 5.0),
    "B5": (functools.partial(b2_chain, 100, 1000, seed=5), 0.05, 0.2),
}
