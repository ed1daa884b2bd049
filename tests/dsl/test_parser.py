"""Lexer and parser: tokens, positions, structure and located errors."""

import pytest

from nbsnn.dsl import SnnSyntaxError, parse
from nbsnn.dsl.lexer import tokenize
from nbsnn.dsl.syntax import (
    ArrayDef, Assign, Call, Connect, EnsembleDef, InputDef, NetworkDef, ProbeDef,
    Quantity, Range,
)
from nbsnn.exceptions import NbsnnError

from .cells import EVERYTHING, ISSUE_EXAMPLE


def test_tokens_keep_positions_and_units():
    (line,) = tokenize("  a -> b : x**2 synapse=5ms  # comment", first_line=7)
    texts = [t.text for t in line.tokens]
    assert texts == ["a", "->", "b", ":", "x", "**", "2", "synapse", "=", "5ms", ""]
    five = line.tokens[9]
    assert (five.kind, five.value, five.unit, five.line, five.column) == (
        "quantity", 5.0, "ms", 7, 25)
    assert line.indent == 2


def test_range_is_not_read_as_decimal_points():
    (line,) = tokenize("rates=40..60")
    assert [t.text for t in line.tokens[:-1]] == ["rates", "=", "40", "..", "60"]


def test_issue_example_structure():
    program = parse(ISSUE_EXAMPLE)
    kinds = [type(s.value).__name__ if isinstance(s, Assign) else type(s).__name__
             for s in program.statements]
    assert kinds == ["InputDef", "EnsembleDef", "EnsembleDef", "Connect", "Connect",
                     "Connect", "ProbeDef"]
    stim = program.statements[0].value
    assert isinstance(stim, InputDef) and isinstance(stim.call, Call)
    assert [a.value for a in stim.call.args] == [-1, 0.5]
    a = program.statements[1].value
    assert isinstance(a, EnsembleDef) and a.n_neurons == 150 and a.neuron.name == "LIF"
    rates = a.options[0].value
    assert isinstance(rates, Range) and (rates.low.value, rates.high.value) == (40, 60)
    square = program.statements[4]
    assert isinstance(square, Connect) and square.function.source == "x**2"
    synapse = square.options[0].value
    assert isinstance(synapse, Quantity) and synapse.unit == "ms"


def test_blocks_arrays_refs():
    program = parse(EVERYTHING)
    by_name = {s.name.text: s.value for s in program.statements if isinstance(s, Assign)}
    assert isinstance(by_name["sub"], NetworkDef) and len(by_name["sub"].body) == 3
    assert isinstance(by_name["arr"], ArrayDef) and by_name["arr"].count == 3
    assert isinstance(by_name["spy"], ProbeDef)
    assert by_name["spy"].target.dotted == "sub.inner"
    slices = [s for s in program.statements if isinstance(s, Connect)
              and s.pre.index is not None]
    assert slices[0].pre.index == slice(1, 3)
    neurons = [s for s in program.statements if isinstance(s, Connect) and s.pre.neurons]
    assert neurons[0].post.neurons


@pytest.mark.parametrize(
    ("text", "line", "column", "fragment", "suggestion"),
    [
        ("a = ensemble 150 LIFF", 1, 18, "unknown neuron type 'LIFF'", "LIF"),
        ("a = ensembel 150 LIF", 1, 5, "unknown definition", "ensemble"),
        ("a = ensemble 10 LIF\nprobe a spike", 2, 9, "unknown probe kind", "spikes"),
        ("a = ensemble 10 LIF\na -> a : sine(x)", 2, 10, "unknown function", "sin"),
        ("a = ensemble LIF", 1, 14, "unexpected 'LIF'", None),
        ("a = ensemble 10 LIF %", 1, 21, "unexpected '%'", None),
        ("a = ensemble 10 LIF\n   b = ensemble 5", 2, 1, "unexpected indentation", None),
        ("s = network:\na = ensemble 3", 1, 13, "expected an indented block", None),
        ("a = ensemble 10 LIF @", 1, 21, "unexpected character '@'", None),
        ("input = ensemble 3", 1, 1, "keyword", None),
        ("ensemble 3 LIF", 1, 1, "needs a name", None),
        ("a = ensemble 3\na -> a : x +", 2, 13, "ends too early", None),
        ("s = input sin(2*pi*x)", 1, 20, "function of 't'", None),
        ("a = ensemble 1.5 LIF", 1, 14, "unexpected '1.5'", None),
    ],
)
def test_located_errors(text, line, column, fragment, suggestion):
    from nbsnn.dsl import compile_cell

    with pytest.raises(SnnSyntaxError) as info:
        compile_cell(text)
    err = info.value
    assert isinstance(err, SyntaxError) and isinstance(err, NbsnnError)
    assert (err.line, err.column) == (line, column), str(err)
    assert (err.lineno, err.offset) == (line, column)
    assert fragment in err.message
    assert err.suggestion == suggestion
    rendered = str(err).splitlines()
    assert rendered[0].startswith(f"line {line}, column {column}:")
    assert rendered[2].index("^") == 4 + column - 1


def test_caret_sits_under_the_token():
    from nbsnn.dsl import compile_cell

    with pytest.raises(SnnSyntaxError) as info:
        compile_cell("stim = input 1\na = ensemble 150 LIFF rates=40..60")
    source, caret = str(info.value).splitlines()[1:3]
    start = caret.index("^")
    assert source[start:start + caret.count("^")] == "LIFF"
    assert "did you mean 'LIF'?" in str(info.value)
    assert "expected one of LIF" in str(info.value)


def test_first_line_offsets_line_numbers():
    with pytest.raises(SnnSyntaxError) as info:
        parse("a = ensemble 10 LIF\nb = ensemble x", first_line=2)
    assert info.value.line == 3


def test_error_pickles():
    import pickle

    with pytest.raises(SnnSyntaxError) as info:
        parse("a = ensemble 10 LIF(")
    copy = pickle.loads(pickle.dumps(info.value))
    assert str(copy) == str(info.value)
