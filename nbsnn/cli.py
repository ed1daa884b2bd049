"""The ``nbsnn`` command line: ``nbsnn demo`` and ``nbsnn bench``."""

import argparse
import sys

__all__ = ["main"]


def main(argv=None):
    """Entry point of the ``nbsnn`` command."""
    parser = argparse.ArgumentParser(prog="nbsnn", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="run the seed networks, write an HTML report")
    demo.add_argument("--duration", type=float, default=5.0, help="simulated seconds")
    demo.add_argument("--output", default="nbsnn-demo.html", help="report file")
    args = parser.parse_args(argv)

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
