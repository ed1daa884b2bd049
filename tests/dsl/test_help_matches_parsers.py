"""Each ``%snn`` help text names every option of its parser, with the parser's defaults.

The help texts are read by ``%snn help`` without importing the parts, so they are
written beside the parsers; these tests keep the two from drifting apart.
"""

import re

import pytest

from nbsnn import magics


def _pairs():
    from nbsnn.convert import magic as convert
    from nbsnn.dashboard import magic as dashboard
    from nbsnn.nir import magic as nir
    from nbsnn.spinnaker import magic as spinnaker
    from nbsnn.sweep import magic as sweep

    return {
        "run": (magics._OWN_HELP["run"], magics._run_parser()),
        "show": (magics._OWN_HELP["show"], magics._show_parser()),
        "live": (dashboard.HELP, dashboard._parser()),
        "convert": (convert.HELP, convert._parser()),
        "sweep": (sweep.HELP, sweep._parser()),
        "push": (spinnaker.HELP, spinnaker._parser()),
        "export": (nir.HELP, nir._export_parser()),
        "import": (nir.HELP, nir._import_parser()),
    }


PAIRS = _pairs()


def _options(parser):
    return [action for action in parser._actions if action.option_strings]


def _stated_default(text, option):
    """The number after "default" on the line that describes ``option``, if any."""
    for line in text.splitlines():
        if re.match(rf"\s+{re.escape(option)}\b", line):
            found = re.search(r"default:? ([-+0-9.e]+)\b", line)
            return float(found.group(1)) if found else None
    return None


@pytest.mark.parametrize("name", PAIRS)
def test_help_names_every_option(name):
    text, parser = PAIRS[name]
    for action in _options(parser):
        for option in action.option_strings:
            assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text), (name, option)


@pytest.mark.parametrize("name", PAIRS)
def test_defaults_in_help_are_the_parsers(name):
    text, parser = PAIRS[name]
    checked = 0
    for action in _options(parser):
        stated = _stated_default(text, action.option_strings[0])
        if stated is not None and action.default is not None:
            assert float(action.default) == stated, (name, action.option_strings[0])
            checked += 1
    if name in ("live", "convert", "sweep"):
        assert checked > 0, f"no default of %snn {name} was found in its help"


def test_a_drifted_default_is_caught():
    text, parser = PAIRS["live"]
    assert _stated_default(text.replace("(default 20)", "(default 25)"), "--fps") == 25.0
    assert parser.get_default("fps") != 25.0
