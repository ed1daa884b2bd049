"""Builders for Nengo's learning-rule operators (PES, BCM, Oja, Voja, RLS)."""

from nengo.builder.learning_rules import SimBCM, SimOja, SimPES, SimRLS, SimVoja

from ...kernels import opcodes
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
    m, n = op.delta.shape
    alpha = -op.learning_rate * ctx.dt / op.pre_filtered.shape[0]
    operands = [("error", op.error), ("pre", op.pre_filtered), ("delta", op.delta)]
    return _emit(op, ctx, opcodes.PES, (m, n), operands, [ctx.program.const(alpha)],
                 ["delta"])


@NumbaBuilder.register(SimBCM)
def build_bcm(op, ctx):
    m, n = op.delta.shape
    operands = [("post", op.post_filtered), ("theta", op.theta),
                ("pre", op.pre_filtered), ("delta", op.delta)]
    alpha = ctx.program.const(op.learning_rate * ctx.dt)
    return _emit(op, ctx, opcodes.BCM, (m, n), operands, [alpha], ["delta"])


@NumbaBuilder.register(SimOja)
def build_oja(op, ctx):
    m, n = op.delta.shape
    operands = [("post", op.post_filtered), ("pre", op.pre_filtered),
                ("weights", op.weights), ("delta", op.delta)]
    params = ctx.program.const(op.learning_rate * ctx.dt, op.beta)
    return _emit(op, ctx, opcodes.OJA, (m, n), operands, [params], ["delta"])


@NumbaBuilder.register(SimVoja)
def build_voja(op, ctx):
    m, n = op.delta.shape
    operands = [("post", op.post_filtered), ("pre", op.pre_decoded),
                ("encoders", op.scaled_encoders), ("delta", op.delta),
                ("signal", op.learning_signal)]
    prog = ctx.program
    consts = [prog.const(op.learning_rate * ctx.dt), prog.const(op.scale)]
    return _emit(op, ctx, opcodes.VOJA, (m, n), operands, consts, ["delta"])


@NumbaBuilder.register(SimRLS)
def build_rls(op, ctx):
    n, m = op.pre_filtered.size, op.error.size
    operands = [("r", op.pre_filtered), ("P", op.inv_gamma), ("error", op.error),
                ("delta", op.delta)]
    return _emit(op, ctx, opcodes.RLS, (n, m), operands, [], ["P", "delta"])
