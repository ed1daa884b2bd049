"""``%snn convert``: convert a Keras model from the notebook namespace.

The nbsnn magics dispatcher (`nbsnn.magics`) imports this module lazily and
calls `run_magic` with the words after ``%snn convert``.
"""

from __future__ import annotations

from ..commands.convert import parser as _parser

__all__ = ["run_magic"]


def _usage_error(message):
    return _parser().usage_error(message)


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
        Arguments after ``%snn convert`` (see ``%snn help convert``).
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
