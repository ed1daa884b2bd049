"""Builder for `~nengo.builder.transforms.GeneralConvInc` (Convolution and
ConvolutionTranspose, 1-D and 2-D, any padding, strides and groups).

A convolution is linear in its input, so it is compiled into a list of
``(output, weight, input)`` index triples, one per kernel tap that touches real
(unpadded) input, and run by the multiply-accumulate kernel. The windows come from
Nengo's own ``extract_sliding_windows``, so padding matches Nengo exactly. A
transposed convolution is the adjoint of the forward convolution of the same
geometry: the same triples with input and output swapped.
"""

import numpy as np
from nengo.builder.transforms import GeneralConvInc, extract_sliding_windows

from ...kernels import opcodes
from ..builder import Entry, NotCompilable, NumbaBuilder


def _spatial(positions, shape, channels_last, one_d):
    """Positions arranged as (H, W, C)."""
    positions = positions.reshape(shape)
    if not channels_last:
        positions = np.moveaxis(positions, 0, -1)
    return positions[None] if one_d else positions


def conv_triples(x, w, y, pad, stride, groups):
    """Index triples of ``y += conv2d(x, w)`` for channels-last (H, W, C) positions.

    ``w`` holds kernel positions of shape (kh, kw, C // groups, F).
    """
    kh, kw, cg, F = w.shape
    windows = extract_sliding_windows(
        (x + 1).astype(np.float64)[None], (kh, kw), pad, stride
    )[0].astype(np.int64) - 1  # (H2, W2, kh, kw, C); -1 marks padding
    H2, W2 = windows.shape[:2]
    kg = F // groups
    xs = windows.reshape(H2, W2, kh, kw, groups, cg, 1)
    ws = np.moveaxis(w.reshape(kh, kw, cg, groups, kg), 3, 2)[None, None]
    ys = y.reshape(H2, W2, 1, 1, groups, 1, kg)
    xs, ws, ys = np.broadcast_arrays(xs, ws, ys)
    valid = xs >= 0
    return ys[valid], ws[valid], xs[valid]


@NumbaBuilder.register(GeneralConvInc)
def build_conv(op, ctx):
    """A 1-D or 2-D convolution: ``out += w * in`` over all taps (a MULTIPLY_INC record)."""
    conv = op.conv
    if conv.dimensions > 2:
        raise NotCompilable("convolution of more than 2 dimensions")
    one_d = conv.dimensions == 1
    x = _spatial(ctx.positions(op.X), conv.input_shape.shape, conv.channels_last, one_d)
    y = _spatial(ctx.positions(op.Y), conv.output_shape.shape, conv.channels_last, one_d)
    w = ctx.positions(op.W)
    w = w[None] if one_d else w
    stride = ((1,) if one_d else ()) + tuple(conv.strides)
    pad = conv.padding.upper()
    try:
        if op.is_transpose:
            # the forward convolution maps Y's geometry to X's with kernel (kh, kw, C_Y, C_X)
            x_taps, ws, out = conv_triples(y, np.swapaxes(w, 2, 3), x, pad, stride, 1)
            inp = x_taps
        else:
            out, ws, inp = conv_triples(x, w, y, pad, stride, conv.groups)
    except ValueError as e:
        raise NotCompilable(f"convolution geometry: {e}") from e
    prog = ctx.program
    args = [*prog.operand(out), *prog.operand(ws), *prog.operand(inp), out.size]
    prog.emit(opcodes.MULTIPLY_INC, args, op=op, writes=[np.unique(out)])
    return Entry(op, "compiled")
