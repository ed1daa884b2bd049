"""Arguments of ``%snn export`` and ``%snn import`` (run by `nbsnn.nir.magic`)."""

from ..subcommand import SubcommandParser

__all__ = ["export_parser", "import_parser"]


def export_parser():
    """The parser of ``%snn export``."""
    p = SubcommandParser("%snn export", "Write the network (or Keras Converter) called "
                         "NAME to a NIR file.")
    p.add_argument("name", metavar="NAME", help="a nengo.Network or a Converter")
    p.add_argument("file", metavar="FILE.nir", help="the file to write")
    p.add_argument("--dt", metavar="S", type=float, default=0.001,
                   help="time step the network runs with")
    p.add_argument("--approximate", action="store_true",
                   help="accept Nengo's LIF/ReLU types as NIR LIF/IF, with a warning")
    return p


def import_parser():
    """The parser of ``%snn import``."""
    p = SubcommandParser(
        "%snn import", "Load a NIR graph as a nengo.Network bound to NAME (run it with\n"
        "nbsnn.nir.run(NAME, inputs) or nbsnn.Simulator(NAME, dt=NAME.dt)).")
    p.add_argument("file", metavar="FILE.nir", help="the file to read")
    p.add_argument("name", metavar="NAME", help="Python name the network is bound to")
    p.add_argument("--dt", metavar="S", type=float, default=None,
                   help="the step the graph was written for (default: its metadata, "
                        "else 1e-4)")
    p.add_argument("--norse", action="store_true",
                   help="read a graph written by Norse 1.1.0 (see docs/nir.md)")
    return p
