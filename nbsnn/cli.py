"""The ``nbsnn`` command line.

Subcommands: ``nbsnn demo`` runs the seed networks on nbsnn and Nengo and
writes an HTML report. ``nbsnn --version`` prints the version.
"""

import argparse
import sys

from ._version import __version__

__all__ = ["main", "parser"]


def parser() -> argparse.ArgumentParser:
    """The argument parser of the ``nbsnn`` command (its help is ``nbsnn --help``)."""
    cli = argparse.ArgumentParser(
        prog="nbsnn",
        description="nbsnn: spiking neural networks in Jupyter on a fast numba backend "
        "for Nengo. In a notebook: %load_ext nbsnn.magics, then %%snn cells.")
    cli.add_argument("--version", action="version", version=f"nbsnn {__version__}")
    sub = cli.add_subparsers(dest="command", required=True, metavar="COMMAND")
    demo = sub.add_parser("demo", help="run the seed networks on nbsnn and Nengo, "
                          "write an HTML report")
    demo.add_argument("--duration", type=float, default=5.0, help="simulated seconds")
    demo.add_argument("--output", default="nbsnn-demo.html", help="report file")
    return cli


def main(argv=None):
    """Entry point of the ``nbsnn`` command."""
    args = parser().parse_args(argv)
    if args.command == "demo":
        from .demo import run_demo

        rows = run_demo(duration=args.duration, output=args.output)
        for name, rmse, fast, slow, same in rows:
            print(
                f"{name:>12}: RMSE {rmse:.3f}  nbsnn {fast:>9,.0f} steps/s  "
                f"nengo {slow:>7,.0f} steps/s  ({fast / slow:.1f}x, "
                f"{'identical to' if same else 'DIFFERENT from'} nengo.Simulator)"
            )
        print(f"report: {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
