"""``%snn live NAME``: show a live dashboard, or chosen views, of a network in the user namespace.

The ``%snn`` dispatcher (in `nbsnn.magics`) imports this module only when the
``live`` sub-command is used, and calls `run_magic` with the remaining words.
"""

import shlex

from IPython.core.error import UsageError

from ..subcommand import SubcommandParser

__all__ = ["HELP", "run_magic"]

HELP = """\
%snn live NAME [--view SPEC ...] [--window SECONDS] [--history SECONDS] [--fps FPS]
               [--speed FACTOR|max] [--seed N] [--dt DT]

Run the nengo.Network called NAME live. Without --view: the Dashboard (play /
pause / step / reset, speed, status, a slider per input, synapse time-constant
controls, and plots of decoded values, spike raster, membrane voltage, firing
rates, tuning curves, learned weights). With --view: a toolbar and the views
given, in order, e.g.

  %snn live net --view "value a" --view "raster b[:40]" --view "slider stim"

  --view SPEC        KIND [TARGET[INDEX]] [OPTION=VALUE ...]; KIND is a view type
                     (value, xy, raster, voltage, rates, rate_map, tuning, weights,
                     image, html, slider, synapse, seed, toolbar); TARGET a variable
                     or a label; INDEX [:40], [1,5,7] or [most active] for neurons
  --window SECONDS   simulated time visible in the time plots (default 2)
  --history SECONDS  simulated time kept for scrubbing and export (default 10)
  --fps FPS          target frame rate (default 25)
  --speed FACTOR     target real-time factor, or "max" (default 1)
  --seed N           simulator seed (default: the network's, else random once)
  --dt DT            simulator time step in seconds (default 0.001)
"""


def _speed(text):
    return None if text == "max" else float(text)


def _parser():
    from .session import DEFAULT_FPS

    parser = SubcommandParser("%snn live", HELP)
    parser.add_argument("name")
    parser.add_argument("--view", action="append", default=[])
    parser.add_argument("--window", type=float, default=2.0)
    parser.add_argument("--history", type=float, default=None)
    parser.add_argument("--fps", type=float, default=DEFAULT_FPS)
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
    nbsnn.dashboard.Dashboard or nbsnn.dashboard.LiveBox
        The dashboard, or the views asked for; as the value of a line magic
        it is displayed.

    Raises
    ------
    IPython.core.error.UsageError
        If the arguments are wrong, NAME is undefined or not a nengo.Network,
        or a view spec is wrong.
    """
    import nengo

    from ..exceptions import ViewError

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
    options = dict(window=args.window, history=args.history, fps=args.fps, speed=args.speed,
                   seed=args.seed, dt=args.dt)
    if not args.view:
        from .preset import Dashboard

        return Dashboard(network, **options)
    from .preset import LiveBox
    from .session import LiveSession
    from .spec import make_view, parse_view_spec

    session = LiveSession(network, **options)
    try:
        specs = [parse_view_spec(text) for text in args.view]
        views = [make_view(session, spec, shell.user_ns) for spec in specs]
    except ViewError as err:
        session.close()
        raise UsageError(f"%snn live: {err}") from None
    return LiveBox(session, views)
