"""Arguments of ``%snn convert`` (run by `nbsnn.convert.magic`)."""

from ..subcommand import SubcommandParser

__all__ = ["parser"]

DESCRIPTION = """\
Convert the Keras model bound to MODEL into a Nengo network (nbsnn.convert.Converter)
and bind the converter to NET (default: MODEL_snn); the network is NET.net."""

EPILOG = """\
Examples: %snn convert model --swap relu=SpikingRectifiedLinear --scale 100 --synapse 0.005
          %snn convert model --levels 4 --calibrate x_train     (then 4 steps, mean read-out)"""


def parser():
    """The parser of ``%snn convert``."""
    p = SubcommandParser("%snn convert", DESCRIPTION, EPILOG)
    p.add_argument("model", metavar="MODEL", help="the Keras model")
    p.add_argument("--swap", metavar="ACT=NEURON", action="append", default=[],
                   help="replace a Keras activation by a neuron type of nengo or "
                        "nbsnn.neurons, e.g. relu=SpikingRectifiedLinear, relu=LIF or "
                        "qcfs=IntegrateAndFire (QCFS layers; repeatable)")
    p.add_argument("--scale", metavar="S", type=float,
                   help="scale_firing_rates: multiply neuron inputs by S, outputs by 1/S")
    p.add_argument("--synapse", metavar="TAU", type=float,
                   help="lowpass time constant (s) on connections leaving neurons")
    p.add_argument("--levels", metavar="L", type=int,
                   help="replace every ReLU by QCFS(L) first (nbsnn.convert.to_qcfs, no "
                        "retraining), thresholds from the activity on --calibrate; the QCFS "
                        "layers spike as IntegrateAndFire unless --swap says otherwise")
    p.add_argument("--calibrate", metavar="X",
                   help="training inputs bound to X for the --levels thresholds")
    p.add_argument("--dt", metavar="DT", type=float, default=0.001,
                   help="time step the network will run with, for QCFS layers")
    p.add_argument("--max-to-avg-pool", action="store_true",
                   help="convert MaxPooling layers to average pooling")
    p.add_argument("--name", metavar="NET", help="variable to bind the converter to")
    return p
