"""``%snn convert``: convert a Keras model from the notebook namespace.

The nbsnn magics dispatcher (`nbsnn.magics`) imports this module lazily and
calls `run_magic` with the words after ``%snn convert``.
"""

from __future__ import annotations

from ..subcommand import SubcommandParser, usage_error

__all__ = ["HELP", "run_magic"]

HELP = """\
%snn convert MODEL [--swap ACT=NEURON ...] [--scale S] [--synapse TAU]
                   [--max-to-avg-pool] [--name NET]

Convert the Keras model bound to MODEL into a Nengo network (nbsnn.convert.Converter)
and bind the converter to NET (default: MODEL_snn); the network is NET.net.

  --swap ACT=NEURON   replace a Keras activation by a Nengo neuron type, e.g.
                      relu=SpikingRectifiedLinear or relu=LIF (repeatable)
  --scale S           scale_firing_rates: multiply neuron inputs by S, outputs by 1/S
  --synapse TAU       lowpass time constant (s) on connections leaving neurons
  --max-to-avg-pool   convert MaxPooling layers to average pooling
  --name NET          variable to bind the converter to

Example: %snn convert model --swap relu=SpikingRectifiedLinear --scale 100 --synapse 0.005
"""


def _usage_error(message):
    return usage_error("%snn convert", message, HELP)


def _parser():
    parser = SubcommandParser("%snn convert", HELP)
    parser.add_argument("model")
    parser.add_argument("--swap", action="append", default=[])
    parser.add_argument("--scale", type=float)
    parser.add_argument("--synapse", type=float)
    parser.add_argument("--max-to-avg-pool", action="store_true")
    parser.add_argument("--name")
    return parser


def _neuron_type(spec):
    import nengo

    activation, sep, neuron = spec.partition("=")
    neuron_cls = getattr(nengo, neuron, None)
    if not sep or not (
        isinstance(neuron_cls, type) and issubclass(neuron_cls, nengo.neurons.NeuronType)
    ):
        raise _usage_error(
            f"--swap {spec!r}: expected ACT=NEURON with NEURON a nengo neuron type "
            f"(e.g. relu=SpikingRectifiedLinear, relu=LIF)"
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
    from .converter import ConversionError, Converter

    args = _parser().parse_args(list(argv))
    if args.model not in shell.user_ns:
        raise _usage_error(f"no variable named {args.model!r} in the namespace")
    swaps = dict(_neuron_type(spec) for spec in args.swap)
    try:
        converter = Converter(
            shell.user_ns[args.model],
            swap_activations=swaps,
            scale_firing_rates=args.scale,
            synapse=args.synapse,
            max_to_avg_pool=args.max_to_avg_pool,
        )
    except ConversionError as err:
        raise _usage_error(str(err)) from None
    name = args.name or f"{args.model}_snn"
    shell.user_ns[name] = converter
    n_neurons = sum(ens.n_neurons for ens in converter.neuron_layers.values())
    print(f"{name}: {len(converter.layers)} layers, {n_neurons} neurons; network: {name}.net")
