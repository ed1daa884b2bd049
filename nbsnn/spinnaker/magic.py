"""``%snn push NAME --spinnaker HOST [--virtual] [--nest]``: the line magic's push verb.

The ``%snn`` dispatcher imports this module lazily and calls `run_magic`.
"""

import shlex
from dataclasses import dataclass
from typing import Optional

from ..commands.push import parser as _parser

__all__ = ["PushOutcome", "run_magic"]


@dataclass
class PushOutcome:
    """Result of ``%snn push``.

    Attributes
    ----------
    spinnaker : PushResult or None
        Mapping report, quantisation check and (on a board) decoded probes.
    nest : ProbeData or None
        Decoded probes from NEST.
    """

    spinnaker: Optional[object] = None
    nest: Optional[dict] = None

    def __repr__(self):
        parts = []
        if self.spinnaker is not None:
            m = self.spinnaker.mapping
            where = "virtual" if self.spinnaker.virtual else self.spinnaker.host
            parts.append(f"spinnaker={where}: {m.n_cores} cores, {len(m.chips)} chips")
        if self.nest is not None:
            parts.append(f"nest={len(self.nest)} probes")
        return f"PushOutcome({', '.join(parts)})"


def run_magic(shell, argv):
    """Run ``%snn push`` in ``shell`` with the given arguments.

    Parameters
    ----------
    shell : IPython.core.interactiveshell.InteractiveShell
        The shell whose namespace holds the network.
    argv : list of str or str
        Arguments after ``%snn`` (a leading ``push`` is accepted and skipped).

    Returns
    -------
    PushOutcome
    """
    import nengo
    from IPython.core.error import UsageError

    parser = _parser()
    if isinstance(argv, str):
        argv = shlex.split(argv)
    argv = list(argv)
    if argv and argv[0] == "push":
        argv = argv[1:]
    args = parser.parse_args(argv)
    if not (args.spinnaker or args.virtual or args.nest):
        raise parser.usage_error("say where: --spinnaker HOST, --virtual or --nest")
    network = shell.user_ns.get(args.name)
    if not isinstance(network, nengo.Network):
        raise UsageError(f"%snn push: {args.name!r} is not a nengo.Network in this namespace")

    from .nest import run_nest
    from .push import push

    outcome = PushOutcome()
    options = dict(duration=args.duration, dt=args.dt, timestep=args.timestep, seed=args.seed)
    if args.spinnaker or args.virtual:
        outcome.spinnaker = push(network, host=args.spinnaker, virtual=args.virtual, **options)
        print(outcome.spinnaker)
    if args.nest:
        outcome.nest = run_nest(network, **options)
        print(f"NEST: decoded {len(outcome.nest)} probe(s) over {args.duration} s")
    return outcome
