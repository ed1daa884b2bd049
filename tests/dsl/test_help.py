"""``%snn`` help is made from the parsers the subcommands run with (`nbsnn.commands`),
and reading it imports none of the heavy parts."""

import json
import subprocess
import sys

import pytest
from IPython.core.error import UsageError

from nbsnn import magics
from nbsnn.commands import PARSERS
from nbsnn.commands.core import cell_parser
from nbsnn.subcommand import SubcommandParser

HEAVY = ("tensorflow", "keras", "dask", "distributed", "pandas", "bokeh", "jupyter_bokeh",
         "ipywidgets", "pyNN", "spynnaker", "nir")

SCRIPT = f"""
import json, sys
from IPython.testing.globalipapp import start_ipython
ip = start_ipython()
ip.run_line_magic("load_ext", "nbsnn.magics")
ip.run_line_magic("snn", "help")
for name in {sorted(PARSERS)!r}:
    ip.run_line_magic("snn", "help " + name)
print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))
"""


def test_help_imports_none_of_the_parts():
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                         check=True).stdout
    assert "%snn sweep TARGET" in out and "--max-points N" in out
    assert json.loads(out.splitlines()[-1]) == []


def _parsers():
    return [cell_parser(), *(make() for make in PARSERS.values())]


@pytest.mark.parametrize("parser", _parsers(), ids=lambda p: p.prog)
def test_help_states_each_default_once(parser):
    """The help shows the parser's own default; prose about defaults only where the
    parser's is None (and the prose says what happens instead)."""
    lines = parser.help_text.splitlines()
    for action in parser._actions:
        if not action.option_strings:
            continue
        option = action.option_strings[0]
        assert any(line.lstrip().startswith(option) for line in lines), option
        if action.default is not None and action.default is not False and \
                action.default != []:
            assert "default" not in action.help, option
            shown = f"{action.default:g}" if isinstance(action.default, float) else \
                action.default
            assert f"(default {shown})" in " ".join(" ".join(lines).split()), option


def test_live_history_help_matches_its_parser():
    parser = PARSERS["live"]()
    assert parser.get_default("history") is None
    text = " ".join(parser.help_text.split())
    assert "--window SECONDS simulated time visible in the time plots (default 2)" in text
    assert "(default: 10, or --window if longer)" in text


@pytest.mark.parametrize("name", sorted(magics.SUBCOMMANDS))
def test_each_subcommand_parses_with_its_help_parser(ipython, name):
    """A bad option to the running subcommand shows the help of `nbsnn.commands`."""
    pytest.importorskip(magics.REQUIRES.get(name, ("nbsnn",))[0])
    _, run = magics._load_subcommand(name)
    with pytest.raises(UsageError) as info:
        run(ipython, ["x", "y", "--no-such-option"])
    assert str(info.value).endswith("\n\n" + PARSERS[name]().help_text)


def test_usage_puts_positionals_first_and_wraps_under_them():
    parser = SubcommandParser("%snn demo", "Demo.")
    parser.add_argument("name", metavar="NAME", help="a name")
    for i in range(12):
        parser.add_argument(f"--option-{i}", metavar="VALUE", type=float, default=i / 2,
                            help=f"option {i}")
    lines = parser.help_text.splitlines()
    assert lines[0].startswith("%snn demo NAME [--option-0 VALUE]")
    assert len(lines[0]) <= 88 and lines[1].startswith(" " * 10 + "[--option-")
    assert "  NAME               a name" in lines
    assert "  --option-0 VALUE   option 0 (default 0)" in lines  # a zero is a default
    assert "  --option-3 VALUE   option 3 (default 1.5)" in lines
