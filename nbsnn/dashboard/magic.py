"""``%snn live NAME``: show a live dashboard for a network in the user namespace.

The ``%snn`` dispatcher (in `nbsnn.magics`) imports this module only when the
``live`` sub-command is used, and calls `run_magic` with the remaining words.
"""

import shlex

from IPython.core.error import UsageError

from ..subcommand import SubcommandParser

__all__ = ["HELP", "run_magic"]

HELP = """\
%snn live NAME [--window SECONDS] [--fps FPS] [--speed FACTOR|max] [--seed N] [--dt DT]

Show a live dashboard for the nengo.Network called NAME: play / pause / step /
reset, speed, simulated time and real-time factor, a slider per constant or
slider input, synapse time-constant controls (rebuild and resume), and plots
that stream while it runs (decoded values, spike raster, membrane voltage,
firing rates, tuning curves, learned weights).

  --window SECONDS   simulated time visible in the time plots (default 2)
  --fps FPS          target frame rate (default 20)
  --speed FACTOR     target real-time factor, or "max" (default 1)
  --seed N           simulator seed (default: the network's, else random once)
  --dt DT            simulator time step in seconds (default 0.001)
"""


def _speed(text):
    return None if text == "max" else float(text)


def _parser():
    parser = SubcommandParser("%snn live", HELP)
    parser.add_argument("name")
    parser.add_argument("--window", type=float, default=2.0)
    parser.add_argument("--fps", type=float, default=20.0)
    parser.add_argument("--speed", type=_speed, default=1.0)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--dt", type=float, default=0.001)
    return parser


def run_magic(shell, argv):
    """Run ``%snn live``.

    Parameters
    ----------
    shell : IPython.core.interactiveshell.InteractiveShell
        The shell whose ``user_ns`` holds the network.
    argv : list of str or str
        The words after ``live`` (a string is split like a shell would).

    Returns
    -------
    nbsnn.dashboard.Dashboard
        The dashboard; as the value of a line magic it is displayed.

    Raises
    ------
    IPython.core.error.UsageError
        If the arguments are wrong, NAME is undefined or not a nengo.Network.
    """
    import nengo

    if isinstance(argv, str):
        argv = shlex.split(argv)
    args = _parser().parse_args(list(argv))
    if args.name not in shell.user_ns:
        raise UsageError(f"%snn live: no variable named {args.name!r} in the notebook")
    network = shell.user_ns[args.name]
    if not isinstance(network, nengo.Network):
        raise UsageError(
            f"%snn live: {args.name!r} is a {type(network).__name__}, not a nengo.Network; "
            "build one with %%snn NAME or nengo.Network()"
        )
    from .widgets import Dashboard

    return Dashboard(
        network,
        window=args.window,
        fps=args.fps,
        speed=args.speed,
        seed=args.seed,
        dt=args.dt,
    )
