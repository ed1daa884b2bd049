"""Wiring helpers for competitive spiking networks (Diehl & Cook, 2015)."""

import nengo
import numpy as np

from .neurons import AdaptiveThresholdLIF
from .rules import STDP

__all__ = ["DiehlCook", "lateral_inhibition", "spike_source"]


def spike_source(process, label=None):
    """An ensemble whose neurons emit exactly the spikes of ``process`` (an encoder).

    Learning rules act on neuron-to-neuron connections, so an encoder's `nengo.Node`
    feeds a relay of `nengo.RectifiedLinear` neurons (gain 1, bias 0), whose output
    equals their input. Returns the ensemble; connect from ``ens.neurons``.
    """
    n = process.default_size_out
    node = nengo.Node(process, label=None if label is None else f"{label} encoder")
    ens = nengo.Ensemble(n, 1, neuron_type=nengo.RectifiedLinear(), gain=np.ones(n),
                         bias=np.zeros(n), label=label)
    nengo.Connection(node, ens.neurons, synapse=None)
    return ens


def lateral_inhibition(source, strength, target=None, synapse=None):
    """Connect neuron ``i`` of ``source`` to every neuron ``j != i`` of ``target``
    (default: ``source`` itself) with weight ``-strength``; returns the connection."""
    target = source if target is None else target
    n = source.n_neurons
    if target.n_neurons != n:
        raise ValueError(f"{source} and {target} differ in size ({n}, {target.n_neurons})")
    return nengo.Connection(source.neurons, target.neurons, synapse=synapse,
                            transform=-strength * (1 - np.eye(n)))


class DiehlCook(nengo.Network):
    """Diehl & Cook (2015): input spikes -> excitatory layer with adaptive thresholds,
    learned by STDP with normalised weights; one inhibitory neuron per excitatory one
    inhibits all the others (soft winner-take-all).

    In Nengo's normalised units (threshold 1, reset 0): an input spike through weight
    ``w`` moves an excitatory voltage by about ``w / tau_rc``. The input weights start
    uniform in ``[0, w_init]`` and stay in ``[0, wmax]``; every ``normalize_every``
    steps each excitatory neuron's input weights are scaled to sum to ``normalize``.
    The defaults suit ~64 inputs at up to ~64 Hz (scikit-learn's digits).

    Parameters
    ----------
    encoder : nengo.Process
        Input spikes, e.g. `nbsnn.learning.PoissonSpikes` with a presentation schedule.
    n_exc : int
        Number of excitatory (and inhibitory) neurons.
    rule : LearningRuleType or None, optional
        Learning rule of the input connection. By default `STDP` as in the paper:
        potentiation ``0.05 * wmax`` and depression ``0.0005 * wmax`` per spike pair,
        clipped to ``[0, wmax]``, normalised. ``None`` freezes the weights.
    wmax, w_init, normalize : float, optional
        Weight bound, initial range (default ``0.3 * wmax``) and per-neuron sum
        (default ``0.1 * wmax`` per input).
    normalize_every : int, optional
        Steps between normalisations; default one presentation period of the encoder
        at ``dt = 0.001`` (every step if it has none).
    weights, theta : array_like, optional
        Initial input weights and thresholds, e.g. learned ones to evaluate a trained
        network (with ``rule=None`` and ``inc_theta=0`` to freeze it).

    Attributes
    ----------
    input, exc, inh : nengo.Ensemble
        The layers; ``input_conn`` is the learned connection.
    """

    def __init__(self, encoder, n_exc=100, rule="default", wmax=0.02, w_init=None,
                 normalize=None, normalize_every=None, exc_inh=2.0, inh_exc=0.4,
                 tau_rc=0.1, tau_ref=0.005, inc_theta=0.01, tau_theta=1e4,
                 input_synapse=0.001, weights=None, theta=None, seed=None,
                 label="Diehl & Cook", **kwargs):
        super().__init__(label=label, seed=seed, **kwargs)
        n_in = encoder.default_size_out
        w_init = 0.3 * wmax if w_init is None else w_init
        normalize = 0.1 * wmax * n_in if normalize is None else normalize
        if normalize_every is None:  # once per sample (at dt = 1 ms), as in the paper
            period = getattr(encoder, "period", np.inf)
            normalize_every = 1 if np.isinf(period) else max(1, int(round(period / 0.001)))
        if rule == "default":
            rule = STDP(learning_rate=0.05 * wmax, a_plus=1.0, a_minus=0.01, wmin=0.0,
                        wmax=wmax, normalize=normalize, normalize_every=normalize_every)
        rng = np.random.RandomState(seed)
        if weights is None:
            weights = rng.uniform(0, w_init, (n_exc, n_in))
        state = {} if theta is None else {"theta": np.asarray(theta, dtype=float)}
        with self:
            self.input = spike_source(encoder, label="input")
            self.exc = nengo.Ensemble(
                n_exc, 1, label="excitatory", gain=np.ones(n_exc), bias=np.zeros(n_exc),
                neuron_type=AdaptiveThresholdLIF(tau_rc=tau_rc, tau_ref=tau_ref,
                                                 inc_theta=inc_theta, tau_theta=tau_theta,
                                                 initial_state=state))
            self.inh = nengo.Ensemble(
                n_exc, 1, label="inhibitory", gain=np.ones(n_exc), bias=np.zeros(n_exc),
                neuron_type=nengo.LIF(tau_rc=0.01, tau_ref=0.002))
            self.input_conn = nengo.Connection(
                self.input.neurons, self.exc.neurons, synapse=input_synapse,
                transform=weights, learning_rule_type=rule)
            nengo.Connection(self.exc.neurons, self.inh.neurons, synapse=0.001,
                             transform=exc_inh * np.eye(n_exc))
            lateral_inhibition(self.inh, inh_exc, target=self.exc, synapse=0.002)
