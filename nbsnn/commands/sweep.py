"""Arguments of ``%snn sweep`` (run by `nbsnn.sweep.magic`)."""

from ..config import SWEEP_MAX_POINTS
from ..subcommand import SubcommandParser

__all__ = ["parser"]

DESCRIPTION = """\
Evaluate TARGET over a grid (or --samples random points) of parameters on Dask
(nbsnn.sweep.sweep) and bind the results DataFrame to VAR.

TARGET is a Keras model or an evaluate function from the namespace:
  - a Keras model: --data X [Y] names the inputs and labels; each point converts
    and runs the model (nbsnn.sweep.converted.evaluate_converted);
  - a function: called as TARGET(**point, NAME=value for each --data NAME)."""

EPILOG = """\
Example: %snn sweep model --data x_test y_test --synapse 0 0.005 0.01 --scale 10 100"""


def limit(text):
    """``--max-points``: an integer, or "none" (None: no limit)."""
    return None if text.lower() == "none" else int(text)


def parser():
    """The parser of ``%snn sweep``."""
    p = SubcommandParser("%snn sweep", DESCRIPTION, EPILOG)
    p.add_argument("target", metavar="TARGET", help="a Keras model or a function")
    p.add_argument("--data", metavar="NAME", nargs="+", default=[],
                   help="variables passed to each evaluation")
    p.add_argument("--param", metavar="NAME=V1,V2", action="append", default=[],
                   help="values of a parameter (Python literals; repeatable)")
    for flag, what in (("--synapse", "synapse time constants (0: none)"),
                       ("--scale", "scale_firing_rates values"),
                       ("--n-steps", "presentation steps")):
        p.add_argument(flag, metavar="V", nargs="+", help=f"{what} [Keras models]")
    p.add_argument("--neuron", metavar="V", nargs="+",
                   help="neuron types, e.g. SpikingRectifiedLinear LIF rate [Keras models]")
    p.add_argument("--samples", metavar="N", type=int,
                   help="sample N random points instead of the full grid")
    p.add_argument("--seed", metavar="S", type=int, default=0,
                   help="seed of the random sample")
    p.add_argument("--workers", metavar="N", type=int,
                   help="workers of the embedded local cluster (default: one per core)")
    p.add_argument("--address", metavar="ADDR",
                   help="use an existing Dask scheduler instead, e.g. tcp://host:8786")
    p.add_argument("--results", metavar="PATH",
                   help="Parquet folder; rerunning with it resumes the sweep")
    p.add_argument("--max-points", metavar="N", type=limit, default=SWEEP_MAX_POINTS,
                   help="refuse more than N points to evaluate; none: no limit")
    p.add_argument("--metric", metavar="COL",
                   help="metric drawn in the plots (default: accuracy, else metric)")
    p.add_argument("--out", metavar="VAR", default="sweep_results",
                   help="variable to bind the DataFrame to")
    p.add_argument("--no-plot", action="store_true",
                   help="do not draw the heat maps and Pareto plots")
    return p
