"""``%snn live NAME``: show a live dashboard, or chosen views, of a network in the user namespace.

The ``%snn`` dispatcher (in `nbsnn.magics`) imports this module only when the
``live`` sub-command is used, and calls `run_magic` with the remaining words.
"""

import shlex

from IPython.core.error import UsageError

from ..commands.live import parser as _parser

__all__ = ["run_magic"]


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
