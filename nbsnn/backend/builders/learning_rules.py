"""Builders for Nengo's learning-rule operators (PES, BCM, Oja, Voja, RLS) and those
of `nbsnn.learning` (STDP family, reward-modulated STDP)."""

from nengo.builder.learning_rules import SimBCM, SimOja, SimPES, SimRLS, SimVoja

from ...kernels import opcodes
from ...learning.operators import SimRewardSTDP, SimSTDP
from ..builder import Entry, NumbaBuilder


def _emit(op, ctx, opcode, sizes, operands, consts, writes):
    prog = ctx.program
    positions = {name: ctx.positions(sig) for name, sig in operands}
    args = list(sizes) + [prog.array(positions[name]) for name, _ in operands]
    args.extend(consts)
    prog.emit(opcode, args, op=op, writes=[positions[name] for name in writes])
    return Entry(op, "compiled")


@NumbaBuilder.register(SimPES)
def build_pes(op, ctx):
    """PES: ``delta = -rate dt / n * outer(error, pre)`` (kernel `learning.pes`)."""
    m, n = op.delta.shape
    alpha = -op.learning_rate * ctx.dt / op.pre_filtered.shape[0]
    operands = [("error", op.error), ("pre", op.pre_filtered), ("delta", op.delta)]
    return _emit(op, ctx, opcodes.PES, (m, n), operands, [ctx.program.const(alpha)],
                 ["delta"])


@NumbaBuilder.register(SimBCM)
def build_bcm(op, ctx):
    """BCM: ``delta = rate dt * outer(post (post - theta), pre)`` (kernel `learning.bcm`)."""
    m, n = op.delta.shape
    operands = [("post", op.post_filtered), ("theta", op.theta),
                ("pre", op.pre_filtered), ("delta", op.delta)]
    alpha = ctx.program.const(op.learning_rate * ctx.dt)
    return _emit(op, ctx, opcodes.BCM, (m, n), operands, [alpha], ["delta"])


@NumbaBuilder.register(SimOja)
def build_oja(op, ctx):
    """Oja's rule with forgetting ``beta`` (kernel `learning.oja`)."""
    m, n = op.delta.shape
    operands = [("post", op.post_filtered), ("pre", op.pre_filtered),
                ("weights", op.weights), ("delta", op.delta)]
    params = ctx.program.const(op.learning_rate * ctx.dt, op.beta)
    return _emit(op, ctx, opcodes.OJA, (m, n), operands, [params], ["delta"])


@NumbaBuilder.register(SimVoja)
def build_voja(op, ctx):
    """Voja: encoders move towards the decoded input (kernel `learning.voja`)."""
    m, n = op.delta.shape
    operands = [("post", op.post_filtered), ("pre", op.pre_decoded),
                ("encoders", op.scaled_encoders), ("delta", op.delta),
                ("signal", op.learning_signal)]
    prog = ctx.program
    consts = [prog.const(op.learning_rate * ctx.dt), prog.const(op.scale)]
    return _emit(op, ctx, opcodes.VOJA, (m, n), operands, consts, ["delta"])


@NumbaBuilder.register(SimRLS)
def build_rls(op, ctx):
    """RLS: updates the inverse correlation ``P`` and ``delta`` (kernel `learning.rls`)."""
    n, m = op.pre_filtered.size, op.error.size
    operands = [("r", op.pre_filtered), ("P", op.inv_gamma), ("error", op.error),
                ("delta", op.delta)]
    return _emit(op, ctx, opcodes.RLS, (n, m), operands, [], ["P", "delta"])


def _stdp_signals(op, ctx):
    """``[m, n, pre, post, w, rs, cs, x_pre, x_post]`` of a spike-timing operator."""
    m, n = op.weights.shape
    w, rs, cs = ctx.strided(op.weights)
    starts = [ctx.start(sig) for sig in (op.pre, op.post, op.pre_trace, op.post_trace)]
    return [m, n, starts[0], starts[1], w, rs, cs, starts[2], starts[3]]


def _stdp_consts(prog, p, *extra):
    return prog.const(p["lr"], p["a_plus"], p["a_minus"], p["decay_pre"],
                      p["decay_post"], p["wmin"], p["wmax"], *extra)


@NumbaBuilder.register(SimSTDP)
def build_stdp(op, ctx):
    """`nbsnn.learning` STDP and its weight-dependent form (kernel `stdp.stdp`)."""
    prog, p = ctx.program, op.params
    normalize = p["normalize"] is not None
    consts = _stdp_consts(prog, p, p["sign"], p["normalize"] if normalize else 0.0,
                          p["every"])
    args = _stdp_signals(op, ctx) + [ctx.start(op.count), consts,
                                     int(op.weight_dependent), int(op.additive),
                                     int(normalize)]
    prog.emit(opcodes.STDP, args, op=op, writes=[ctx.positions(s) for s in op.updates])
    return Entry(op, "compiled")


@NumbaBuilder.register(SimRewardSTDP)
def build_reward_stdp(op, ctx):
    """Reward-modulated STDP with an eligibility trace (kernel `stdp.reward_stdp`)."""
    prog, p = ctx.program, dict(op.params, lr=op.params["rate"])
    args = _stdp_signals(op, ctx) + [ctx.start(op.eligibility), ctx.start(op.reward),
                                     _stdp_consts(prog, p, p["decay_e"]), int(op.additive)]
    prog.emit(opcodes.REWARD_STDP, args, op=op,
              writes=[ctx.positions(s) for s in op.updates])
    return Entry(op, "compiled")
