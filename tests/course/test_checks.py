"""Each exercise check passes a right answer, fails the nbgrader stub, and names the mistake
in common wrong answers without giving the answer away."""

import re

import nengo
import numpy as np
import pytest

from nbsnn.course import checks
from nbsnn.exceptions import ExerciseFailed, NbsnnError

# -- right answers (written independently of the notebooks' solution cells) -----------------

def lif_rate(J, tau_rc=0.02, tau_ref=0.002):
    J = np.asarray(J, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        period = tau_ref - tau_rc * np.log(1 - 1 / J)
    return np.where(J > 1, 1 / period, 0.0)


def current_for_rate(rate, tau_rc=0.02, tau_ref=0.002):
    return 1 / (1 - np.exp((tau_ref - 1 / np.asarray(rate)) / tau_rc))


def gain_bias(max_rates, intercepts, tau_rc=0.02, tau_ref=0.002):
    return nengo.LIF(tau_rc=tau_rc, tau_ref=tau_ref).gain_bias(max_rates, intercepts)


def decoders(A, Y, reg=0.1):
    return nengo.solvers.LstsqL2(reg=reg)(A, Y)[0]


def lowpass(x, dt, tau):
    a = np.exp(-dt / tau)
    y = np.zeros(len(x))
    for n in range(len(x)):
        y[n] = a * (y[n - 1] if n else 0.0) + (1 - a) * x[n]
    return y


def oscillator(omega, tau):
    return np.array([[1, -omega * tau], [omega * tau, 1]])


CHANNEL = """
stim = input 0.5
a = ensemble 100 LIF
b = ensemble 100 LIF
stim -> a
a -> b synapse=20ms
probe b synapse=10ms
"""


def channel(*replacements):
    """A channel_text answer: CHANNEL with each (old, new) replaced."""
    text = CHANNEL
    for old, new in replacements:
        text = text.replace(old, new)
    return lambda: text


def stdp(d, lr, a_plus, a_minus, tau_plus, tau_minus):
    potentiation = a_plus * np.exp(-d / tau_plus) if d >= 0 else 0.0
    depression = a_minus * np.exp(d / tau_minus) if d <= 0 else 0.0
    return lr * (potentiation - depression)


def pes_delta(error, activities, learning_rate, dt):
    return -learning_rate * dt / len(activities) * np.outer(error, activities)


def reward_for(target, spikes):
    return float(spikes[target] > 0) - float(spikes[1 - target] > 0)


def qcfs(x, threshold, levels):
    counts = np.clip(np.floor(np.asarray(x) * levels / threshold + 0.5), 0, levels)
    return counts * threshold / levels


def on_front(score, cost):
    score, cost = np.asarray(score), np.asarray(cost)
    beaten = [np.any((score >= s) & (cost <= c) & ((score > s) | (cost < c)))
              for s, c in zip(score, cost)]
    return ~np.array(beaten)


def neuron_weights(decoders, encoders, gain, radius):
    return (gain[:, None] * encoders / radius) @ decoders


def nir_lif_spikes(current, dt, tau, r, v_leak, v_threshold, v_reset):
    v, spikes = 0.0, np.zeros(len(current), dtype=bool)
    for n, x in enumerate(current):
        v = v + dt / tau * (v_leak - v + r * x)
        spikes[n] = v > v_threshold
        v = v_reset if spikes[n] else v
    return spikes


def stub(*args):
    # YOUR CODE HERE  (what nbgrader's generate_assignment leaves in a solution cell)
    raise NotImplementedError()


def euler_lowpass(x, dt, tau):
    a, y, state = 1 - dt / tau, np.zeros(len(x)), 0.0
    for n in range(len(x)):
        state = a * state + (1 - a) * x[n]
        y[n] = state
    return y


# (check, right answer, [(common wrong answer, words its hint must contain)])
CASES = {
    "lif_rate": (checks.check_lif_rate, lif_rate, [
        (lambda J, tau_rc, tau_ref: lif_rate(J, tau_rc, 0.0), "refractory period"),
        (lambda J, tau_rc, tau_ref: 1 / np.maximum(lif_rate(J, tau_rc, tau_ref), 1e-300)
         * (np.asarray(J) > 1), "time between spikes"),
        (lambda J, tau_rc, tau_ref: np.where(np.asarray(J) > 0.5, 1.0, 0.0), "threshold"),
        (lambda J, tau_rc, tau_ref: lif_rate(J), "tau_rc=0.05"),  # ignores its arguments
    ]),
    "current_for_rate": (checks.check_current_for_rate, current_for_rate, [
        (lambda r, tau_rc, tau_ref: 1 / (1 - np.exp(-1 / (np.asarray(r) * tau_rc))),
         "refractory period"),
        (lambda r, tau_rc, tau_ref: 1 / (1 - np.exp((1 / np.asarray(r) - tau_ref) / tau_rc)),
         "sign of the exponent"),
    ]),
    "gain_bias": (checks.check_gain_bias, gain_bias, [
        (lambda m, i, tau_rc, tau_ref: (gain_bias(m, i)[0], -gain_bias(m, i)[1] - 2
                                        * gain_bias(m, i)[0] * i), "sign of the bias"),
        (lambda m, i, tau_rc, tau_ref: (gain_bias(m, i)[0] * 2, 1 - 2 * gain_bias(m, i)[0]
                                        * i), "max_rate"),
        (lambda m, i, tau_rc, tau_ref: gain_bias(m, i)[0], "two arrays"),
    ]),
    "decoders": (checks.check_decoders, decoders, [
        (lambda A, Y, reg: np.linalg.lstsq(A, Y, rcond=None)[0], "unregularised"),
        (lambda A, Y, reg: decoders(A, Y, reg).T, "transpose"),
        (lambda A, Y, reg: np.linalg.solve(A.T @ A + (reg * A.max()) ** 2 * np.eye(A.shape[1]),
                                           A.T @ Y), "number of evaluation points"),
    ]),
    "lowpass_step": (checks.check_lowpass_step, lambda t, tau: 1 - np.exp(-t / tau), [
        (lambda t, tau: 1 - np.exp(-t * tau), "factor of tau"),
        (lambda t, tau: np.exp(-t / tau), "rises"),
        (lambda t, tau: (1 - np.exp(-t / tau)) / tau, "factor of tau"),
    ]),
    "lowpass_filter": (checks.check_lowpass_filter, lowpass, [
        (euler_lowpass, "Euler"),
        (lambda x, dt, tau: np.concatenate([[0.0], lowpass(x, dt, tau)[:-1]]),
         "one step late"),
    ]),
    "channel_text": (checks.check_channel_text, channel(), [
        (channel(("synapse=20ms", "synapse=20")), "needs a unit"),
        (channel(("synapse=20ms", "synapse=20s")), "check its unit"),
        (channel(("a -> b", "b -> a")), "wrong way"),
        (channel(("stim -> a\n", "stim -> a synapse=20ms\n"), ("a -> b synapse=20ms", "a -> b")),
         "wrong connection"),
        (channel(("probe b synapse=10ms", "probe b")), "probe"),
        (channel(("ensemble 100 LIF", "ensemble 50 LIF")), "100 LIF"),
    ]),
    "pes": (checks.check_pes_delta, pes_delta, [
        (lambda e, a, lr, dt: -pes_delta(e, a, lr, dt), "wrong sign"),
        (lambda e, a, lr, dt: pes_delta(e, a, lr, dt).T, "transpose"),
        (lambda e, a, lr, dt: pes_delta(e, a, lr, dt) * len(a), "number of presynaptic"),
        (lambda e, a, lr, dt: pes_delta(e, a, lr, dt) / dt, "factor of dt"),
        (lambda e, a, lr, dt: pes_delta(e, a, 1.0, dt), "learning rate"),
        (lambda e, a, lr, dt: pes_delta(e, a ** 2, lr, dt), "formula"),
    ]),
    "stdp": (checks.check_stdp_weight_change, stdp, [
        (lambda d, lr, ap, am, tp, tm: -stdp(d, lr, ap, am, tp, tm), "wrong sign"),
        (lambda d, lr, ap, am, tp, tm: stdp(-d, lr, ap, am, tp, tm), "t_post - t_pre"),
        (lambda d, lr, ap, am, tp, tm: stdp(d, lr, ap, am, tm, tp), "wrong tau"),
        (lambda d, lr, ap, am, tp, tm: stdp(d, 1.0, ap, am, tp, tm), "learning rate"),
        (lambda d, lr, ap, am, tp, tm: stdp(d, lr, ap, am, tp, tm) if d else lr * ap,
         "same step"),
    ]),
    "reward": (checks.check_reward, reward_for, [
        (lambda t, s: -reward_for(t, s), "wrong sign"),
        (lambda t, s: max(reward_for(t, s), 0.0), "punished"),
        (lambda t, s: float(s[t]) - float(s[1 - t]), "1 / dt"),
    ]),
    "qcfs": (checks.check_qcfs, qcfs, [
        (lambda x, th, L: qcfs(x, th, L) * L / th, "spike counts"),
        (lambda x, th, L: np.floor(np.asarray(x) * L / th + 0.5) * th / L, "clip"),
        (lambda x, th, L: np.clip(np.floor(np.asarray(x) * L / th), 0, L) * th / L,
         "half a level"),
    ]),
    "on_front": (checks.check_on_front, on_front, [
        (lambda s, c: on_front(s, -np.asarray(c)), "lower cost"),
        (lambda s, c: ~np.array([np.any((s >= a) & (c <= b)) for a, b in zip(s, c)]),
         "beat itself"),
        (lambda s, c: ~np.array([np.any((s > a) & (c < b)) for a, b in zip(s, c)]),
         "equals on one axis"),
        (lambda s, c: np.flatnonzero(on_front(s, c)), "boolean"),
    ]),
    "neuron_weights": (checks.check_neuron_weights, neuron_weights, [
        (lambda d, e, g, r: neuron_weights(d, e, g, r).T, "transpose"),
        (lambda d, e, g, r: e @ d, "gain"),
        (lambda d, e, g, r: neuron_weights(d, e, g, 1.0), "radius"),
    ]),
    "nir_lif": (checks.check_nir_lif_spikes, nir_lif_spikes, [
        (lambda i, dt, tau, r, vl, vt, vr: nir_lif_spikes(i, dt, tau, 1.0, vl, vt, vr),
         "by the resistance r"),
        (lambda i, dt, tau, r, vl, vt, vr: nir_lif_spikes(i, dt, tau, r, 0.0, vt, vr), "v_leak"),
        (lambda i, dt, tau, r, vl, vt, vr: nir_lif_spikes(i, dt, tau, r, vl, vt, 0.0), "v_reset"),
        (lambda i, dt, tau, r, vl, vt, vr: np.concatenate(
            [[False], nir_lif_spikes(i, dt, tau, r, vl, vt, vr)[:-1]]), "one step late"),
        (lambda i, dt, tau, r, vl, vt, vr: checks._lif_euler(i, dt, tau, r, vl, vt, vr,
                                                            exact=True), "forward Euler"),
        (lambda i, dt, tau, r, vl, vt, vr: nir_lif_spikes(i, dt, tau, r, vl, vt, vr)[1:],
         "shape"),
    ]),
    "integrator": (checks.check_integrator_transforms, lambda tau: (tau, 1.0), [
        (lambda tau: (1.0, 1.0), "factor of tau"),
        (lambda tau: (tau, 0.0), "feedback"),
        (lambda tau: (-tau, 1.0), "sign"),
    ]),
    "oscillator": (checks.check_oscillator_feedback, oscillator, [
        (lambda w, tau: oscillator(w, tau).T, "wrong way"),
        (lambda w, tau: np.array([[1, -w], [w, 1]]), "factor of tau"),
        (lambda w, tau: oscillator(w, tau) - np.eye(2), "diagonal"),
    ]),
}


@pytest.mark.parametrize("name", CASES)
def test_passes_right_answer(name, capsys):
    check, right, _ = CASES[name]
    check(right)
    assert "passed" in capsys.readouterr().out


@pytest.mark.parametrize("name", CASES)
def test_fails_stub_saying_not_done(name):
    check = CASES[name][0]
    with pytest.raises(ExerciseFailed, match="not done yet") as info:
        check(stub)
    assert isinstance(info.value, (AssertionError, NbsnnError))  # nbgrader counts it as failed


@pytest.mark.parametrize("name", CASES)
def test_fails_ellipsis_stub(name):
    with pytest.raises(ExerciseFailed, match="returns nothing"):
        CASES[name][0](lambda *args: ...)


@pytest.mark.parametrize("name, index", [
    (name, i) for name, (_, _, wrong) in CASES.items() for i in range(len(wrong))
])
def test_hints_name_the_mistake(name, index):
    check, _, wrong = CASES[name]
    answer, words = wrong[index]
    with pytest.raises(ExerciseFailed) as info:
        check(answer)
    message = str(info.value)
    assert words in message, message
    assert "not right yet" in message
    # a hint never carries the expected numbers: the only numbers in it are exercise
    # numbers, the check's own inputs and the threshold
    numbers = set(re.findall(r"\d+(?:\.\d+)?", message)) - set(EXERCISES.split())
    assert numbers <= ALLOWED_NUMBERS, message


EXERCISES = "1.1 1.2 2.1 2.2 3.1 3.2 4.1 5.1 6.1 7.1 7.2 8.1 9.1 10.1 11.1 13.1"
ALLOWED_NUMBERS = {"0", "1", "2", "40", "63", "300", "0.05", "0.001", "0.005", "0.02", "0.002", "100"}
