"""Units: the slips a student makes first are errors or warnings that point at them."""

import warnings

import nengo
import pytest

from nbsnn.dsl import SnnSyntaxError, compile_cell
from nbsnn.exceptions import SnnWarning

BASE = "a = ensemble 10 LIF\nb = ensemble 10 LIF\n"


@pytest.mark.parametrize(
    ("text", "where", "guess"),
    [
        (BASE + "a -> b synapse=5", (3, "5"), "5ms"),
        (BASE + "probe b synapse=10", (3, "10"), "10ms"),
        ("a = ensemble 10 LIF(tau_rc=20, tau_ref=2)", (1, "20,"), "20ms"),
        ("a = ensemble 10 LIF(tau_rc=20ms, tau_ref=2)", (1, "2)"), "2ms"),
        ("s = input step(0, 1, every=500)", (1, "500"), "500ms"),
        ("s = input step(0, 1, every=0.5)", (1, "0.5"), "0.5s"),
        ("s = input piecewise(0: 0, 0.5: 1)", (1, "0.5"), "0.5s"),
        (BASE + "probe b sample_every=10", (3, "10"), "10ms"),
        (BASE + "a -> b synapse=alpha(5)", (3, "5)"), "5ms"),
        ("tau = 0.1\n" + BASE + "a -> b synapse=tau", (4, "tau"), "0.1s"),
    ],
)
def test_a_time_without_unit_is_a_located_error(text, where, guess):
    with pytest.raises(SnnSyntaxError) as info:
        compile_cell(text)
    err = info.value
    line, token = where
    column = text.splitlines()[line - 1].rindex(token) + 1
    assert "needs a unit" in err.message
    assert (err.line, err.column) == (line, column), str(err)
    assert err.suggestion == guess


def test_a_constant_without_unit_is_named_in_the_error():
    with pytest.raises(SnnSyntaxError) as info:
        compile_cell("tau = 0.1\n" + BASE + "a -> b synapse=tau")
    assert "'tau' is 0.1" in info.value.message


def test_zero_and_rates_need_no_unit():
    net = compile_cell(BASE.replace("LIF\n", "LIF rates=40..60\n", 1) +
                  "a -> b synapse=0\ns = input white(5)")
    assert net.a.max_rates == nengo.dists.Uniform(40, 60)
    assert net.connections[0].synapse == nengo.Lowpass(0)
    assert net.s.output.high == 5


def warned(text):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        net = compile_cell(text)
    found = [str(w.message) for w in caught if issubclass(w.category, SnnWarning)]
    return net, found


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        (BASE + "a -> b synapse=5s", ["line 3, column 16", "a synapse of 5 s",
                                      "did you mean '5ms'?"]),
        (BASE + "probe b synapse=2s", ["line 3, column 17", "did you mean '2ms'?"]),
        ("a = ensemble 10 LIF(tau_rc=20s)", ["line 1, column 28", "tau_rc of 20 s"]),
        ("a = ensemble 10 LIF(tau_ref=20ms)", ["line 1, column 17",
                                              "tau_ref (20ms) is not shorter than tau_rc"]),
        ("a = ensemble 10 LIF(tau_rc=2ms, tau_ref=5ms)", ["tau_rc=20ms, tau_ref=2ms"]),
        ("a = ensemble 10 LIF rates=0.04..0.06", ["line 1, column 27",
                                                 "rates of 0.06 Hz are very low"]),
    ],
)
def test_implausible_values_warn_with_a_location(text, fragments):
    net, found = warned(text)
    assert len(found) == 1, found
    for fragment in fragments:
        assert fragment in found[0], found[0]
    assert isinstance(net, nengo.Network)


def test_plausible_values_do_not_warn():
    _, found = warned(BASE + "a -> b synapse=100ms\nc = ensemble 5 LIF(tau_rc=20ms, "
                      "tau_ref=2ms)\nprobe b synapse=10ms")
    assert found == []


def test_rates_beyond_the_refractory_limit_are_refused_at_compile_time():
    with pytest.raises(SnnSyntaxError) as info:
        compile_cell("a = ensemble 10 LIF rates=400..600")
    assert info.value.column == 27
    assert "with tau_ref=2ms a neuron fires below 500 Hz" in info.value.message
    compile_cell("a = ensemble 10 LIF(tau_ref=1ms) rates=400..600")


def test_intercepts_that_never_fire_are_refused_at_compile_time():
    with pytest.raises(SnnSyntaxError) as info:
        compile_cell("a = ensemble 10 LIF intercepts=0.5..1.5")
    assert info.value.column == 32 and "never fires" in info.value.message
