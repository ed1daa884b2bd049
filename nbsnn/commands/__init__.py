"""The arguments of each ``%snn`` subcommand: one light module per part.

These modules import nothing but `argparse` (through `nbsnn.subcommand`), so
``%snn help`` builds every subcommand's help from the parser the subcommand itself
uses, without importing the part (TensorFlow for convert, Dask for sweep, bokeh
for live) or finding it installed.
"""

from . import convert, core, live, nir, push, sweep

__all__ = ["PARSERS"]

#: Subcommand name -> function returning its (fresh) parser.
PARSERS = {
    "run": core.run_parser,
    "show": core.show_parser,
    "help": core.help_parser,
    "live": live.parser,
    "convert": convert.parser,
    "push": push.parser,
    "sweep": sweep.parser,
    "export": nir.export_parser,
    "import": nir.import_parser,
}
