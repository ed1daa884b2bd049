"""``%snn export NAME FILE.nir`` and ``%snn import FILE.nir NAME``: the line magic's
NIR verbs. The ``%snn`` dispatcher imports this module lazily."""

import warnings

from ..exceptions import NbsnnError
from ..subcommand import SubcommandParser, usage_error

__all__ = ["HELP", "run_export", "run_import"]

HELP = """\
%snn export NAME FILE.nir [--dt S] [--approximate]
    write the network (or Keras Converter) called NAME to a NIR file
    (--approximate: accept Nengo's LIF/ReLU types as NIR LIF/IF, with a warning)
%snn import FILE.nir NAME [--dt S] [--norse]
    load a NIR graph as a nengo.Network bound to NAME (run it with
    nbsnn.nir.run(NAME, inputs) or nbsnn.Simulator(NAME, dt=NAME.dt));
    --dt: the step the graph was written for (default: its metadata, else 1e-4),
    --norse: read a graph written by Norse 1.1.0 (see docs/nir.md)
"""


def _export_parser():
    parser = SubcommandParser("%snn export", HELP)
    parser.add_argument("name")
    parser.add_argument("file")
    parser.add_argument("--dt", type=float, default=0.001)
    parser.add_argument("--approximate", action="store_true")
    return parser


def _import_parser():
    parser = SubcommandParser("%snn import", HELP)
    parser.add_argument("file")
    parser.add_argument("name")
    parser.add_argument("--dt", type=float, default=None)
    parser.add_argument("--norse", action="store_true")
    return parser


def run_export(shell, argv):
    """Run ``%snn export``: write ``shell.user_ns[NAME]`` to a ``.nir`` file; returns
    the ``nir.NIRGraph``."""
    import nir

    from .export import export

    args = _export_parser().parse_args(argv)
    if args.name not in shell.user_ns:
        raise usage_error("%snn export", f"no variable named {args.name!r}", HELP)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            graph = export(shell.user_ns[args.name], dt=args.dt, approximate=args.approximate)
    except NbsnnError as err:
        raise usage_error("%snn export", str(err), HELP) from None
    for w in caught:
        print(f"warning: {w.message}")
    nir.write(args.file, graph)
    print(f"{args.name} -> {args.file}: {len(graph.nodes)} NIR nodes, {len(graph.edges)} edges")
    return graph


def run_import(shell, argv):
    """Run ``%snn import``: bind the network loaded from a ``.nir`` file to NAME."""
    from .dialects import from_norse
    from .load import load

    args = _import_parser().parse_args(argv)
    if not args.name.isidentifier():
        raise usage_error("%snn import", f"{args.name!r} is not a Python name", HELP)
    try:
        graph = from_norse(args.file, args.dt or 1e-3) if args.norse else args.file
        net = load(graph, dt=args.dt, label=args.name)
    except (NbsnnError, OSError) as err:
        raise usage_error("%snn import", str(err), HELP) from None
    shell.user_ns[args.name] = net
    print(f"{args.file} -> {args.name}: {len(net.layers)} layers, inputs "
          f"{sorted(net.inputs)}, outputs {sorted(net.outputs)}, dt={net.dt}")
    return net
