"""Arguments of the cell magic ``%%snn`` and of ``%snn run``, ``show`` and ``help``
(the subcommands `nbsnn.magics` implements itself)."""

from ..subcommand import SubcommandParser

__all__ = ["cell_parser", "help_parser", "run_parser", "show_parser"]


def cell_parser():
    """Arguments of ``%%snn NAME``."""
    parser = SubcommandParser("%%snn", "Define network NAME from the cell (see "
                              "docs/snn_language.md).")
    parser.add_argument("name", metavar="NAME", help="Python name the network is bound to")
    parser.add_argument("--seed", metavar="N", type=int, default=None,
                        help="fixes the neurons (encoders, gains, biases) and, through "
                             "Nengo's rule (seed N+1), the simulator of every later run")
    return parser


def run_parser():
    """Arguments of ``%snn run``."""
    parser = SubcommandParser(
        "%snn run", "Simulate network NAME on nbsnn.Simulator, plot its probes, and keep "
        "the data as VAR\n(.trange, .data, ['b_probe']).")
    parser.add_argument("name", metavar="NAME", help="the network (a nengo.Network)")
    parser.add_argument("duration", metavar="DURATION", help="simulated time, e.g. 2.5s")
    parser.add_argument("--dt", metavar="DT", default="1ms", help="time step")
    parser.add_argument("--seed", metavar="N", type=int, default=None,
                        help="fixes the whole run: the simulator's noise and, if the cell "
                             "gave no --seed, the neurons (encoders, gains, biases)")
    parser.add_argument("--no-plot", action="store_true", help="do not plot the probes")
    parser.add_argument("--out", metavar="VAR", default=None,
                        help="variable to bind the result to (default: NAME_result)")
    return parser


def show_parser():
    """Arguments of ``%snn show``."""
    parser = SubcommandParser(
        "%snn show", "Print network NAME (any nengo.Network) as %%snn text; objects the "
        "language\ncannot write become '# not expressible' comments.")
    parser.add_argument("name", metavar="NAME", help="the network")
    parser.add_argument("--edit", action="store_true", help="put the text in the next cell")
    return parser


def help_parser():
    """Arguments of ``%snn help``."""
    parser = SubcommandParser("%snn help", "List the subcommands, or describe one.")
    parser.add_argument("subcommand", metavar="SUBCOMMAND", nargs="?",
                        help="e.g. run, live, convert")
    return parser
