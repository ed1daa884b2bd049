"""Arguments of ``%snn push`` (run by `nbsnn.spinnaker.magic`)."""

from ..subcommand import SubcommandParser

__all__ = ["parser"]

DESCRIPTION = """\
Export the nengo.Network called NAME to PyNN and map and run it on a SpiNNaker board
(--spinnaker HOST), only map it on the toolchain's virtual board (--virtual), and/or
run the same export on NEST (--nest). Prints the mapping report, the fixed-point weight
check and/or NEST's decoded probes; returns a PushOutcome (.spinnaker: PushResult,
.nest: probe data)."""


def parser():
    """The parser of ``%snn push``."""
    p = SubcommandParser("%snn push", DESCRIPTION)
    p.add_argument("name", metavar="NAME", help="the network (a nengo.Network)")
    p.add_argument("--spinnaker", metavar="HOST",
                   help="map and run it on the SpiNNaker board at HOST (sPyNNaker)")
    p.add_argument("--virtual", action="store_true",
                   help="only map it, on the virtual board (no board needed)")
    p.add_argument("--nest", action="store_true",
                   help="run the same export on NEST and decode its probes")
    p.add_argument("--duration", metavar="S", type=float, default=1.0,
                   help="run time in seconds")
    p.add_argument("--dt", metavar="S", type=float, default=0.001,
                   help="Nengo time step in seconds, for building and the returned data")
    p.add_argument("--timestep", metavar="MS", type=float, default=0.1,
                   help="SpiNNaker time step in milliseconds")
    p.add_argument("--seed", metavar="N", type=int, default=None,
                   help="seed of host-side inputs")
    return p
