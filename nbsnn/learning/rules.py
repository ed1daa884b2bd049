"""Spike-timing learning rules in the BindsNET tradition, as Nengo learning rule types.

Each rule acts on a neuron-to-neuron weight matrix (``modifies = "weights"``): put it
on a `nengo.Connection` between two ``Neurons`` objects (or between ensembles with
``solver=nengo.solvers.LstsqL2(weights=True)``). A neuron's spike count in a step is
its output times ``dt`` (1 for a spike of a unit-amplitude neuron).

Every rule keeps a presynaptic trace ``x_pre`` (time constant ``tau_plus``) and a
postsynaptic trace ``x_post`` (``tau_minus``). Each step they decay by
``exp(-dt / tau)`` and then take the step's spikes: added (``additive_traces=True``)
or set to the spike count (the default, as BindsNET's traces). The weights then change
in the same step, using the traces that include the step's spikes.
"""

import math

import numpy as np
from nengo.exceptions import ValidationError
from nengo.learning_rules import LearningRuleType
from nengo.params import BoolParam, Default, NumberParam

__all__ = ["STDP", "Hebbian", "RewardSTDP", "WeightDependentSTDP"]


class _TraceRule(LearningRuleType):
    """Shared parameters of the trace-based rules."""

    modifies = "weights"
    probeable = ("pre_trace", "post_trace")

    learning_rate = NumberParam("learning_rate", low=0, readonly=True, default=1e-2)
    a_plus = NumberParam("a_plus", low=0, readonly=True, default=1.0)
    a_minus = NumberParam("a_minus", low=0, readonly=True, default=1.0)
    tau_plus = NumberParam("tau_plus", low=0, low_open=True, readonly=True, default=0.02)
    tau_minus = NumberParam("tau_minus", low=0, low_open=True, readonly=True, default=0.02)
    wmin = NumberParam("wmin", readonly=True, default=-np.inf)
    wmax = NumberParam("wmax", readonly=True, default=np.inf)
    additive_traces = BoolParam("additive_traces", readonly=True, default=False)

    def __init__(self, learning_rate=Default, a_plus=Default, a_minus=Default,
                 tau_plus=Default, tau_minus=Default, wmin=Default, wmax=Default,
                 additive_traces=Default, size_in=0):
        super().__init__(learning_rate, size_in=size_in)
        self.a_plus = a_plus
        self.a_minus = a_minus
        self.tau_plus = tau_plus
        self.tau_minus = tau_minus
        self.wmin = wmin
        self.wmax = wmax
        self.additive_traces = additive_traces
        if not self.wmin <= self.wmax:
            raise ValidationError(f"wmin ({self.wmin}) must not exceed wmax ({self.wmax})",
                                  attr="wmin", obj=self)


class _PairRule(_TraceRule):
    """A pair-based rule with optional per-neuron normalisation of the weights."""

    normalize = NumberParam("normalize", optional=True, readonly=True, default=None)
    normalize_every = NumberParam("normalize_every", low=0, low_open=True, readonly=True,
                                  default=1)

    #: Sign of the term applied at presynaptic spikes (-1 depresses, +1 potentiates).
    pre_sign = -1.0
    #: Whether the terms scale with the distance to the bounds (multiplicative STDP).
    weight_dependent = False

    def __init__(self, learning_rate=Default, a_plus=Default, a_minus=Default,
                 tau_plus=Default, tau_minus=Default, wmin=Default, wmax=Default,
                 normalize=Default, normalize_every=Default, additive_traces=Default):
        super().__init__(learning_rate, a_plus, a_minus, tau_plus, tau_minus, wmin, wmax,
                         additive_traces)
        self.normalize = normalize
        self.normalize_every = normalize_every
        if self.normalize_every != int(self.normalize_every):
            raise ValidationError("normalize_every is a whole number of steps",
                                  attr="normalize_every", obj=self)


class STDP(_PairRule):
    r"""Pair-based STDP with traces (BindsNET's ``PostPre``).

    At a postsynaptic spike ``s_post`` the weight grows by
    ``learning_rate * a_plus * s_post * x_pre``; at a presynaptic spike ``s_pre`` it
    shrinks by ``learning_rate * a_minus * x_post * s_pre``. So a pre spike ``d``
    seconds before a post spike changes the weight by
    ``learning_rate * a_plus * exp(-d / tau_plus)``, and one ``d`` seconds after it by
    ``-learning_rate * a_minus * exp(-d / tau_minus)``. Changed weights are clipped to
    ``[wmin, wmax]``.

    Parameters
    ----------
    learning_rate : float
        Scale of every weight change (per spike pair, not per second).
    a_plus, a_minus : float
        Sizes of potentiation (post spike) and depression (pre spike).
    tau_plus, tau_minus : float
        Time constants (s) of the presynaptic and postsynaptic traces.
    wmin, wmax : float
        Bounds of the weights the rule changes.
    normalize : float or None
        If given, every ``normalize_every`` steps each postsynaptic neuron's incoming
        weights are scaled to sum to ``normalize`` (Diehl & Cook's normalisation).
    normalize_every : int
        Steps between normalisations.
    additive_traces : bool
        Add spikes to the traces instead of setting the traces to them.
    """


class WeightDependentSTDP(STDP):
    r"""STDP with multiplicative bounds (BindsNET's ``WeightDependentPostPre``).

    As `STDP`, but potentiation is scaled by ``wmax - w`` and depression by
    ``w - wmin``, so weights approach the (finite) bounds softly.
    """

    weight_dependent = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not (math.isfinite(self.wmin) and math.isfinite(self.wmax)):
            raise ValidationError("WeightDependentSTDP needs finite wmin and wmax",
                                  attr="wmax", obj=self)


class Hebbian(STDP):
    r"""Trace-based Hebbian learning (BindsNET's ``Hebbian``): both terms potentiate.

    A post spike adds ``learning_rate * a_plus * x_pre``, a pre spike adds
    ``learning_rate * a_minus * x_post``; weights are clipped to ``[wmin, wmax]``.
    """

    pre_sign = 1.0


class RewardSTDP(_TraceRule):
    r"""Reward-modulated STDP with an eligibility trace (as BindsNET's ``MSTDPET``).

    Each step the STDP term of every synapse,
    ``a_plus * s_post * x_pre - a_minus * x_post * s_pre``, is added to an eligibility
    trace ``e`` that decays with ``tau_e``; the weights then change by
    ``learning_rate * dt * reward * e`` and are clipped to ``[wmin, wmax]``.

    The reward is a scalar input: connect a signal to the rule, as PES takes its
    error, e.g. ``nengo.Connection(reward_node, conn.learning_rule)``.

    Parameters
    ----------
    tau_e : float
        Time constant (s) of the eligibility trace.
    """

    probeable = ("pre_trace", "post_trace", "eligibility", "reward")

    tau_e = NumberParam("tau_e", low=0, low_open=True, readonly=True, default=0.025)

    def __init__(self, learning_rate=Default, a_plus=Default, a_minus=Default,
                 tau_plus=Default, tau_minus=Default, tau_e=Default, wmin=Default,
                 wmax=Default, additive_traces=Default):
        super().__init__(learning_rate, a_plus, a_minus, tau_plus, tau_minus, wmin, wmax,
                         additive_traces, size_in=1)
        self.tau_e = tau_e
