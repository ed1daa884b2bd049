"""Checks for the course's exercises: one ``check_...`` per exercise.

Each check calls the student's function on inputs of its own, compares the result with
Nengo's own implementation (or the exact formula from the notebook's text), prints a pass
line, or raises `~nbsnn.exceptions.ExerciseFailed` with a hint. The hints name the kind of
mistake (a wrong sign, a factor of tau, a missing refractory period); they never contain the
expected numbers or the formula.
"""

from __future__ import annotations

import numpy as np

from ..exceptions import ExerciseFailed

__all__ = [
    "check_channel_text",
    "check_current_for_rate",
    "check_decoders",
    "check_gain_bias",
    "check_integrator_transforms",
    "check_lif_rate",
    "check_lowpass_filter",
    "check_lowpass_step",
    "check_neuron_weights",
    "check_nir_lif_spikes",
    "check_on_front",
    "check_qcfs",
    "check_reward",
    "check_oscillator_feedback",
    "check_pes_delta",
    "check_stdp_weight_change",
]


# -- shared helpers -------------------------------------------------------------------------

def _fail(exercise: str, hint: str):
    raise ExerciseFailed(f"Exercise {exercise}: not right yet. Hint: {hint}")


def _passed(exercise: str):
    print(f"Exercise {exercise}: passed.")


def _call(exercise: str, fn, *args):
    """Call the student's ``fn``; a stub (NotImplementedError, ``...``, None) fails clearly."""
    try:
        result = fn(*args)
    except NotImplementedError:
        raise ExerciseFailed(
            f"Exercise {exercise}: not done yet. Replace `raise NotImplementedError()` "
            "with your code and run the cell again."
        ) from None
    if result is None or result is Ellipsis:
        _fail(exercise, "your function returns nothing yet: fill in the `...` and `return` "
                        "the result.")
    return result


def _array(exercise: str, value, shape):
    value = np.asarray(value, dtype=float)
    if value.shape != tuple(shape):
        _fail(exercise, f"expected an array of shape {tuple(shape)}, got shape {value.shape}.")
    return value


def _close(a, b, rtol=1e-6, atol=1e-9) -> bool:
    return bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=False))


# -- 01 single neuron ------------------------------------------------------------------------

def _lif_rates(current, tau_rc, tau_ref):
    import nengo

    current = np.asarray(current, dtype=float)
    return nengo.LIF(tau_rc=tau_rc, tau_ref=tau_ref).rates(
        current, gain=np.ones(1), bias=np.zeros(1)).reshape(current.shape)


def check_lif_rate(lif_rate):
    """Exercise 1.1: ``lif_rate(J, tau_rc, tau_ref)``, the steady LIF rate for currents J."""
    ex = "1.1 (lif_rate)"
    for tau_rc, tau_ref in [(0.02, 0.002), (0.05, 0.001)]:
        current = np.linspace(0.0, 6.0, 61)
        got = _array(ex, _call(ex, lif_rate, current, tau_rc, tau_ref), current.shape)
        want = _lif_rates(current, tau_rc, tau_ref)
        below = current <= 1
        if not np.all(np.isfinite(got)):
            _fail(ex, "some rates are NaN or infinite: below threshold (J <= 1) the "
                      "logarithm is undefined, so handle those currents separately.")
        if np.any(got[below] != 0):
            _fail(ex, "a neuron whose current stays at or below the threshold 1 never "
                      "spikes: its rate must be exactly 0 there.")
        above = ~below
        if _close(got[above], _lif_rates(current, tau_rc, 0.0)[above], rtol=1e-4):
            _fail(ex, "the rates are too high at large J: include the refractory period "
                      "in the time between spikes.")
        if _close(got[above], 1.0 / want[above], rtol=1e-4):
            _fail(ex, "you returned the time between spikes; the rate is its inverse.")
        for factor in (tau_rc, 1 / tau_rc):
            if _close(got[above] * factor, want[above], rtol=1e-3):
                _fail(ex, "off by a factor of tau_rc: check where tau_rc enters.")
        if np.any(got[above] < 0):
            _fail(ex, "negative rates: check the sign inside the logarithm.")
        if not _close(got, want, rtol=1e-6):
            other = "" if tau_rc == 0.02 else (
                f" Your function is right for the defaults but not for tau_rc={tau_rc}, "
                f"tau_ref={tau_ref}: use its arguments.")
            _fail(ex, "the rate is 1 / (time between spikes); that time is the refractory "
                      "period plus the time the membrane needs to charge from 0 to the "
                      "threshold 1 under a constant J." + other)
    _passed(ex)


def check_current_for_rate(current_for_rate):
    """Exercise 1.2: ``current_for_rate(rate, tau_rc, tau_ref)``, the inverse of 1.1."""
    ex = "1.2 (current_for_rate)"
    for tau_rc, tau_ref in [(0.02, 0.002), (0.05, 0.001)]:
        rates = np.array([5.0, 20.0, 100.0, 300.0])
        got = _array(ex, _call(ex, current_for_rate, rates, tau_rc, tau_ref), rates.shape)
        if not np.all(np.isfinite(got)):
            _fail(ex, "NaN or infinite currents: check the sign of the exponent.")
        if np.any(got <= 1):
            _fail(ex, "a neuron that fires needs a current above the threshold 1: check the "
                      "sign of the exponent.")
        if np.any(np.diff(got) <= 0):
            _fail(ex, "a higher rate needs a higher current: your currents do not increase.")
        back = _lif_rates(got, tau_rc, tau_ref)
        if _close(back, rates, rtol=1e-6):
            continue
        no_ref = _lif_rates(got, tau_rc, 0.0)
        if _close(no_ref, rates, rtol=1e-4):
            _fail(ex, "subtract the refractory period from the time between spikes first.")
        _fail(ex, "invert your 1.1 step by step: time between spikes -> charging time -> J. "
                  "Feeding your currents to lif_rate should give back the rates.")
    _passed(ex)


# -- 02 populations and tuning ---------------------------------------------------------------

def check_gain_bias(gain_bias):
    """Exercise 2.1: ``gain_bias(max_rates, intercepts, tau_rc, tau_ref)`` -> (gain, bias)."""
    import nengo

    ex = "2.1 (gain_bias)"
    max_rates = np.array([50.0, 100.0, 200.0, 400.0])
    intercepts = np.array([-0.5, 0.0, 0.3, 0.8])
    tau_rc, tau_ref = 0.02, 0.002
    result = _call(ex, gain_bias, max_rates, intercepts, tau_rc, tau_ref)
    try:
        gain, bias = result
    except (TypeError, ValueError):
        _fail(ex, "return two arrays: `return gain, bias`.")
    gain = _array(ex, gain, max_rates.shape)
    bias = _array(ex, bias, max_rates.shape)
    at_intercept = gain * intercepts + bias
    if _close(at_intercept, -np.ones(4), rtol=1e-6):
        _fail(ex, "wrong sign of the bias: at x = intercept the current must be +1.")
    if not _close(at_intercept, np.ones(4), rtol=1e-6):
        _fail(ex, "at x = intercept the current gain * x + bias must be exactly the "
                  "threshold 1 (the neuron starts firing there).")
    rate_at_1 = _lif_rates(gain + bias, tau_rc, tau_ref)
    if not _close(rate_at_1, max_rates, rtol=1e-6):
        _fail(ex, "at x = 1 the neuron must fire at its max_rate: find the current for "
                  "that rate (your exercise 1.2) and make gain * 1 + bias equal it.")
    want_gain, want_bias = nengo.LIF(tau_rc=tau_rc, tau_ref=tau_ref).gain_bias(
        max_rates, intercepts)
    if not (_close(gain, want_gain) and _close(bias, want_bias)):  # pragma: no cover
        _fail(ex, "the two conditions hold but the numbers differ from Nengo's.")
    _passed(ex)


def check_decoders(decoders):
    """Exercise 2.2: ``decoders(A, Y, reg)`` -> D, the regularised least-squares decoders."""
    import nengo

    ex = "2.2 (decoders)"
    rng = np.random.RandomState(2)
    A = np.maximum(0, rng.normal(50, 40, size=(60, 12)))
    Y = rng.uniform(-1, 1, size=(60, 2))
    reg = 0.1
    got = np.asarray(_call(ex, decoders, A, Y, reg), dtype=float)
    if got.shape == (2, 12):
        _fail(ex, "D has one row per neuron and one column per dimension: transpose it.")
    got = _array(ex, got, (12, 2))
    want, _ = nengo.solvers.LstsqL2(reg=reg)(A, Y)
    if _close(got, want, rtol=1e-6, atol=1e-10):
        _passed(ex)
        return
    plain = np.linalg.lstsq(A, Y, rcond=None)[0]
    if _close(got, plain, rtol=1e-4, atol=1e-10):
        _fail(ex, "these are unregularised decoders: add the noise (ridge) term to A^T A.")
    sigma = reg * A.max()
    for wrong in (sigma ** 2, reg ** 2, reg * len(A), sigma):
        G = A.T @ A + wrong * np.eye(A.shape[1])
        if _close(got, np.linalg.solve(G, A.T @ Y), rtol=1e-4, atol=1e-10):
            _fail(ex, "the ridge term is scaled wrongly: sigma is reg times the largest "
                      "activity, and the term is sigma squared times the number of "
                      "evaluation points.")
    _fail(ex, "solve (A^T A + ridge term) D = A^T Y for D, as in the text.")


# -- 03 synapses and filtering ---------------------------------------------------------------

def check_lowpass_step(step_response):
    """Exercise 3.1: ``step_response(t, tau)``, a lowpass synapse's response to a unit step."""
    ex = "3.1 (step_response)"
    for tau in (0.005, 0.05):
        t = np.linspace(0, 0.3, 301)
        got = _array(ex, _call(ex, step_response, t, tau), t.shape)
        want = 1 - np.exp(-t / tau)
        if _close(got, want, rtol=1e-6, atol=1e-9):
            continue
        if _close(got, 1 - want, atol=1e-6):
            _fail(ex, "your response starts at 1 and decays: a synapse fed a step from 0 "
                      "starts at 0 and rises towards 1.")
        if _close(got, 1 - np.exp(-t * tau), atol=1e-6) or _close(
                got, 1 - np.exp(-t / tau ** 2), atol=1e-6):
            _fail(ex, "off by a factor of tau: the exponent must be dimensionless.")
        if _close(got, want / tau, rtol=1e-4) or _close(got, want * tau, rtol=1e-4):
            _fail(ex, "off by a factor of tau: the response must settle at 1, the step's "
                      "height.")
        _fail(ex, f"at t = tau ({tau} s) the response should have covered about 63% of "
                  "the way to 1; check yours with a few values of tau.")
    _passed(ex)


def lowpass_reference(x, dt, tau):
    """Nengo's discrete lowpass (zero-order hold), y[0] after the first input sample."""
    x = np.asarray(x, dtype=float)
    a = np.exp(-dt / tau)
    y = np.empty_like(x)
    state = np.zeros(x.shape[1:])
    for n in range(len(x)):
        state = a * state + (1 - a) * x[n]
        y[n] = state
    return y


def check_lowpass_filter(lowpass):
    """Exercise 3.2: ``lowpass(x, dt, tau)``, filter a signal step by step like a synapse."""
    ex = "3.2 (lowpass)"
    rng = np.random.RandomState(3)
    x = rng.normal(size=200)
    for dt, tau in [(0.001, 0.01), (0.001, 0.05), (0.002, 0.005)]:
        got = _array(ex, _call(ex, lowpass, x, dt, tau), x.shape)
        want = lowpass_reference(x, dt, tau)
        if _close(got, want, rtol=1e-6, atol=1e-9):
            continue
        euler = 1 - dt / tau
        for a in (euler, 1 - euler):
            y, state = np.empty_like(x), 0.0
            for n in range(len(x)):
                state = a * state + (1 - a) * x[n]
                y[n] = state
            if _close(got, y, atol=1e-6):
                _fail(ex, "close, but the decay per step is the first-order (Euler) guess; "
                          "use the exact decay of the ODE over one time step.")
        if _close(got[1:], want[:-1], atol=1e-6):
            _fail(ex, "one step late: update the state with x[n] before storing y[n].")
        if _close(got, want / (1 - np.exp(-dt / tau)), rtol=1e-4):
            _fail(ex, "the output is too large: scale the input so that a constant input "
                      "of 1 settles at 1.")
        _fail(ex, "each step the state decays by a constant factor and takes in the rest "
                  "from the input; a constant input of 1 must settle at 1.")
    _passed(ex)


# -- 04 the %%snn language -----------------------------------------------------------------

def _synapse_tau(synapse):
    return getattr(synapse, "tau", None)


def check_channel_text(channel_text):
    """Exercise 4.1: ``channel_text()`` returns ``%%snn`` text for a communication channel:
    input ``stim`` (0.5), ensembles ``a`` and ``b`` (100 LIF each), ``stim -> a`` and
    ``a -> b`` through a 20 ms synapse, and a probe of ``b`` filtered by 10 ms."""
    import warnings

    import nengo

    from ..dsl import SnnSyntaxError, compile_cell

    ex = "4.1 (channel_text)"
    text = _call(ex, channel_text)
    if not isinstance(text, str):
        _fail(ex, "return the cell's text as a string (in triple quotes).")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            net = compile_cell(text)
    except SnnSyntaxError as err:
        if "needs a unit" in str(err):
            _fail(ex, "a time needs a unit: write ms (or s) right after the number.")
        _fail(ex, f"the text does not compile; the language says:\n{err}")
    objects = {name: getattr(net, name, None) for name in ("stim", "a", "b")}
    for name in ("a", "b"):
        if not isinstance(objects[name], nengo.Ensemble):
            _fail(ex, f"there is no ensemble named `{name}`: name the two populations a and b.")
        ens = objects[name]
        if ens.n_neurons != 100 or type(ens.neuron_type) is not nengo.LIF:
            _fail(ex, f"`{name}` should be a population of 100 LIF neurons.")
    if not isinstance(objects["stim"], nengo.Node) or not _close(
            np.ravel(objects["stim"].output), [0.5]):
        _fail(ex, "`stim` should be an input holding the constant value 0.5.")
    links = {(c.pre_obj, c.post_obj): c for c in net.all_connections}
    a, b, stim = objects["a"], objects["b"], objects["stim"]
    if (stim, a) not in links:
        _fail(ex, "feed the input into the first population: `stim -> a`.")
    if (a, b) not in links:
        if (b, a) in links:
            _fail(ex, "the channel runs the wrong way: the value goes from a to b.")
        _fail(ex, "connect the two populations: `a -> b`.")
    tau = _synapse_tau(links[(a, b)].synapse)
    if tau is not None and np.isclose(tau, 20.0):
        _fail(ex, "the a -> b synapse is a thousand times too long: check its unit.")
    if not (tau is not None and np.isclose(tau, 0.02)):
        if np.isclose(_synapse_tau(links[(stim, a)].synapse) or 0, 0.02):
            _fail(ex, "the slow synapse is on the wrong connection: it belongs on a -> b.")
        _fail(ex, "set the synapse of the a -> b connection with `synapse=...` at the end "
                  "of its line.")
    probes = [p for p in net.all_probes if p.target is b]
    if not probes:
        _fail(ex, "add a probe of b.")
    if not any(np.isclose(_synapse_tau(p.synapse) or 0, 0.01) for p in probes):
        _fail(ex, "filter the probe of b with its own synapse, as in `probe b synapse=...`.")
    _passed(ex)


# -- 05 the NEF's seed networks --------------------------------------------------------------

def check_integrator_transforms(integrator_transforms):
    """Exercise 5.1: ``integrator_transforms(tau)`` -> (input transform, feedback transform)."""
    ex = "5.1 (integrator_transforms)"
    for tau in (0.1, 0.05):
        result = _call(ex, integrator_transforms, tau)
        try:
            inp, feedback = (float(v) for v in result)
        except (TypeError, ValueError):
            _fail(ex, "return two numbers: `return input_transform, feedback_transform`.")
        if np.isclose(feedback, 1 - tau) or np.isclose(feedback, 0):
            _fail(ex, "the feedback must hold the value without decay: the synapse "
                      "already does the leaking you are trying to cancel.")
        if not np.isclose(feedback, 1):
            _fail(ex, "with a constant state the feedback must return exactly what it "
                      "receives.")
        if np.isclose(inp, 1) or np.isclose(inp, 1 / tau):
            _fail(ex, "the input is off by a factor of tau: the synapse turns an input u "
                      "into a rate of change u / tau.")
        if np.isclose(inp, -tau):
            _fail(ex, "wrong sign of the input transform.")
        if not np.isclose(inp, tau):
            _fail(ex, "compare dx/dt of the recurrent synapse with the integrator's "
                      "dx/dt = u.")
    _passed(ex)


# -- 06 dynamics -------------------------------------------------------------------------------

def check_oscillator_feedback(oscillator_feedback):
    """Exercise 6.1: ``oscillator_feedback(omega, tau)``, the 2x2 recurrent transform."""
    ex = "6.1 (oscillator_feedback)"
    for omega, tau in [(2 * np.pi, 0.1), (10.0, 0.05)]:
        got = _array(ex, _call(ex, oscillator_feedback, omega, tau), (2, 2))
        w = omega * tau
        want = np.array([[1, -w], [w, 1]])
        if _close(got, want):
            continue
        if _close(got, want.T):
            _fail(ex, "it rotates the wrong way (clockwise): check the signs of the "
                      "off-diagonal terms.")
        if _close(got[0, 1], -omega) or _close(got[0, 1], -omega / tau):
            _fail(ex, "the off-diagonal terms are off by a factor of tau.")
        if not _close(np.diag(got), [1, 1]):
            _fail(ex, "the diagonal must hold the state, as in the integrator.")
        _fail(ex, "apply the NEF's rule for recurrent connections (from the text) to the "
                  "oscillator's dynamics matrix.")
    _passed(ex)


# -- 07 online learning: PES ------------------------------------------------------------------

def pes_step_change(learning_rate, error, n_neurons, dt=0.001):
    """One step's decoder change that Nengo's `nengo.PES` makes in `nbsnn.Simulator`, on a
    connection from ``n_neurons`` rate neurons with constant activities (no pre synapse) fed
    a constant ``error``. Returns ``(activities, change)``, change of shape (len(error), n)."""
    import nengo

    from .. import Simulator

    error = np.atleast_1d(np.asarray(error, dtype=float))
    with nengo.Network(seed=0) as net:
        pre = nengo.Ensemble(n_neurons, 1, neuron_type=nengo.RectifiedLinear(), seed=0)
        nengo.Connection(nengo.Node([0.4]), pre, synapse=None)
        conn = nengo.Connection(
            pre, nengo.Node(size_in=len(error)), function=lambda x: np.zeros(len(error)),
            synapse=None, learning_rule_type=nengo.PES(learning_rate=learning_rate,
                                                       pre_synapse=None))
        nengo.Connection(nengo.Node(error), conn.learning_rule, synapse=None)
        weights = nengo.Probe(conn, "weights")
        activities = nengo.Probe(conn.learning_rule, "activities")
    with Simulator(net, dt=dt, progress_bar=False) as sim:
        sim.run_steps(5)
    return sim.data[activities][-1], sim.data[weights][-1] - sim.data[weights][-2]


def check_pes_delta(pes_delta):
    """Exercise 7.1: ``pes_delta(error, activities, learning_rate, dt)``, the change PES makes
    to a connection's decoders in one time step; compared with `nengo.PES` in the simulator."""
    ex = "7.1 (pes_delta)"
    for learning_rate, error, n, dt in [(0.01, [0.3, -0.2], 6, 0.001),
                                        (0.004, [-0.5, 0.1, 0.25], 9, 0.002)]:
        activities, want = pes_step_change(learning_rate, error, n, dt)
        got = np.asarray(_call(ex, pes_delta, np.array(error), activities.copy(),
                               learning_rate, dt), dtype=float)
        if got.shape == want.T.shape and got.shape != want.shape:
            _fail(ex, "one row per dimension of the error, one column per presynaptic "
                      "neuron: transpose it.")
        got = _array(ex, got, want.shape)
        if _close(got, want, rtol=1e-6, atol=1e-15):
            continue
        if _close(got, -want, rtol=1e-6, atol=1e-15):
            _fail(ex, "wrong sign: the error is the actual output minus the target, and the "
                      "decoders must move so that the output goes against the error.")
        if _close(got, want * n, rtol=1e-6, atol=1e-15):
            _fail(ex, "too large by a factor of the number of presynaptic neurons: the "
                      "learning rate is shared among them.")
        if _close(got, want / dt, rtol=1e-6, atol=1e-15):
            _fail(ex, "off by a factor of dt: the learning rate is per second, and one step "
                      "lasts dt.")
        if _close(got, want / learning_rate, rtol=1e-6, atol=1e-15):
            _fail(ex, "scale the change by the learning rate.")
        _fail(ex, "each decoder changes in proportion to its neuron's activity times the "
                  "error in its output dimension; follow the formula in the text.")
    _passed(ex)


# -- 07 unsupervised learning: STDP ----------------------------------------------------------

#: (pre step, post steps): one presynaptic spike and one spike of each postsynaptic neuron.
_STDP_PRE_STEP, _STDP_POST_STEPS = 30, (10, 22, 27, 29, 30, 31, 33, 38, 50)


def stdp_pair_changes(learning_rate, a_plus, a_minus, tau_plus, tau_minus, dt=0.001):
    """Weight changes that `nbsnn.learning.STDP` makes on a tiny network in `nbsnn.Simulator`:
    one presynaptic neuron spiking once, postsynaptic neurons spiking once each, at the
    steps above. Returns ``(delays, changes)``, delay = t_post - t_pre in seconds."""
    import nengo

    from .. import Simulator
    from ..learning import STDP

    posts = np.array(_STDP_POST_STEPS)

    def spikes_at(steps):
        steps = np.asarray(steps)
        return lambda t: np.where(np.round(t / dt) == steps, 1 / dt, 0.0)

    with nengo.Network(seed=0) as net:
        relay = nengo.SpikingRectifiedLinear()
        pre = nengo.Ensemble(1, 1, neuron_type=relay, gain=[1], bias=[0])
        post = nengo.Ensemble(len(posts), 1, neuron_type=relay, gain=np.ones(len(posts)),
                              bias=np.zeros(len(posts)))
        nengo.Connection(nengo.Node(spikes_at([_STDP_PRE_STEP])), pre.neurons, synapse=None)
        nengo.Connection(nengo.Node(spikes_at(posts)), post.neurons, synapse=None)
        w0 = 0.0  # the learned connection must not make the posts spike
        conn = nengo.Connection(
            pre.neurons, post.neurons, transform=np.full((len(posts), 1), w0), synapse=None,
            learning_rule_type=STDP(learning_rate=learning_rate, a_plus=a_plus,
                                    a_minus=a_minus, tau_plus=tau_plus, tau_minus=tau_minus))
        weights = nengo.Probe(conn, "weights")
    with Simulator(net, dt=dt, progress_bar=False) as sim:
        sim.run_steps(posts.max() + 5)
    return (posts - _STDP_PRE_STEP) * dt, sim.data[weights][-1, :, 0] - w0


def _stdp_window(delays, lr, ap, am, tp, tm):
    """Pair-based STDP's weight change for each delay t_post - t_pre (for the hints)."""
    return lr * (ap * np.exp(-delays / tp) * (delays >= 0)
                 - am * np.exp(delays / tm) * (delays <= 0))


def check_stdp_weight_change(stdp_weight_change):
    """Exercise 7.2: ``stdp_weight_change(delay, learning_rate, a_plus, a_minus, tau_plus,
    tau_minus)``, the STDP weight change for one pre and one post spike, ``delay`` = t_post -
    t_pre (s); compared with what `nbsnn.learning.STDP` does in the simulator."""
    ex = "7.2 (stdp_weight_change)"
    for lr, ap, am, tp, tm in [(0.01, 1.0, 0.5, 0.02, 0.01), (0.002, 0.6, 0.9, 0.01, 0.03)]:
        delays = (np.array(_STDP_POST_STEPS) - _STDP_PRE_STEP) * 0.001
        got = np.array([float(_call(ex, stdp_weight_change, d, lr, ap, am, tp, tm))
                        for d in delays])
        want = stdp_pair_changes(lr, ap, am, tp, tm)[1]
        if _close(got, want, rtol=1e-6, atol=1e-12):
            continue

        before, after, same = delays > 0, delays < 0, delays == 0
        if not (np.all(np.isfinite(got))):
            _fail(ex, "NaN or infinite changes: each side's exponential decays with |delay|.")
        if _close(got, -want, atol=1e-12):
            _fail(ex, "wrong sign: a pre spike before a post spike strengthens the synapse, "
                      "the other order weakens it.")
        if _close(got, _stdp_window(-delays, lr, ap, am, tp, tm), atol=1e-12):
            _fail(ex, "the delay is t_post - t_pre: positive when the pre spike comes first.")
        if _close(got, _stdp_window(delays, lr, ap, am, tm, tp), atol=1e-12):
            _fail(ex, "wrong tau: potentiation decays with tau_plus (the pre trace), "
                      "depression with tau_minus (the post trace).")
        if _close(got, _stdp_window(delays, lr, am, ap, tp, tm), atol=1e-12):
            _fail(ex, "a_plus and a_minus are swapped: a_plus scales potentiation.")
        if _close(got, _stdp_window(delays, 1.0, ap, am, tp, tm), atol=1e-12):
            _fail(ex, "scale the change by the learning rate.")
        if _close(got[~same], want[~same], rtol=1e-6, atol=1e-12):
            _fail(ex, "right except when both spike in the same step: then both traces hold "
                      "a spike, and both terms apply.")
        if not (np.all(got[before] > 0) and np.all(got[after] < 0)):
            _fail(ex, "pre before post must strengthen (a positive change), post before pre "
                      "weaken (a negative one).")
        _fail(ex, "at the later spike, read the other neuron's trace: it has decayed "
                  "exponentially since that neuron's spike. The change is that trace times "
                  "a_plus or a_minus, times the learning rate.")
    _passed(ex)


# -- 08 reward-modulated STDP ----------------------------------------------------------------

def check_reward(reward_for):
    """Exercise 8.1: ``reward_for(target, spikes)``, the critic's reward in one step: +1 when the
    target output neuron spiked, -1 when the other one did (both: 0); ``spikes`` is the two
    neurons' output in this step (``1 / dt`` for a spike, else 0)."""
    ex = "8.1 (reward_for)"
    dt = 0.001
    cases = [(target, np.array([a, b]) / dt) for target in (0, 1) for a in (0, 1) for b in (0, 1)]
    got = np.array([float(_call(ex, reward_for, target, spikes.copy())) for target, spikes in cases])
    want = np.array([float(s[t] > 0) - float(s[1 - t] > 0) for t, s in cases])
    if _close(got, want):
        _passed(ex)
        return
    if _close(got, -want):
        _fail(ex, "wrong sign: this rewards the wrong neuron, so the network would learn the "
                  "wrong answer.")
    if _close(got, np.maximum(want, 0)):
        _fail(ex, "a spike of the wrong neuron must be punished (a negative reward), not ignored.")
    if _close(got, want / dt) or np.any(np.abs(got) > 1):
        _fail(ex, "a spike's output is 1 / dt, not 1: reward whether a neuron spiked, not by "
                  "how much.")
    _fail(ex, "reward +1 for a spike of the target neuron and -1 for a spike of the other, "
              "and add the two.")


# -- 09 conversion-aware training: QCFS --------------------------------------------------------

def if_spike_counts(x, threshold, levels, dt=2.0 ** -10):
    """Spikes of `nbsnn.neurons.IntegrateAndFire` neurons (starting half-way to their
    threshold) in ``levels`` steps of `nbsnn.Simulator`, each fed a constant input that reaches
    the threshold in one step when it equals ``threshold``."""
    import nengo

    from .. import Simulator
    from ..neurons import IntegrateAndFire

    x = np.asarray(x, dtype=float)
    with nengo.Network(seed=0) as net:
        ens = nengo.Ensemble(len(x), 1, neuron_type=IntegrateAndFire(), gain=np.ones(len(x)),
                             bias=np.zeros(len(x)))
        nengo.Connection(nengo.Node(x / threshold / dt), ens.neurons, synapse=None)
        spikes = nengo.Probe(ens.neurons)
    with Simulator(net, dt=dt, progress_bar=False) as sim:
        sim.run_steps(levels)
    return np.rint(sim.data[spikes].sum(axis=0) * dt)


def check_qcfs(qcfs):
    """Exercise 9.1: ``qcfs(x, threshold, levels)``, the QCFS activation; compared with the
    spikes integrate-and-fire neurons fire in ``levels`` steps, times ``threshold / levels``."""
    ex = "9.1 (qcfs)"
    for threshold, levels in [(1.0, 4), (2.0, 8)]:
        x = np.linspace(-0.5, 1.5, 33) * threshold
        got = _array(ex, _call(ex, qcfs, x.copy(), threshold, levels), x.shape)
        counts = if_spike_counts(x, threshold, levels)
        want = counts * threshold / levels
        if _close(got, want):
            continue
        if _close(got, counts):
            _fail(ex, "these are spike counts: scale them to the activation (each spike is "
                      "worth threshold / levels).")
        unclipped = np.floor(x * levels / threshold + 0.5) * threshold / levels
        if _close(got, unclipped):
            _fail(ex, "clip: a neuron fires at most once per step and never a negative number "
                      "of times.")
        if _close(got, np.clip(np.floor(x * levels / threshold), 0, levels) * threshold
                  / levels):
            _fail(ex, "your activation is half a level too low: the neuron's membrane starts "
                      "half-way to the threshold.")
        _fail(ex, "scale x to levels, shift, floor, clip to the range of spike counts, and "
                  "scale back.")
    _passed(ex)


# -- 10 tuning sweeps: the Pareto front --------------------------------------------------------

def check_on_front(on_front):
    """Exercise 10.1: ``on_front(score, cost)``, a boolean array marking the points no other
    point beats: none has a score at least as high and a cost at least as low, better in one;
    compared with `nbsnn.sweep.plots.pareto_front`."""
    import pandas as pd

    from ..sweep.plots import pareto_front

    ex = "10.1 (on_front)"
    rng = np.random.RandomState(4)
    score = np.round(rng.uniform(0.5, 1.0, 40), 2)
    cost = np.round(rng.uniform(1.0, 50.0, 40), 0)
    score[[1, 2]], cost[[1, 2]] = 0.99, (5.0, 7.0)  # a tie in score: 2 is dominated by 1
    table = pd.DataFrame({"accuracy": score, "mean_rate": cost})
    want = pareto_front(table, maximize="accuracy", minimize="mean_rate").to_numpy()
    got = np.asarray(_call(ex, on_front, score.copy(), cost.copy()))
    if got.shape != want.shape or got.dtype != bool:
        _fail(ex, f"return a boolean array with one entry per point (shape {want.shape}).")
    if np.array_equal(got, want):
        _passed(ex)
        return
    if not got.any():
        _fail(ex, "no point is on your front: a point does not beat itself; compare it with "
                  "the others only.")
    flipped = pareto_front(table, maximize=["accuracy", "mean_rate"], minimize=[]).to_numpy()
    if np.array_equal(got, flipped):
        _fail(ex, "a lower cost is better: a point with a higher cost does not beat one with "
                  "a lower cost.")
    if np.all(got[want]) and got.sum() > want.sum():
        _fail(ex, "too many points: a point that another equals on one axis and beats on the "
                  "other is beaten too.")
    _fail(ex, "a point is on the front unless another point has a score at least as high and "
              "a cost at least as low, and is better in one of them.")


# -- 11 SpiNNaker and NEST: neuron-to-neuron weights ----------------------------------------------

def check_neuron_weights(neuron_weights):
    """Exercise 11.1: ``neuron_weights(decoders, encoders, gain, radius)``, the neuron-to-neuron
    matrix of a decoded connection, ``(n_post, n_pre)``; compared with Nengo's built model."""
    import nengo

    from .. import Simulator

    ex = "11.1 (neuron_weights)"
    with nengo.Network(seed=5) as net:
        a = nengo.Ensemble(30, 2)
        b = nengo.Ensemble(20, 2, radius=1.5)
        conn = nengo.Connection(a, b, function=lambda x: [x[0] * x[1], x[0]])
    with Simulator(net, progress_bar=False) as sim:
        decoders = sim.data[conn].weights
        encoders, gain = sim.data[b].encoders, sim.data[b].gain
        want = sim.data[b].scaled_encoders @ decoders
    got = np.asarray(_call(ex, neuron_weights, decoders.copy(), encoders.copy(), gain.copy(),
                           b.radius), dtype=float)
    if got.shape == want.T.shape:
        _fail(ex, "one row per postsynaptic neuron, one column per presynaptic neuron: "
                  "transpose it.")
    got = _array(ex, got, want.shape)
    if _close(got, want):
        _passed(ex)
        return
    if _close(got, encoders @ decoders / b.radius) or _close(got, encoders @ decoders):
        _fail(ex, "each postsynaptic neuron multiplies its input current by its gain.")
    if _close(got, want * b.radius):
        _fail(ex, "the encoders act on the value divided by the post ensemble's radius.")
    _fail(ex, "decode the value from the presynaptic spikes, then encode it for each "
              "postsynaptic neuron as its current: the matrix is the product of the two steps.")


# -- 13 NIR: stepping a continuous-time LIF --------------------------------------------------------

def nir_lif_steps(current, dt, tau, r, v_leak, v_threshold, v_reset):
    """Spike steps (bool per step) of one `nbsnn.nir.NIRLIF` neuron fed ``current`` (one value
    per step, from v = 0) in `nbsnn.Simulator`."""
    import nengo

    from .. import Simulator
    from ..nir.neurons import NIRLIF

    current = np.asarray(current, dtype=float)
    lif = NIRLIF(amplitude=dt, tau=tau, r=r, v_leak=v_leak, v_threshold=v_threshold,
                 v_reset=v_reset)
    with nengo.Network(seed=0) as net:
        ens = nengo.Ensemble(1, 1, neuron_type=lif, gain=[1.0], bias=[0.0])
        feed = nengo.Node(nengo.processes.PresentInput(current[:, None], dt))
        nengo.Connection(feed, ens.neurons, synapse=None)
        probe = nengo.Probe(ens.neurons)
    with Simulator(net, dt=dt, progress_bar=False) as sim:
        sim.run_steps(len(current))
    return sim.data[probe][:, 0] > 0


def _lif_euler(current, dt, tau, r, v_leak, v_threshold, v_reset, exact=False):
    """Variants of the NIR LIF step (for the hints); ``exact``: exact decay, not Euler."""
    v, spikes = 0.0, []
    decay = np.exp(-dt / tau)
    for x in current:
        if exact:
            v = v_leak + r * x + (v - v_leak - r * x) * decay
        else:
            v += dt / tau * ((v_leak - v) + r * x)
        spikes.append(v > v_threshold)
        if spikes[-1]:
            v = v_reset
    return np.array(spikes)


def check_nir_lif_spikes(nir_lif_spikes):
    """Exercise 13.1: ``nir_lif_spikes(current, dt, tau, r, v_leak, v_threshold, v_reset)``,
    the steps in which a NIR LIF neuron spikes, stepped with forward Euler from v = 0;
    compared with `nbsnn.nir.NIRLIF` in the simulator."""
    ex = "13.1 (nir_lif_spikes)"
    rng = np.random.RandomState(6)
    for dt, params in [(0.001, (0.01, 2.0, 0.3, 1.0, -0.2)), (0.0005, (0.02, 0.5, -0.1, 0.8, 0.1))]:
        current = rng.uniform(0.0, 4.0 if params[1] < 1 else 1.5, 300)
        got = np.asarray(_call(ex, nir_lif_spikes, current.copy(), dt, *params))
        want = nir_lif_steps(current, dt, *params)
        if got.shape != want.shape:
            _fail(ex, f"return one True/False per step (shape {want.shape}).")
        got = got.astype(bool)
        if np.array_equal(got, want):
            continue
        tau, r, v_leak, v_threshold, v_reset = params
        variants = [
            ((tau, 1.0, v_leak, v_threshold, v_reset), {}, "the input enters the membrane "
             "scaled by the resistance r."),
            ((tau, r, 0.0, v_threshold, v_reset), {}, "the membrane leaks towards v_leak, "
             "not towards 0."),
            ((tau, r, v_leak, v_threshold, 0.0), {}, "after a spike the voltage goes to "
             "v_reset."),
            (params, {"exact": True}, "close, but this is the exact decay; NIR leaves the "
             "discretisation to the framework, and nbsnn steps forward Euler."),
        ]
        if not got[0] and np.array_equal(got[1:], want[:-1]):
            _fail(ex, "one step late: update the voltage first, then compare it with the "
                      "threshold.")
        for variant, options, hint in variants:
            if np.array_equal(got, _lif_euler(current, dt, *variant, **options)):
                _fail(ex, hint)
        _fail(ex, "each step: move v by dt / tau times (v_leak - v + r * current); if v is "
                  "now above v_threshold, spike and set v to v_reset.")
    _passed(ex)
