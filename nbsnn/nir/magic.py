"""``%snn export NAME FILE.nir`` and ``%snn import FILE.nir NAME``: the line magic's
NIR verbs. The ``%snn`` dispatcher imports this module lazily."""

import warnings

from ..exceptions import NbsnnError
from ..commands.nir import export_parser, import_parser

__all__ = ["run_export", "run_import"]


def run_export(shell, argv):
    """Run ``%snn export``: write ``shell.user_ns[NAME]`` to a ``.nir`` file; returns
    the ``nir.NIRGraph``."""
    import nir

    from .export import export

    parser = export_parser()
    args = parser.parse_args(argv)
    if args.name not in shell.user_ns:
        raise parser.usage_error(f"no variable named {args.name!r}")
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            graph = export(shell.user_ns[args.name], dt=args.dt, approximate=args.approximate)
    except NbsnnError as err:
        raise parser.usage_error(str(err)) from None
    for w in caught:
        print(f"warning: {w.message}")
    nir.write(args.file, graph)
    print(f"{args.name} -> {args.file}: {len(graph.nodes)} NIR nodes, {len(graph.edges)} edges")
    return graph


def run_import(shell, argv):
    """Run ``%snn import``: bind the network loaded from a ``.nir`` file to NAME."""
    from .dialects import from_norse
    from .load import load

    parser = import_parser()
    args = parser.parse_args(argv)
    if not args.name.isidentifier():
        raise parser.usage_error(f"{args.name!r} is not a Python name")
    try:
        graph = from_norse(args.file, args.dt or 1e-3) if args.norse else args.file
        net = load(graph, dt=args.dt, label=args.name)
    except (NbsnnError, OSError) as err:
        raise parser.usage_error(str(err)) from None
    shell.user_ns[args.name] = net
    print(f"{args.file} -> {args.name}: {len(net.layers)} layers, inputs "
          f"{sorted(net.inputs)}, outputs {sorted(net.outputs)}, dt={net.dt}")
    return net
