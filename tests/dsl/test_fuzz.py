"""Fuzzing: no input makes the language fail with anything but SnnSyntaxError."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nbsnn.dsl import SnnNetwork, SnnSyntaxError, compile_cell, to_text

from .cells import CONSTRUCTS, EVERYTHING

FUZZ = settings(max_examples=300, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])

WORDS = [
    "a", "b", "c", "stim", "x", "t", "pi", "ensemble", "input", "probe", "network",
    "LIF", "LIFF", "ReLU", "Izhikevich", "spikes", "voltage", "weights", "value",
    "step", "piecewise", "white", "slider", "constant", "pes", "alpha", "none",
    "sin", "exp", "every", "at", "rate", "rates", "dims", "radius", "synapse",
    "transform", "weights", "learn", "neurons", "seed", "sample_every", "intercepts",
    "0", "1", "-1", "0.5", "150", "5ms", "10Hz", "2s", "1e-4", "40..60", "4", "x",
    "->", "=", ":", ",", "(", ")", "[", "]", ".", "..", "+", "-", "*", "**", "/",
    "#", "\n", "\n    ", " ", "\t", "'", "$", "1e999", "9" * 30,
    "inhibit", "encoders", "solver", "label", "LstsqL2", "weights=True", "choice",
    "uniform", "passthrough", "BasalGanglia", "Product", "Integrator", "Oscillator",
    "bg.input", "prod.input_a", "osc", "tau", "gain", "-gain", '"text"', "'x'", "[\n",
    "(\n", "nengo.Ensemble(", "import", "def", "dims=3", "arr.neurons", "100ms",
]


def check(text):
    try:
        net = compile_cell(text)
    except SnnSyntaxError as err:
        assert err.line >= 1 and err.column >= 1
        str(err)
    else:
        assert isinstance(net, SnnNetwork)


@FUZZ
@given(st.text(max_size=80))
def test_arbitrary_text(text):
    check(text)


@FUZZ
@given(st.lists(st.sampled_from(WORDS), max_size=30).map(" ".join))
def test_token_soup(text):
    check(text)


LINES = EVERYTHING.splitlines() + CONSTRUCTS.splitlines()


@FUZZ
@given(st.lists(st.integers(0, len(LINES) - 1), min_size=1, max_size=12),
       st.integers(0, 200), st.sampled_from(WORDS + ["", "", ""]))
def test_mutated_valid_cells(order, position, insert):
    text = "\n".join(LINES[i] for i in order)
    position = min(position, len(text))
    check(text[:position] + insert + text[position:])


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, len(LINES) - 1), min_size=1, max_size=15))
def test_any_valid_selection_of_lines_prints_back(order):
    from .test_printer import structure

    text = "\n".join(LINES[i] for i in order)
    try:
        net = compile_cell(text, seed=1)
    except SnnSyntaxError:
        return
    printed = to_text(net)
    again = compile_cell(printed, seed=1)
    assert structure(again) == structure(net)
    assert to_text(again) == printed
