"""Nengo operators and build functions of the spike-timing rules (`nbsnn.learning.rules`).

These are the NumPy reference: they make plain `nengo.Simulator` run the rules, and
`nbsnn.Simulator` replaces them with kernels (`nbsnn.kernels.stdp`) that repeat
their arithmetic operation by operation.

Unlike Nengo's rules, which compute a ``delta`` that a separate ``Copy`` adds to the
weights, these operators update the weights in place: a spike-timing update touches
only the rows and columns of neurons that spiked, and a dense ``delta`` would cost a
full pass over the matrix every step. The weights the connection uses in a step are
the same either way (those updated at the end of the previous step); only one such
rule can act on a connection.
"""

import numpy as np
from nengo.builder import Builder, Operator, Signal
from nengo.builder.learning_rules import get_post_ens, get_pre_ens
from nengo.builder.operator import Copy, Reset
from nengo.ensemble import Neurons
from nengo.exceptions import BuildError

from .rules import RewardSTDP, _PairRule

__all__ = ["SimRewardSTDP", "SimSTDP"]


def _traces(x, s, decay, additive):
    """Decay trace ``x`` and take spike counts ``s`` (added or set), in place."""
    if additive:
        x *= decay
        x += s
    else:
        x[...] = np.where(s != 0, s, x * decay)


def _pair_update(W, s_post, x_pre, x_post, s_pre, p, wdep):
    """New values of the synapses ``W`` (a block of the matrix) after one step."""
    pot = p["a_plus"] * (s_post[:, None] * x_pre[None, :])
    dep = p["a_minus"] * (x_post[:, None] * s_pre[None, :])
    if wdep:
        pot = pot * (p["wmax"] - W)
        dep = dep * (W - p["wmin"])
    return np.clip(W + p["lr"] * (pot + p["sign"] * dep), p["wmin"], p["wmax"])


class SimSTDP(Operator):
    """Pair-based STDP, weight-dependent STDP or Hebbian learning on ``weights``.

    Each step: decay the traces and take the step's spikes; update the rows of
    postsynaptic neurons that spiked, then the columns of presynaptic neurons that
    spiked (in the other rows); clip to the bounds; every ``normalize_every`` steps
    scale each row to sum to ``normalize``.

    Notes
    -----
    1. sets ``[]``
    2. incs ``[]``
    3. reads ``[pre, post]``
    4. updates ``[weights, pre_trace, post_trace, count]``
    """

    def __init__(self, pre, post, weights, pre_trace, post_trace, count, params,
                 weight_dependent, additive, tag=None):
        super().__init__(tag=tag)
        self.params = params
        self.weight_dependent = weight_dependent
        self.additive = additive
        self.sets, self.incs = [], []
        self.reads = [pre, post]
        self.updates = [weights, pre_trace, post_trace, count]

    pre = property(lambda self: self.reads[0])
    post = property(lambda self: self.reads[1])
    weights = property(lambda self: self.updates[0])
    pre_trace = property(lambda self: self.updates[1])
    post_trace = property(lambda self: self.updates[2])
    count = property(lambda self: self.updates[3])

    def make_step(self, signals, dt, rng):
        pre, post, W = signals[self.pre], signals[self.post], signals[self.weights]
        x_pre, x_post = signals[self.pre_trace], signals[self.post_trace]
        count, p = signals[self.count], self.params
        wdep, additive = self.weight_dependent, self.additive

        def step_stdp():
            s_pre, s_post = pre * dt, post * dt
            _traces(x_pre, s_pre, p["decay_pre"], additive)
            _traces(x_post, s_post, p["decay_post"], additive)
            rows = np.flatnonzero(s_post)
            if rows.size:
                W[rows] = _pair_update(W[rows], s_post[rows], x_pre, x_post[rows], s_pre,
                                       p, wdep)
            rest, cols = np.flatnonzero(s_post == 0), np.flatnonzero(s_pre)
            if rest.size and cols.size:
                block = np.ix_(rest, cols)
                W[block] = _pair_update(W[block], s_post[rest], x_pre[cols], x_post[rest],
                                        s_pre[cols], p, wdep)
            if p["normalize"] is not None:
                count[0] += 1
                if count[0] % p["every"] == 0:
                    totals = np.cumsum(W, axis=1)[:, -1]  # sequential sums
                    W[...] = W * (p["normalize"] / totals)[:, None]

        return step_stdp


class SimRewardSTDP(Operator):
    """Reward-modulated STDP with an eligibility trace on ``weights``.

    Each step: decay the traces and take the step's spikes; ``e = e * decay_e +
    (a_plus * s_post x_pre - a_minus * x_post s_pre)``; ``w += rate * reward * e``
    with ``rate = learning_rate * dt``; clip to the bounds.

    Notes
    -----
    1. sets ``[]``
    2. incs ``[]``
    3. reads ``[pre, post, reward]``
    4. updates ``[weights, pre_trace, post_trace, eligibility]``
    """

    def __init__(self, pre, post, reward, weights, pre_trace, post_trace, eligibility,
                 params, additive, tag=None):
        super().__init__(tag=tag)
        self.params = params
        self.additive = additive
        self.sets, self.incs = [], []
        self.reads = [pre, post, reward]
        self.updates = [weights, pre_trace, post_trace, eligibility]

    pre = property(lambda self: self.reads[0])
    post = property(lambda self: self.reads[1])
    reward = property(lambda self: self.reads[2])
    weights = property(lambda self: self.updates[0])
    pre_trace = property(lambda self: self.updates[1])
    post_trace = property(lambda self: self.updates[2])
    eligibility = property(lambda self: self.updates[3])

    def make_step(self, signals, dt, rng):
        pre, post, W = signals[self.pre], signals[self.post], signals[self.weights]
        reward, E = signals[self.reward], signals[self.eligibility]
        x_pre, x_post = signals[self.pre_trace], signals[self.post_trace]
        p, additive = self.params, self.additive

        def step_reward_stdp():
            s_pre, s_post = pre * dt, post * dt
            _traces(x_pre, s_pre, p["decay_pre"], additive)
            _traces(x_post, s_post, p["decay_post"], additive)
            pot = p["a_plus"] * np.outer(s_post, x_pre)
            dep = p["a_minus"] * np.outer(x_post, s_pre)
            E[...] = E * p["decay_e"] + (pot - dep)
            W[...] = np.clip(W + (p["rate"] * reward[0]) * E, p["wmin"], p["wmax"])

        return step_reward_stdp


# --- build functions ---------------------------------------------------------------


def _neuron_outputs(model, rule):
    """Output signals of the pre and post neurons and the weights, after checking
    that the connection is a full neuron-to-neuron weight matrix."""
    conn = rule.connection
    name = type(rule.learning_rule_type).__name__
    pre, post = get_pre_ens(conn).neurons, get_post_ens(conn).neurons
    weights = model.sig[conn]["weights"]
    if (weights.ndim != 2 or weights.shape != (post.size_in, pre.size_out)
            or (isinstance(conn.pre_obj, Neurons) and conn.pre_slice != slice(None))
            or conn.post_slice != slice(None)):
        raise BuildError(
            f"{name} on {conn} needs a full neuron-to-neuron weight matrix, but this "
            f"connection has weights of shape {weights.shape} between "
            f"{pre.size_out} pre and {post.size_in} post neurons (decoded or sliced). "
            "Connect `ens.neurons` to `ens.neurons` with a dense transform, or use "
            "`solver=nengo.solvers.LstsqL2(weights=True)`.")
    return model.sig[pre]["out"], model.sig[post]["out"], weights


def _take_weights(model, rule):
    """Remove the ``weights += delta`` Copy that Nengo added for ``rule``: these
    operators update the weights themselves."""
    delta = model.sig[rule]["delta"]
    model.operators[:] = [op for op in model.operators
                          if not (isinstance(op, Copy) and op.src is delta)]


def _check_bounds(model, rule):
    """The sparse update clips only the synapses it touches: start inside the bounds."""
    lrt = rule.learning_rule_type
    w = model.sig[rule.connection]["weights"].initial_value
    if np.any(w < lrt.wmin) or np.any(w > lrt.wmax):
        raise BuildError(
            f"Initial weights of {rule.connection} lie outside "
            f"[wmin, wmax] = [{lrt.wmin}, {lrt.wmax}] of its {type(lrt).__name__}; "
            "clip the transform or widen the bounds.")


def _trace_signals(model, rule, n_pre, n_post):
    x_pre = Signal(np.zeros(n_pre), name=f"{rule}.pre_trace")
    x_post = Signal(np.zeros(n_post), name=f"{rule}.post_trace")
    model.sig[rule]["pre_trace"], model.sig[rule]["post_trace"] = x_pre, x_post
    return x_pre, x_post


def _common_params(lrt, dt):
    return dict(lr=float(lrt.learning_rate), a_plus=float(lrt.a_plus),
                a_minus=float(lrt.a_minus), wmin=float(lrt.wmin), wmax=float(lrt.wmax),
                decay_pre=float(np.exp(-dt / lrt.tau_plus)),
                decay_post=float(np.exp(-dt / lrt.tau_minus)))


@Builder.register(_PairRule)
def build_stdp(model, stdp, rule):
    """Build `STDP`, `WeightDependentSTDP` or `Hebbian` into a `SimSTDP` operator."""
    pre, post, weights = _neuron_outputs(model, rule)
    _check_bounds(model, rule)
    _take_weights(model, rule)
    x_pre, x_post = _trace_signals(model, rule, pre.size, post.size)
    params = _common_params(stdp, model.dt)
    params.update(sign=float(stdp.pre_sign), every=float(stdp.normalize_every),
                  normalize=None if stdp.normalize is None else float(stdp.normalize))
    count = Signal(np.zeros(1), name=f"{rule}.count")
    model.add_op(SimSTDP(pre, post, weights, x_pre, x_post, count, params,
                         stdp.weight_dependent, stdp.additive_traces,
                         tag=f"{type(stdp).__name__} on {rule.connection}"))


@Builder.register(RewardSTDP)
def build_reward_stdp(model, rstdp, rule):
    """Build `RewardSTDP` into a `SimRewardSTDP` operator with a reward input."""
    conn = rule.connection
    pre, post, weights = _neuron_outputs(model, rule)
    toplevel = model.toplevel
    if toplevel is not None and not any(c.post_obj == rule
                                        for c in toplevel.all_connections):
        raise BuildError(
            f"RewardSTDP on {conn} has no reward signal: connect one to the rule, "
            "e.g. `nengo.Connection(reward, conn.learning_rule)`.")
    _take_weights(model, rule)
    x_pre, x_post = _trace_signals(model, rule, pre.size, post.size)
    reward = Signal(np.zeros(1), name=f"{rule}.reward")
    model.add_op(Reset(reward))
    model.sig[rule]["in"] = model.sig[rule]["reward"] = reward
    eligibility = Signal(np.zeros(weights.shape), name=f"{rule}.eligibility")
    model.sig[rule]["eligibility"] = eligibility
    params = _common_params(rstdp, model.dt)
    params.update(decay_e=float(np.exp(-model.dt / rstdp.tau_e)),
                  rate=float(rstdp.learning_rate * model.dt))
    model.add_op(SimRewardSTDP(pre, post, reward, weights, x_pre, x_post, eligibility,
                               params, rstdp.additive_traces,
                               tag=f"RewardSTDP on {conn}"))
