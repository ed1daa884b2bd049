"""The highlighter's tokenizer splits ``%%snn`` text exactly as nbsnn's lexer does.

The TypeScript tokenizer (``labextension/src/snnTokens.ts``, compiled to
``labextension/lib``) runs under node (``labextension/test/tokenize.mjs``) on every statement line of the language
reference; its tokens, with a number and its unit joined, must be the tokens of
``nbsnn.dsl.lexer.tokenize``.
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from nbsnn.dsl.errors import SnnSyntaxError
from nbsnn.dsl.lexer import tokenize

ROOT = Path(__file__).resolve().parents[2]
LABEXTENSION = ROOT / "labextension"

def _reference_lines() -> list[str]:
    """Statement lines of the cell examples in docs/snn_language.md, and its inputs.

    Code blocks the lexer rejects (the grammar, an error message) are not cells.
    """
    text = (ROOT / "docs" / "snn_language.md").read_text()
    lines = []
    for block in re.findall(r"```\n(.*?)```", text, flags=re.S):
        try:
            tokenize(block.replace("[...]", "[]"))
        except SnnSyntaxError:
            continue
        for line in block.splitlines():
            if line.strip() and not line.startswith("%%snn") and "[...]" not in line:
                lines.append(line)
    # The inputs table writes its examples inline: `input sin(2*pi*t)`.
    lines += [f"stim = {code}" for code in re.findall(r"`(input [^`]+)`", text)]
    return lines


def _js_tokens(lines: list[str]) -> list[list[list[str]]]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed to build and test the JupyterLab extension")
    if not (LABEXTENSION / "lib" / "snnTokens.js").exists():
        pytest.fail("labextension/lib is missing: cd labextension && npm ci && npm run build:lib")
    result = subprocess.run(
        [node, "--experimental-detect-module", "test/tokenize.mjs", "--stdin"],
        input=json.dumps({"texts": lines}), capture_output=True, text=True,
        cwd=LABEXTENSION, check=True, timeout=60,
    )
    return [tokens for (tokens,) in json.loads(result.stdout)]


def test_reference_examples_tokenize_like_the_lexer():
    lines = _reference_lines()
    assert len(lines) > 30, "the reference's examples were not found"
    js = _js_tokens(lines)
    for line, tokens in zip(lines, js):
        expected = [t.text for parsed in tokenize(line) for t in parsed.tokens if t.kind != "end"]
        # A unit is glued to its number in the lexer ('5ms'); the highlighter
        # gives it its own token right after the number.
        joined: list[str] = []
        previous_end = None
        for text, style in tokens:
            if style == "comment":
                continue
            start = line.index(text, previous_end or 0)
            if style in ("unit", "invalid") and joined and start == previous_end \
                    and joined[-1][-1].isdigit():
                joined[-1] += text
            else:
                joined.append(text)
            previous_end = start + len(text)
        assert joined == expected, line


def test_every_kind_of_token_appears_in_the_reference():
    styles = {style for tokens in _js_tokens(_reference_lines()) for _, style in tokens}
    assert {"keyword", "neuron", "definition", "option", "constructor", "probeKind",
            "mathFunction", "exprName", "number", "unit", "arrow", "operator",
            "punctuation", "comment"} <= styles
