"""Argument parsing shared by the ``%snn`` subcommands, and their help made from it.

A subcommand's parser is its one description: the help text (``%snn help NAME``,
and the text shown with a usage error) is generated from the parser's usage, its
description, each argument's ``help`` with the parser's default, and its epilog.
"""

import argparse
import textwrap

__all__ = ["SubcommandParser", "format_help", "format_summary", "format_usage"]

#: Width of the help texts (fixed, so notebooks show the same text everywhere).
WIDTH = 88


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the description and epilog as written; adds each option's default."""

    def __init__(self, prog):
        super().__init__(prog, width=WIDTH, max_help_position=24)

    def _get_help_string(self, action):
        shown = _shown_default(action)
        if shown is None:
            return action.help
        return f"{action.help} (default {shown.replace('%', '%%')})"


def _shown_default(action):
    """The default an option's help states, or None where it has none worth stating
    (positionals, flags, None and empty lists: its help says what happens instead)."""
    default = action.default
    if not action.option_strings or default is None or default is False or \
            default == [] or default == argparse.SUPPRESS:
        return None
    return f"{default:g}" if isinstance(default, float) else str(default)


def format_usage(parser):
    """``parser``'s command line: its name, the positional arguments, then the options,
    wrapped under the first argument."""
    formatter = _Formatter(parser.prog)
    actions = sorted(parser._actions, key=lambda a: bool(a.option_strings))
    lines = [parser.prog]
    for action in actions:
        part = formatter._format_actions_usage([action], [])
        if len(lines[-1]) + 1 + len(part) > WIDTH:
            lines.append(" " * len(parser.prog))
        lines[-1] += " " + part
    return "\n".join(lines)


def format_help(parser):
    """The help text of ``parser``: its usage (`format_usage`), description, one line
    per argument that has ``help``, and the epilog."""
    formatter = _Formatter(parser.prog)
    formatter.add_text(format_usage(parser))
    formatter.add_text(parser.description)
    formatter.start_section(None)
    formatter.add_arguments([a for a in parser._actions if a.help is not None])
    formatter.end_section()
    formatter.add_text(parser.epilog)
    return formatter.format_help().rstrip("\n")


def format_summary(parser):
    """``parser``'s usage and the first sentence of its description (for a list)."""
    text = " ".join(parser.description.split())
    sentence = text.split(". ")[0].rstrip(".") + "."
    return format_usage(parser) + "\n" + textwrap.fill(
        sentence, WIDTH, initial_indent="    ", subsequent_indent="    ")


class SubcommandParser(argparse.ArgumentParser):
    """An argument parser whose errors are `UsageError`s (shown without a traceback),
    followed by the help generated from it.

    Parameters
    ----------
    prog : str
        The command, e.g. ``"%snn live"``.
    description : str
        What the command does (kept as written).
    epilog : str, optional
        Examples, shown after the arguments (kept as written).
    """

    def __init__(self, prog, description, epilog=None):
        super().__init__(prog=prog, description=description, epilog=epilog, add_help=False)

    @property
    def help_text(self):
        """The help of this command (see `format_help`)."""
        return format_help(self)

    def usage_error(self, message):
        """IPython's `UsageError` for this command: ``message``, then its help."""
        from IPython.core.error import UsageError

        return UsageError(f"{self.prog}: {message}\n\n{self.help_text}")

    def error(self, message):
        """Raise `usage_error` (argparse calls this on arguments it cannot parse)."""
        raise self.usage_error(message)
