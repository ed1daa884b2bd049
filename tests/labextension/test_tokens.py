"""The highlighter's tokenizer splits ``%%snn`` text exactly as nbsnn's lexer does.

The TypeScript tokenizer (``labextension/src/snnTokens.ts``, compiled to
``labextension/lib``) runs under node (``labextension/test/tokenize.mjs``) on
every cell example of the language reference, each as one text (so statements
wrapped over several lines inside brackets keep their state), and on its
inline inputs; its tokens, with a number and its unit joined, must be those of
``nbsnn.dsl.lexer.tokenize``, at the same lines and columns. Its name sets
must be those of nbsnn's registries.
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from nbsnn.dsl import expressions, library, parser, values, vocabulary
from nbsnn.dsl.errors import SnnSyntaxError
from nbsnn.dsl.lexer import tokenize
from nbsnn.learning.language import SPIKE_RULES

ROOT = Path(__file__).resolve().parents[2]
LABEXTENSION = ROOT / "labextension"


def _reference_cells() -> list[str]:
    """Cell examples of docs/snn_language.md without their ``%%snn`` line, and its inputs.

    Code blocks the lexer rejects (the grammar, an error message) are not cells.
    """
    text = (ROOT / "docs" / "snn_language.md").read_text()
    cells = []
    for block in re.findall(r"```\n(.*?)```", text, flags=re.S):
        body = "\n".join(line for line in block.splitlines() if not line.startswith("%%snn"))
        try:
            tokenize(body)
        except SnnSyntaxError:
            continue
        cells.append(body)
    # The inputs table writes its examples inline: `input sin(2*pi*t)`.
    cells += [f"stim = {code}" for code in re.findall(r"`(input [^`]+)`", text)]
    return cells


def _node(*args: str, stdin: str | None = None):
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed to build and test the JupyterLab extension")
    if not (LABEXTENSION / "lib" / "snnTokens.js").exists():
        pytest.fail("labextension/lib is missing: cd labextension && npm ci && npm run build:lib")
    result = subprocess.run(
        [node, "--experimental-detect-module", "test/tokenize.mjs", *args],
        input=stdin, capture_output=True, text=True, cwd=LABEXTENSION, check=True, timeout=60,
    )
    return json.loads(result.stdout)


def _js_tokens(cells: list[str]) -> list[list[list[list[str]]]]:
    """For each cell, for each of its lines, the ``[text, style]`` tokens."""
    return _node("--stdin", stdin=json.dumps({"texts": cells}))


def _joined(cell: str, lines: list[list[list[str]]]) -> list[tuple[int, int, str]]:
    """The highlighter's tokens as ``(line, column, text)``, without comments,
    a unit (or a bad one) joined to the number it follows as in the lexer ('5ms')."""
    joined: list[list] = []
    for number, (source, tokens) in enumerate(zip(cell.split("\n"), lines, strict=True), 1):
        end = 0
        for text, style in tokens:
            start = source.index(text, end)
            if style != "comment":
                previous = joined[-1] if joined else None
                if (style in ("unit", "invalid") and previous and previous[0] == number
                        and previous[1] - 1 + len(previous[2]) == start
                        and previous[2][-1].isdigit()):
                    previous[2] += text
                else:
                    joined.append([number, start + 1, text])
            end = start + len(text)
    return [tuple(token) for token in joined]


def test_reference_examples_tokenize_like_the_lexer():
    cells = _reference_cells()
    assert len(cells) > 30, "the reference's examples were not found"
    # The reference shows what a second-edition cell may hold.
    assert any(len(line.texts) > 1 for cell in cells for line in tokenize(cell)), \
        "no wrapped statement"
    assert any(t.kind == "string" for cell in cells for line in tokenize(cell)
               for t in line.tokens), "no quoted string"
    for cell, lines in zip(cells, _js_tokens(cells), strict=True):
        expected = [(t.line, t.column, t.text) for parsed in tokenize(cell)
                    for t in parsed.tokens if t.kind != "end"]
        assert _joined(cell, lines) == expected, cell


def test_every_kind_of_token_appears_in_the_reference():
    styles = {style for cell in _js_tokens(_reference_cells()) for line in cell
              for _, style in line}
    assert {"keyword", "neuron", "library", "definition", "option", "constructor",
            "probeKind", "mathFunction", "exprName", "number", "unit", "arrow", "operator",
            "punctuation", "comment", "string", "bool"} <= styles
    assert "invalid" not in styles


def test_wrapped_expression_keeps_its_context():
    cell = "osc -> osc : [\n    x[0] * tau,\n    sin(x[1]),\n] synapse=tau\nx = ensemble 10"
    lines = _js_tokens([cell])[0]
    assert [style for text, style in lines[1] if text == "x"] == ["exprName"]
    assert lines[2][0] == ["sin", "mathFunction"]
    assert ["synapse", "option"] in lines[3]
    assert lines[4][0] == ["x", "definition"]


def test_name_sets_match_the_language_registries():
    sets = {name: set(names) for name, names in _node("--vocabulary").items()}
    assert sets["KEYWORDS"] == {*parser.KEYWORDS, "learn"}
    assert sets["NEURON_TYPES"] == set(vocabulary.NEURON_TYPES)
    assert sets["UNITS"] == {*vocabulary.TIME_UNITS, *vocabulary.FREQUENCY_UNITS}
    assert sets["SOLVERS"] == set(vocabulary.SOLVERS)
    assert sets["LIBRARY_NETWORKS"] == set(library.NETWORKS)
    assert sets["PROBE_KINDS"] == set(parser.PROBE_KINDS)
    assert sets["MATH_FUNCTIONS"] == set(expressions.FUNCTIONS)
    assert sets["EXPRESSION_NAMES"] == {"x", "t", *expressions.CONSTANTS}
    assert sets["BOOLEANS"] == set(values._BOOLEANS)
    # Inputs, synapses ('none' is a word, not a call), distributions, learning.
    assert sets["CONSTRUCTORS"] == {*parser.INPUT_CALLS, *values._SYNAPSES, "none",
                                    "uniform", "choice", "pes", *SPIKE_RULES}
