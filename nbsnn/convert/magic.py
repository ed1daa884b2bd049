"""``%snn convert``: convert a Keras model from the notebook namespace.

The nbsnn magics dispatcher (`nbsnn.magics`) imports this module lazily and
calls `run_magic` with the words after ``%snn convert``.
"""

from __future__ import annotations

from ..subcommand import SubcommandParser, usage_error

__all__ = ["HELP", "run_magic"]

HELP = """\
%snn convert MODEL [--swap ACT=NEURON ...] [--scale S] [--synapse TAU]
                   [--levels L --calibrate X] [--dt DT] [--max-to-avg-pool] [--name NET]

Convert the Keras model bound to MODEL into a Nengo network (nbsnn.convert.Converter)
and bind the converter to NET (default: MODEL_snn); the network is NET.net.

  --swap ACT=NEURON   replace a Keras activation by a neuron type of nengo or
                      nbsnn.neurons, e.g. relu=SpikingRectifiedLinear, relu=LIF or
                      qcfs=IntegrateAndFire (QCFS layers; repeatable)
  --scale S           scale_firing_rates: multiply neuron inputs by S, outputs by 1/S
  --synapse TAU       lowpass time constant (s) on connections leaving neurons
  --levels L          replace every ReLU by QCFS(L) first (nbsnn.convert.to_qcfs, no
                      retraining), thresholds from the activity on --calibrate; the
                      QCFS layers spike as IntegrateAndFire unless --swap says otherwise
  --calibrate X       training inputs bound to X for the --levels thresholds
  --dt DT             time step the network will run with (QCFS layers; default 0.001)
  --max-to-avg-pool   convert MaxPooling layers to average pooling
  --name NET          variable to bind the converter to

Examples: %snn convert model --swap relu=SpikingRectifiedLinear --scale 100 --synapse 0.005
          %snn convert model --levels 4 --calibrate x_train     (then 4 steps, mean read-out)
"""


def _usage_error(message):
    return usage_error("%snn convert", message, HELP)


def _parser():
    parser = SubcommandParser("%snn convert", HELP)
    parser.add_argument("model")
    parser.add_argument("--swap", action="append", default=[])
    parser.add_argument("--scale", type=float)
    parser.add_argument("--synapse", type=float)
    parser.add_argument("--levels", type=int)
    parser.add_argument("--calibrate")
    parser.add_argument("--dt", type=float, default=0.001)
    parser.add_argument("--max-to-avg-pool", action="store_true")
    parser.add_argument("--name")
    return parser


def _neuron_type(spec):
    import nengo

    from .. import neurons

    activation, sep, neuron = spec.partition("=")
    neuron_cls = getattr(nengo, neuron, None) or getattr(neurons, neuron, None)
    if not sep or not (
        isinstance(neuron_cls, type) and issubclass(neuron_cls, nengo.neurons.NeuronType)
    ):
        raise _usage_error(
            f"--swap {spec!r}: expected ACT=NEURON with NEURON a neuron type of nengo or "
            f"nbsnn.neurons (e.g. relu=SpikingRectifiedLinear, qcfs=IntegrateAndFire)"
        )
    return activation, neuron_cls()


def run_magic(shell, argv):
    """Run ``%snn convert``: bind a `Converter` for the model in ``shell``'s namespace.

    Parameters
    ----------
    shell : IPython.core.interactiveshell.InteractiveShell
        The shell whose namespace holds the model and receives the converter.
    argv : list of str
        Arguments after ``%snn convert`` (see `HELP`).
    """
    from ..exceptions import ConversionError
    from ..neurons import IntegrateAndFire
    from .converter import Converter

    args = _parser().parse_args(list(argv))
    for name in (args.model, args.calibrate):
        if name is not None and name not in shell.user_ns:
            raise _usage_error(f"no variable named {name!r} in the namespace")
    if (args.levels is None) != (args.calibrate is None):
        raise _usage_error("--levels and --calibrate go together")
    swaps = dict(_neuron_type(spec) for spec in args.swap)
    model = shell.user_ns[args.model]
    if args.levels is not None:
        from .qcfs import to_qcfs

        if args.levels < 1:
            raise _usage_error(f"--levels must be >= 1, got {args.levels}")
        model = to_qcfs(model, args.levels, x=shell.user_ns[args.calibrate],
                        per_channel=True)
        swaps.setdefault("qcfs", IntegrateAndFire())
    try:
        converter = Converter(
            model,
            swap_activations=swaps,
            scale_firing_rates=args.scale,
            synapse=args.synapse,
            max_to_avg_pool=args.max_to_avg_pool,
            dt=args.dt,
        )
    except ConversionError as err:
        raise _usage_error(str(err)) from None
    name = args.name or f"{args.model}_snn"
    shell.user_ns[name] = converter
    n_neurons = sum(ens.n_neurons for ens in converter.neuron_layers.values())
    print(f"{name}: {len(converter.layers)} layers, {n_neurons} neurons; network: {name}.net")
