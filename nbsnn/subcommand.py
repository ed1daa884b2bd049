"""Argument parsing shared by the ``%snn`` subcommands (live, convert, sweep, push)."""

import argparse

__all__ = ["SubcommandParser", "usage_error"]


def usage_error(prog, message, help_text):
    """IPython's `UsageError` for ``prog``, followed by its help text."""
    from IPython.core.error import UsageError

    return UsageError(f"{prog}: {message}\n\n{help_text}")


class SubcommandParser(argparse.ArgumentParser):
    """An argument parser whose errors are `UsageError`s (shown without a traceback)."""

    def __init__(self, prog, help_text):
        super().__init__(prog=prog, add_help=False)
        self.help_text = help_text

    def error(self, message):
        raise usage_error(self.prog, message, self.help_text)
