"""NIR's stateless primitives as Nengo transforms, and its neuron primitives as
`nbsnn.nir.neurons` types.

Every function takes the NIR node, its name (for errors) and the shape of its
input, and returns what `nbsnn.nir.load` wires up. Arrays are flattened in C order,
so a ``(C, H, W)`` tensor is channels-first, as NIR stores it.
"""

import nengo
import numpy as np

from ..exceptions import NIRError
from . import neurons

__all__ = ["transform", "neuron_type", "conv_matrix", "NEURONS", "TRANSFORMS"]


def _pair(value, name, field):
    value = np.atleast_1d(np.asarray(value)).ravel()
    if value.size == 1:
        value = np.repeat(value, 2)
    if value.size != 2:
        raise NIRError(f"node {name!r}: {field} must have one or two values, got {value}")
    return tuple(int(v) for v in value)


def _padded(n, k, stride, dilation, padding, name):
    """``(leading padding, output size)`` along one axis; 'same' pads as PyTorch
    (the odd extra at the end) and needs stride 1."""
    span = dilation * (k - 1)
    if padding == "same":
        if stride != 1:
            raise NIRError(f"node {name!r}: padding='same' needs stride 1")
        return span // 2, n
    pad = 0 if padding == "valid" else int(padding)
    return pad, (n + 2 * pad - span - 1) // stride + 1


def conv_matrix(weight, in_shape, stride, padding, dilation, groups, name):
    """The (n_out, n_in) sparse matrix of a grouped, strided, dilated, zero-padded 2-D
    cross-correlation (PyTorch's convolution) on a ``(C, H, W)`` input."""
    import scipy.sparse

    c_out, c_in_g, kh, kw = weight.shape
    c_in, h, w = in_shape
    if c_in != c_in_g * groups or c_out % groups:
        raise NIRError(f"node {name!r}: weight {weight.shape} with groups={groups} does "
                       f"not fit an input of {c_in} channels")
    pads = (padding, padding) if isinstance(padding, str) else padding
    (pad_y, ho), (pad_x, wo) = (_padded(n, k, st, d, p, name) for n, k, st, d, p in
                                zip((h, w), (kh, kw), stride, dilation, pads))
    if ho <= 0 or wo <= 0:
        raise NIRError(f"node {name!r}: kernel {kh}x{kw} does not fit input {h}x{w}")
    co, oy, ox, ci, ky, kx = np.meshgrid(np.arange(c_out), np.arange(ho), np.arange(wo),
                                         np.arange(c_in_g), np.arange(kh), np.arange(kw),
                                         indexing="ij")
    group = co // (c_out // groups)
    iy = oy * stride[0] - pad_y + ky * dilation[0]
    ix = ox * stride[1] - pad_x + kx * dilation[1]
    ok = (iy >= 0) & (iy < h) & (ix >= 0) & (ix < w)
    rows = ((co * ho + oy) * wo + ox)[ok]
    channel = (group * c_in_g + ci)[ok]
    cols = (channel * h + iy[ok]) * w + ix[ok]
    values = weight[co[ok], ci[ok], ky[ok], kx[ok]]
    matrix = scipy.sparse.csr_matrix((values, (rows, cols)),
                                     shape=(c_out * ho * wo, c_in * h * w))
    return matrix, (c_out, ho, wo)


def _sparse(matrix):
    coo = matrix.tocoo()
    return nengo.Sparse(coo.shape, indices=np.stack([coo.row, coo.col], axis=1),
                        init=coo.data)


def _shape3(in_shape, name, kind):
    if len(in_shape) == 2:  # 1-D: (C, N) as (C, 1, N)
        return (in_shape[0], 1, in_shape[1])
    if len(in_shape) != 3:
        raise NIRError(f"node {name!r} ({kind}) needs a (channels, height, width) input, "
                       f"got shape {in_shape}")
    return in_shape


def _conv(node, name, in_shape):
    weight = np.asarray(node.weight, dtype=float)
    one_d = weight.ndim == 3
    if one_d:
        weight = weight[:, :, None, :]
        in3 = _shape3(in_shape, name, "Conv1d")
        stride = (1, int(np.ravel(node.stride)[0]))
        dilation = (1, int(np.ravel(node.dilation)[0]))
        padding = node.padding if isinstance(node.padding, str) else (
            0, int(np.ravel(node.padding)[0]))
    else:
        in3 = _shape3(in_shape, name, "Conv2d")
        stride = _pair(node.stride, name, "stride")
        dilation = _pair(node.dilation, name, "dilation")
        padding = node.padding if isinstance(node.padding, str) else _pair(
            node.padding, name, "padding")
    pads = (padding, padding) if isinstance(padding, str) else padding
    (_, ho), (_, wo) = (_padded(n, k, st, d, p, name) for n, k, st, d, p in
                        zip(in3[1:], weight.shape[2:], stride, dilation, pads))
    out3 = (weight.shape[0], ho, wo)
    transform = _as_convolution(weight, in3, stride, padding, dilation, node.groups, out3)
    if transform is None:
        matrix, out3 = conv_matrix(weight, in3, stride, padding, dilation, int(node.groups),
                                   name)
        transform = _sparse(matrix)
    bias = np.repeat(np.asarray(node.bias, dtype=float).ravel(), out3[1] * out3[2])
    out_shape = (out3[0], out3[2]) if one_d else out3
    return out_shape, transform, bias


def _as_convolution(weight, in3, stride, padding, dilation, groups, out3):
    """A `nengo.Convolution` where Nengo has one (no groups or dilation, and 'valid'
    or zero padding), else None (the caller uses the equivalent sparse matrix)."""
    if groups != 1 or dilation != (1, 1):
        return None
    if padding == "valid" or padding == (0, 0):
        pad = "valid"
    else:
        return None
    c_out, c_in, kh, kw = weight.shape
    conv = nengo.Convolution(c_out, in3, kernel_size=(kh, kw), strides=stride,
                             padding=pad, channels_last=False,
                             init=weight.transpose(2, 3, 1, 0))
    return conv if tuple(conv.output_shape.shape) == out3 else None


def _pool(node, name, in_shape, average):
    kind = "AvgPool2d" if average else "SumPool2d"
    c, h, w = _shape3(in_shape, name, kind)
    kh, kw = _pair(node.kernel_size, name, "kernel_size")
    weight = np.zeros((c, 1, kh, kw))
    weight[:] = 1.0 / (kh * kw) if average else 1.0
    matrix, out3 = conv_matrix(weight, (c, h, w), _pair(node.stride, name, "stride"),
                                _pair(node.padding, name, "padding"), (1, 1), c, name)
    return out3, _sparse(matrix), None


def _affine(node, name, in_shape, bias=True):
    weight = np.asarray(node.weight, dtype=float)
    if weight.ndim != 2:
        raise NIRError(f"node {name!r}: only 2-D weights are supported, got {weight.shape}")
    if int(np.prod(in_shape)) != weight.shape[1]:
        raise NIRError(f"shape mismatch at node {name!r} ({type(node).__name__}): weight "
                       f"{weight.shape} takes {weight.shape[1]} inputs, but it receives "
                       f"shape {tuple(in_shape)}")
    b = np.asarray(node.bias, dtype=float).ravel() if bias else None
    return (weight.shape[0],), nengo.Dense(weight.shape, init=weight), b


def _scale(node, name, in_shape):
    scale = np.asarray(node.scale, dtype=float)
    try:
        scale = np.broadcast_to(scale, in_shape)
    except ValueError:
        raise NIRError(f"shape mismatch at node {name!r} (Scale): scale {scale.shape} "
                       f"for input shape {tuple(in_shape)}") from None
    return tuple(in_shape), scale.ravel().copy(), None


def _flatten(node, name, in_shape):
    start, end = int(node.start_dim), int(node.end_dim)
    # NIR's shapes carry no batch dimension, but its Flatten counts one (start_dim=1)
    dims = list(in_shape)
    lo = max(start - 1, 0)
    hi = len(dims) if end == -1 else end
    out = tuple(dims[:lo]) + (int(np.prod(dims[lo:hi])),) + tuple(dims[hi:])
    return out, 1.0, None


#: Stateless node type name -> function(node, name, in_shape) ->
#: (out_shape, transform, bias or None).
TRANSFORMS = {
    "Affine": _affine,
    "Linear": lambda node, name, shape: _affine(node, name, shape, bias=False),
    "Scale": _scale,
    "Flatten": _flatten,
    "Conv1d": _conv,
    "Conv2d": _conv,
    "SumPool2d": lambda node, name, shape: _pool(node, name, shape, average=False),
    "AvgPool2d": lambda node, name, shape: _pool(node, name, shape, average=True),
}

#: Neuron node type name -> (neurons class, {NIR field: constructor argument}).
NEURONS = {
    "I": (neurons.NIRIntegrator, {"r": "r"}),
    "IF": (neurons.NIRIF, {"r": "r", "v_threshold": "v_threshold", "v_reset": "v_reset"}),
    "LI": (neurons.NIRLI, {"tau": "tau", "r": "r", "v_leak": "v_leak"}),
    "LIF": (neurons.NIRLIF, {"tau": "tau", "r": "r", "v_leak": "v_leak",
                             "v_threshold": "v_threshold", "v_reset": "v_reset"}),
    "CubaLI": (neurons.NIRCubaLI, {"tau_syn": "tau_syn", "tau_mem": "tau_mem", "r": "r",
                                   "v_leak": "v_leak", "w_in": "w_in"}),
    "CubaLIF": (neurons.NIRCubaLIF, {"tau_syn": "tau_syn", "tau_mem": "tau_mem", "r": "r",
                                     "v_leak": "v_leak", "v_threshold": "v_threshold",
                                     "v_reset": "v_reset", "w_in": "w_in"}),
    "Threshold": (neurons.NIRThreshold, {"threshold": "threshold"}),
}


def transform(node, name, in_shape):
    """``(out_shape, transform, bias)`` of a stateless NIR node."""
    return TRANSFORMS[type(node).__name__](node, name, tuple(int(s) for s in in_shape))


def param_shape(node):
    """The shape of a neuron node's parameters (its declared input shape)."""
    _, fields = NEURONS[type(node).__name__]
    return np.broadcast_shapes(*(np.shape(getattr(node, f)) for f in fields))


def neuron_type(node, name, shape, amplitude):
    """The `nbsnn.nir.neurons` type of a NIR neuron node, parameters flattened to
    ``shape``'s size."""
    cls, fields = NEURONS[type(node).__name__]
    params = {}
    for field, arg in fields.items():
        value = np.asarray(getattr(node, field), dtype=float)
        try:
            params[arg] = np.broadcast_to(value, shape).ravel().copy()
        except ValueError:
            raise NIRError(f"shape mismatch at node {name!r} ({type(node).__name__}): "
                           f"{field} has shape {value.shape}, its input {tuple(shape)}"
                           ) from None
    if cls.spiking:
        params["amplitude"] = amplitude
    return cls(**params)
