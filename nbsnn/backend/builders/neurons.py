"""Builder for `~nengo.builder.neurons.SimNeurons`: one kernel per neuron type.

``NEURON_KERNELS`` maps each Nengo neuron type to its op code, the parameters
the kernel takes and the state variables it updates, in kernel order. Types are
matched exactly, since a subclass may override ``step``.
"""

import nengo
from nengo.builder.neurons import SimNeurons

from ...kernels import opcodes
from ...neurons import IntegrateAndFire, QCFSRate
from ...nir.neurons import NIRNeuron
from ...learning.neurons import AdaptiveThresholdLIF
from ..builder import Entry, NotCompilable, NumbaBuilder

NEURON_KERNELS = {
    nengo.RectifiedLinear: (opcodes.RECTIFIED_LINEAR, ("amplitude",), ()),
    nengo.SpikingRectifiedLinear: (
        opcodes.SPIKING_RECTIFIED_LINEAR, ("amplitude",), ("voltage",)
    ),
    nengo.Sigmoid: (opcodes.SIGMOID, ("tau_ref",), ()),
    nengo.Tanh: (opcodes.TANH, ("tau_ref",), ()),
    nengo.LIFRate: (opcodes.LIF_RATE, ("tau_rc", "tau_ref", "amplitude"), ()),
    nengo.LIF: (
        opcodes.LIF,
        ("tau_rc", "tau_ref", "amplitude", "min_voltage"),
        ("voltage", "refractory_time"),
    ),
    nengo.AdaptiveLIFRate: (
        opcodes.ADAPTIVE_LIF_RATE,
        ("tau_rc", "tau_ref", "amplitude", "tau_n", "inc_n"),
        ("adaptation",),
    ),
    nengo.AdaptiveLIF: (
        opcodes.ADAPTIVE_LIF,
        ("tau_rc", "tau_ref", "amplitude", "min_voltage", "tau_n", "inc_n"),
        ("voltage", "refractory_time", "adaptation"),
    ),
    nengo.Izhikevich: (
        opcodes.IZHIKEVICH,
        ("tau_recovery", "coupling", "reset_voltage", "reset_recovery"),
        ("voltage", "recovery"),
    ),
    nengo.RegularSpiking: (opcodes.REGULAR_SPIKING, ("amplitude",), ("voltage",)),
    IntegrateAndFire: (opcodes.INTEGRATE_AND_FIRE, ("amplitude",), ("voltage",)),
    QCFSRate: (opcodes.QCFS_RATE, ("amplitude", "levels", "shift"), ()),
    AdaptiveThresholdLIF: (
        opcodes.ADAPTIVE_THRESHOLD_LIF,
        ("tau_rc", "tau_ref", "amplitude", "min_voltage", "tau_theta", "inc_theta"),
        ("voltage", "refractory_time", "theta"),
    ),
}


STOCHASTIC_KERNELS = {
    nengo.StochasticSpiking: opcodes.STOCHASTIC_SPIKING,
    nengo.PoissonSpiking: opcodes.POISSON_SPIKING,
}


def _build_stochastic(op, ctx):
    """Stochastic rate-to-spike types draw from their own RandomState (in
    ``state_extra``), which the runner loads into a compiled stream."""
    if set(op.state) or set(op.state_extra) != {"rng"}:
        raise NotCompilable("unexpected neuron state")
    n, J, out = op.J.size, ctx.start(op.J), ctx.start(op.output)
    prog = ctx.program
    stream = prog.rng_stream(op.state_extra["rng"])
    args = [n, J, out, prog.const(op.neurons.amplitude), stream, int(op.neurons.negative)]
    prog.emit(STOCHASTIC_KERNELS[type(op.neurons)], args, op=op,
              writes=[ctx.positions(op.output)])
    return Entry(op, "compiled")


def _build_nir(op, ctx):
    """NIR neuron types (`nbsnn.nir.neurons`): per-neuron parameter arrays and the
    dynamics chosen by the type's class attributes."""
    neuron_type, n = op.neurons, op.J.size
    states = [op.state[name] for name in neuron_type.state]
    if set(op.state) != set(neuron_type.state) or op.state_extra:
        raise NotCompilable("unexpected neuron state")
    if any(sig.size != n for sig in [op.output, *states]):
        raise NotCompilable("neuron signals differ in size")
    params = neuron_type.params(n)
    prog = ctx.program
    f = prog.const(neuron_type.amplitude, *params.values())
    out = ctx.start(op.output)
    voltage = ctx.start(op.state["voltage"]) if "voltage" in op.state else out
    current = ctx.start(op.state["current"]) if "current" in op.state else out
    args = [n, ctx.start(op.J), out, f, voltage, current, neuron_type.integration,
            int(neuron_type.synaptic), int(neuron_type.spiking)]
    prog.emit(opcodes.NIR_NEURON, args, op=op,
              writes=[ctx.positions(sig) for sig in [op.output, *states]])
    return Entry(op, "compiled")


@NumbaBuilder.register(SimNeurons)
def build_sim_neurons(op, ctx):
    """A neuron population: its type's kernel (`NEURON_KERNELS`), NIR or stochastic."""
    neuron_type = op.neurons
    if isinstance(neuron_type, NIRNeuron):
        return _build_nir(op, ctx)
    if type(neuron_type) in STOCHASTIC_KERNELS:
        return _build_stochastic(op, ctx)
    if type(neuron_type) not in NEURON_KERNELS:
        raise NotCompilable(f"no kernel for {type(neuron_type).__name__}")
    opcode, params, state = NEURON_KERNELS[type(neuron_type)]
    if set(op.state) != set(state) or op.state_extra:
        raise NotCompilable("unexpected neuron state")
    signals = [op.J, op.output] + [op.state[name] for name in state]
    if any(sig.size != op.J.size for sig in signals):
        raise NotCompilable("neuron signals differ in size")
    J, out, *state_starts = (ctx.start(sig) for sig in signals)
    prog = ctx.program
    args = [op.J.size, J, out]
    args.append(prog.const(*[float(getattr(neuron_type, name)) for name in params]))
    args.extend(state_starts)
    prog.emit(opcode, args, op=op, writes=[ctx.positions(sig) for sig in signals[1:]])
    return Entry(op, "compiled")
