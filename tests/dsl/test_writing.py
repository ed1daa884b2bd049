"""Writing cells: constants, wrapped lines, forward references, Python recognised."""

import nengo
import numpy as np
import pytest

from nbsnn.dsl import SnnSyntaxError, compile_cell, to_text

LORENZ = """\
tau = 100ms
sigma = 10
beta = 8 / 3
rho = 28
x = ensemble 60 LIF dims=3 radius=60
x -> x : [
    (-sigma * x[0] + sigma * x[1]) * tau + x[0],   # dx0
    (-x[0] * x[2] - x[1]) * tau + x[1],
    (x[0] * x[1] - beta * (x[2] + rho) - rho) * tau + x[2],
] synapse=tau
"""


def test_constants_with_units_and_in_expressions():
    net = compile_cell("tau = 100ms\ngain = -2\na = ensemble 10 LIF\n"
                  "a -> a : x * gain synapse=tau transform=gain")
    (conn,) = net.connections
    assert conn.synapse == nengo.Lowpass(0.1)
    assert conn.transform.init == -2
    assert conn.function(np.array([0.5])) == -1
    assert not hasattr(net, "tau")


def test_wrapped_expression_compiles_to_one_line():
    with pytest.raises(SnnSyntaxError) as info:
        compile_cell(LORENZ.replace("rho) - rho", "rho) - rh"))
    assert "unknown name 'rh'" in info.value.message and info.value.line == 9
    net = compile_cell(LORENZ)
    (conn,) = net.connections
    assert "\n" not in conn.function.source
    x = np.array([1.0, 2.0, 3.0])
    expected = [(-10 * 1 + 10 * 2) * 0.1 + 1, (-1 * 3 - 2) * 0.1 + 2,
                (1 * 2 - 8 / 3 * (3 + 28) - 28) * 0.1 + 3]
    assert np.allclose(conn.function(x), expected)
    printed = to_text(net)
    assert printed.splitlines()[:4] == ["tau = 0.1", "sigma = 10",
                                        "beta = 2.6666666666666665", "rho = 28"]
    assert to_text(compile_cell(printed)) == printed


def test_wrapped_lines_keep_error_positions():
    with pytest.raises(SnnSyntaxError) as info:
        compile_cell("a = ensemble 10 LIF\na -> a : [\n    x[0],\n    foo(x[0]),\n]")
    assert (info.value.line, info.value.column) == (4, 5)
    assert "unknown function 'foo'" in info.value.message
    with pytest.raises(SnnSyntaxError) as info:
        compile_cell("a = ensemble 10 LIF dims=2\nb = ensemble 10 LIF\na -> b : (x[0] +\n")
    assert "'(' is never closed" in info.value.message and info.value.line == 3


@pytest.mark.parametrize(
    ("text", "where", "fragment"),
    [
        ("a = ensemble 5 LIF\na -> b\nb = ensemble 5 LIF", (2, 6),
         "'b' is defined below, on line 3"),
        ("a = ensemble 5 LIF\na -> a synapse=tau\ntau = 5ms", (2, 16),
         "'tau' is defined below, on line 3"),
        ("a = ensemble 5 LIF\nc = a -> a : 0 learn=pes(err)\nerr = ensemble 5 LIF",
         (2, 26), "'err' is defined below"),
        ("a = ensemble 5 LIF\na -> a : x * gain\ngain = 2", (2, 14),
         "'gain' is defined below, on line 3"),
    ],
)
def test_forward_references_say_defined_below(text, where, fragment):
    with pytest.raises(SnnSyntaxError) as info:
        compile_cell(text)
    assert fragment in info.value.message
    assert (info.value.line, info.value.column) == where


@pytest.mark.parametrize(
    ("text", "fragment", "hint"),
    [
        ("a = nengo.Ensemble(100, dimensions=1)", "'nengo.Ensemble' is Python",
         "a = ensemble 100 LIF"),
        ("nengo.Connection(a, b, synapse=0.01)", "'nengo.Connection' is Python",
         "a -> b : x**2 synapse=5ms"),
        ("stim = nengo.Node(lambda t: t)", "'nengo.Node' is Python", "input sin(2*pi*t)"),
        ("import nengo", "'import' is Python", "no imports"),
        ("def square(x):", "'def' is Python", "a -> b : x[0] * x[1]"),
        ("with nengo.Network() as net:", "'nengo.Network' is Python", "network:"),
        ("sim = nengo.Simulator(net)", "'nengo.Simulator' is Python", "%snn run"),
    ],
)
def test_python_is_recognised_and_the_snn_way_shown(text, fragment, hint):
    with pytest.raises(SnnSyntaxError) as info:
        compile_cell(text)
    assert fragment in info.value.message
    assert hint in info.value.expected


def test_python_constant_is_a_constant_and_its_use_says_unit():
    with pytest.raises(SnnSyntaxError) as info:
        compile_cell("tau = 0.1\na = ensemble 5 LIF\na -> a synapse=tau")
    assert "'tau' is 0.1" in info.value.message and info.value.suggestion == "0.1s"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("s = input white(5Hz, rms=-1)", "invalid rms: Value must be greater than 0"),
        ("a = ensemble 5 LIF(tau_rc=-1ms)", "invalid tau_rc: Value must be greater than 0"),
        ("a = ensemble 5 LIF\nb = ensemble 5 LIF\nc = a -> b learn=pes(b, rate=-1)",
         "invalid learning_rate"),
    ],
)
def test_nengo_messages_come_with_a_location_and_advice(text, message):
    with pytest.raises(SnnSyntaxError) as info:
        compile_cell(text)
    err = info.value
    assert err.message.startswith(message), str(err)
    assert "WhiteSignal." not in err.message and "LIF." not in err.message
    assert "docs/snn_language.md" in err.expected
