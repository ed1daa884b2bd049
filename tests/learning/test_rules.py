"""Spike-timing rules: closed-form weight changes for spike pairs on both simulators,
and nbsnn equal to the NumPy reference bit for bit on random spike trains."""

import nengo
import numpy as np
import pytest
from nengo.exceptions import BuildError, ValidationError

import nbsnn
from nbsnn.learning import (
    STDP,
    BernoulliSpikes,
    Hebbian,
    RewardSTDP,
    WeightDependentSTDP,
)

DT = 0.001
SIMULATORS = [nengo.Simulator, nbsnn.Simulator]


def _spike_node(steps, n=1):
    """A Node spiking (1/dt) at the given 1-based steps."""
    steps = set(steps)
    return nengo.Node(lambda t: np.full(n, 1 / DT if round(t / DT) in steps else 0.0))


def _pair_net(rule, pre_steps, post_steps, w0=0.01, reward=None):
    with nengo.Network(seed=0) as net:
        relay = nengo.SpikingRectifiedLinear()
        pre = nengo.Ensemble(1, 1, neuron_type=relay, gain=[1], bias=[0])
        post = nengo.Ensemble(1, 1, neuron_type=relay, gain=[1], bias=[0])
        nengo.Connection(_spike_node(pre_steps), pre.neurons, synapse=None)
        nengo.Connection(_spike_node(post_steps), post.neurons, synapse=None)
        conn = nengo.Connection(pre.neurons, post.neurons, transform=[[w0]], synapse=None,
                                learning_rule_type=rule)
        if reward is not None:
            nengo.Connection(nengo.Node(reward), conn.learning_rule, synapse=None)
        net.w = nengo.Probe(conn, "weights")
        net.spikes = nengo.Probe(pre.neurons), nengo.Probe(post.neurons)
    return net


def _final_weight(Simulator, net, steps=40):
    with Simulator(net, dt=DT, progress_bar=False) as sim:
        sim.run_steps(steps)
    # the pair was delivered as intended (one spike each, at the given steps)
    return sim.data[net.w][-1, 0, 0], [np.flatnonzero(sim.data[p][:, 0]) + 1
                                       for p in net.spikes]


PAIRS = [(5, 5), (5, 6), (5, 8), (5, 15), (6, 5), (8, 5), (15, 5)]  # (pre step, post step)


@pytest.mark.parametrize("Simulator", SIMULATORS, ids=["nengo", "nbsnn"])
@pytest.mark.parametrize("pre_step,post_step", PAIRS)
@pytest.mark.parametrize("kind", ["stdp", "hebbian", "weight_dependent"])
def test_pair_closed_form(Simulator, pre_step, post_step, kind):
    lr, ap, am, tp, tm, w0 = 0.01, 1.0, 0.5, 0.02, 0.01, 0.3
    cls = dict(stdp=STDP, hebbian=Hebbian, weight_dependent=WeightDependentSTDP)[kind]
    bounds = dict(wmin=0.0, wmax=1.0) if kind == "weight_dependent" else {}
    rule = cls(learning_rate=lr, a_plus=ap, a_minus=am, tau_plus=tp, tau_minus=tm,
               **bounds)
    w, spikes = _final_weight(Simulator, _pair_net(rule, [pre_step], [post_step], w0))
    assert [list(s) for s in spikes] == [[pre_step], [post_step]]
    d = abs(post_step - pre_step) * DT
    pot = ap * np.exp(-d / tp) if post_step >= pre_step else 0.0
    dep = am * np.exp(-d / tm) if pre_step >= post_step else 0.0
    if kind == "weight_dependent":
        pot, dep = pot * (1.0 - w0), dep * w0
    sign = 1.0 if kind == "hebbian" else -1.0
    np.testing.assert_allclose(w, w0 + lr * (pot + sign * dep), rtol=1e-12)


@pytest.mark.parametrize("Simulator", SIMULATORS, ids=["nengo", "nbsnn"])
def test_bounds_clip_the_weight(Simulator):
    rule = STDP(learning_rate=1.0, wmin=-0.2, wmax=0.25)
    w, _ = _final_weight(Simulator, _pair_net(rule, [5], [6], w0=0.1))
    assert w == 0.25
    w, _ = _final_weight(Simulator, _pair_net(rule, [6], [5], w0=0.1))
    assert w == -0.2


@pytest.mark.parametrize("Simulator", SIMULATORS, ids=["nengo", "nbsnn"])
@pytest.mark.parametrize("delay", [1, 4, 10])
def test_reward_stdp_closed_form(Simulator, delay):
    lr, ap, tp, te, r, steps, pre_step = 0.5, 1.0, 0.02, 0.025, 2.0, 40, 5
    post_step = pre_step + delay
    rule = RewardSTDP(learning_rate=lr, a_plus=ap, tau_plus=tp, tau_e=te)
    net = _pair_net(rule, [pre_step], [post_step], w0=0.1, reward=lambda t: r)
    w, _ = _final_weight(Simulator, net, steps)
    e0 = ap * np.exp(-delay * DT / tp)  # eligibility created by the pair
    decay_e = np.exp(-DT / te)
    n = steps - post_step + 1  # steps from the post spike on, each adding rate * r * e
    expected = 0.1 + lr * DT * r * e0 * (1 - decay_e**n) / (1 - decay_e)
    np.testing.assert_allclose(w, expected, rtol=1e-12)


@pytest.mark.parametrize("Simulator", SIMULATORS, ids=["nengo", "nbsnn"])
def test_reward_sign_and_zero_reward(Simulator):
    rule = RewardSTDP(learning_rate=1.0)
    for reward, check in [(0.0, lambda dw: dw == 0), (-1.0, lambda dw: dw < 0)]:
        w, _ = _final_weight(Simulator, _pair_net(rule, [5], [7], 0.1, lambda t, r=reward: r))
        assert check(w - 0.1), reward


def _random_net(rule, seed, n_pre=13, n_post=7, reward=False):
    """Random Bernoulli spike trains through relays into a learning connection."""
    rng = np.random.RandomState(seed)
    with nengo.Network(seed=seed) as net:
        relay = nengo.SpikingRectifiedLinear()
        pre = nengo.Ensemble(n_pre, 1, neuron_type=relay, gain=np.ones(n_pre),
                             bias=np.zeros(n_pre))
        post = nengo.Ensemble(n_post, 1, neuron_type=relay, gain=np.ones(n_post),
                              bias=np.zeros(n_post))
        for ens, p in [(pre, 0.1), (post, 0.05)]:
            node = nengo.Node(BernoulliSpikes(np.full(ens.n_neurons, p)))
            nengo.Connection(node, ens.neurons, synapse=None)
        conn = nengo.Connection(pre.neurons, post.neurons, synapse=0.005,
                                transform=rng.uniform(0, 0.2, (n_post, n_pre)),
                                learning_rule_type=rule)
        if reward:
            nengo.Connection(nengo.Node(lambda t: np.sin(20 * t)), conn.learning_rule)
        net.watch = [nengo.Probe(conn, "weights"), nengo.Probe(post.neurons)]
        net.watch += [nengo.Probe(conn.learning_rule, name)
                       for name in rule.probeable]
    return net


@pytest.mark.parametrize("rule", [
    STDP(learning_rate=0.01, wmin=0, wmax=0.3),
    STDP(learning_rate=0.01, wmin=0, wmax=1, normalize=1.0, normalize_every=7),
    STDP(learning_rate=0.02, additive_traces=True),
    WeightDependentSTDP(learning_rate=0.05, wmin=-0.1, wmax=0.4),
    Hebbian(learning_rate=0.001, a_minus=0.3, wmax=0.5),
    RewardSTDP(learning_rate=2.0, wmin=0, wmax=0.5),
    RewardSTDP(learning_rate=1.0, additive_traces=True),
], ids=repr)
def test_nbsnn_equals_reference_exactly(rule):
    net = _random_net(rule, seed=3, reward=isinstance(rule, RewardSTDP))
    with nengo.Simulator(net, dt=DT, progress_bar=False) as ref:
        ref.run(0.3)
    with nbsnn.Simulator(net, dt=DT, progress_bar=False) as sim:
        sim.run(0.3)
    assert sim.python_ops == []
    assert not np.array_equal(ref.data[net.watch[0]][0], ref.data[net.watch[0]][-1])
    for probe in net.watch:
        np.testing.assert_array_equal(sim.data[probe], ref.data[probe], err_msg=str(probe))


def test_normalisation_sets_row_sums():
    rule = STDP(learning_rate=0.01, wmin=0, wmax=1, normalize=0.7, normalize_every=10)
    net = _random_net(rule, seed=4)
    with nbsnn.Simulator(net, dt=DT, progress_bar=False) as sim:
        sim.run_steps(50)
    np.testing.assert_allclose(sim.data[net.watch[0]][-1].sum(axis=1), 0.7, rtol=1e-12)


def test_decoded_or_sliced_connections_are_rejected():
    with nengo.Network():  # decoded: Nengo refuses when the connection is made
        a, b = nengo.Ensemble(10, 1), nengo.Ensemble(10, 1)
        for post in (b, b.neurons):
            with pytest.raises(ValidationError, match="learning_rule_type"):
                nengo.Connection(a, post, transform=np.ones((post.size_in, 1)),
                                 learning_rule_type=STDP())
    with nengo.Network() as net:  # sliced: refused at build time, naming the connection
        a, b = nengo.Ensemble(10, 1), nengo.Ensemble(10, 1)
        nengo.Connection(a.neurons[:5], b.neurons, transform=np.ones((10, 5)),
                         learning_rule_type=STDP())
    for Simulator in SIMULATORS:
        with pytest.raises(BuildError, match=r"STDP on <Connection .*\[:5\].* full neuron"):
            Simulator(net, progress_bar=False)


def test_ensembles_with_weight_solvers_learn():
    with nengo.Network(seed=1) as net:
        stim = nengo.Node(lambda t: np.sin(10 * t))
        a, b = nengo.Ensemble(20, 1), nengo.Ensemble(15, 1)
        nengo.Connection(stim, a)
        conn = nengo.Connection(a, b, solver=nengo.solvers.LstsqL2(weights=True),
                                learning_rule_type=STDP(learning_rate=1e-3))
        probe = nengo.Probe(conn, "weights")
    with nengo.Simulator(net, progress_bar=False) as ref:
        ref.run(0.2)
    with nbsnn.Simulator(net, progress_bar=False) as sim:
        sim.run(0.2)
    assert sim.python_ops == []
    assert ref.data[probe].shape[1:] == (15, 20)
    assert not np.array_equal(ref.data[probe][0], ref.data[probe][-1])
    np.testing.assert_array_equal(sim.data[probe], ref.data[probe])


def test_missing_reward_is_rejected_naming_the_connection():
    with nengo.Network() as net:
        a, b = nengo.Ensemble(5, 1), nengo.Ensemble(5, 1)
        nengo.Connection(a.neurons, b.neurons, transform=np.zeros((5, 5)),
                         learning_rule_type=RewardSTDP())
    for Simulator in SIMULATORS:
        with pytest.raises(BuildError, match="RewardSTDP on .*Connection.* no reward"):
            Simulator(net, progress_bar=False)


def test_initial_weights_outside_bounds_are_rejected():
    with nengo.Network() as net:
        a, b = nengo.Ensemble(5, 1), nengo.Ensemble(5, 1)
        nengo.Connection(a.neurons, b.neurons, transform=np.full((5, 5), 2.0),
                         learning_rule_type=STDP(wmax=1.0))
    with pytest.raises(BuildError, match="outside"):
        nbsnn.Simulator(net, progress_bar=False)


def test_bad_parameters_are_rejected():
    with pytest.raises(ValidationError, match="finite"):
        WeightDependentSTDP()
    with pytest.raises(ValidationError, match="must not exceed"):
        STDP(wmin=1, wmax=0)


def test_nan_weights_raise_nonfinite_error_naming_the_connection():
    rule = STDP(learning_rate=np.inf)
    net = _random_net(rule, seed=5)
    with nbsnn.Simulator(net, dt=DT, progress_bar=False) as sim:
        with pytest.raises(nbsnn.exceptions.NonFiniteError, match=r"produced by Connection .*neurons -> .*neurons"):
            sim.run(0.2)


@pytest.mark.parametrize("rule", [STDP(learning_rate=0.01, wmax=1, normalize=1.0,
                                       normalize_every=7), RewardSTDP(learning_rate=1.0)],
                         ids=repr)
def test_reset_replays_learning(rule):
    net = _random_net(rule, seed=3, reward=isinstance(rule, RewardSTDP))
    with nbsnn.Simulator(net, dt=DT, progress_bar=False) as sim:
        sim.run(0.1)
        first = sim.data[net.watch[0]].copy()
        sim.reset()
        sim.run(0.1)
        np.testing.assert_array_equal(sim.data[net.watch[0]], first)
