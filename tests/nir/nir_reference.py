"""A slow, readable NumPy interpreter of NIR graphs: the reference `nbsnn.nir.load` is
tested against. Semantics as documented in docs/nir.md: each step evaluates the
graph from its inputs in order, edges are instantaneous, state is advanced by one
forward-Euler step of ``dt``, spikes are 1, a recurrent edge carries the previous
step's value, and ``Delay`` shifts by whole steps.
"""

import nir
import numpy as np


def _conv2d(x, w, b, stride, padding, dilation, groups):
    c_out, c_in_g, kh, kw = w.shape
    c_in, h, wd = x.shape
    if padding == "same":
        tot = (dilation[0] * (kh - 1), dilation[1] * (kw - 1))
        lo = (tot[0] // 2, tot[1] // 2)
        xp = np.pad(x, ((0, 0), (lo[0], tot[0] - lo[0]), (lo[1], tot[1] - lo[1])))
    else:
        p = (0, 0) if padding == "valid" else padding
        xp = np.pad(x, ((0, 0), (p[0], p[0]), (p[1], p[1])))
    ho = (xp.shape[1] - dilation[0] * (kh - 1) - 1) // stride[0] + 1
    wo = (xp.shape[2] - dilation[1] * (kw - 1) - 1) // stride[1] + 1
    out = np.zeros((c_out, ho, wo))
    per = c_out // groups
    for co in range(c_out):
        g = co // per
        for i in range(ho):
            for j in range(wo):
                acc = 0.0
                for ci in range(c_in_g):
                    for a in range(kh):
                        for bb in range(kw):
                            acc += w[co, ci, a, bb] * xp[g * c_in_g + ci,
                                                        i * stride[0] + a * dilation[0],
                                                        j * stride[1] + bb * dilation[1]]
                out[co, i, j] = acc + b[co]
    return out


def _pair(v):
    v = np.atleast_1d(v).ravel()
    return (int(v[0]), int(v[-1]))


class Reference:
    """Runs a flat NIR graph (no subgraphs) on inputs ``{name: (steps, *shape)}``."""

    def __init__(self, graph, dt):
        self.g, self.dt = graph, dt
        self.state = {}

    def _stateful(self, name, node, x):
        dt, st = self.dt, self.state.setdefault(name, {})
        t = type(node).__name__
        if t == "Threshold":
            return (x > node.threshold).astype(float)
        if t in ("CubaLI", "CubaLIF"):
            i = st.get("i", 0.0)
            i = i + (dt / node.tau_syn) * (node.w_in * x - i)
            st["i"] = i
            x = i
        v = st.get("v", 0.0)
        if t in ("I", "IF"):
            v = v + dt * (node.r * x)
        else:
            tau = node.tau_mem if t.startswith("Cuba") else node.tau
            v = v + (dt / tau) * ((node.v_leak - v) + node.r * x)
        if t in ("IF", "LIF", "CubaLIF"):
            z = v > node.v_threshold
            v = np.where(z, node.v_reset, v)
            st["v"] = v
            return z.astype(float)
        st["v"] = v
        return v

    def _apply(self, name, node, x):
        t = type(node).__name__
        if t in ("Input", "Output"):
            return x
        if t == "Affine":
            return node.weight @ x.ravel() + node.bias
        if t == "Linear":
            return node.weight @ x.ravel()
        if t == "Scale":
            return x * node.scale
        if t == "Flatten":
            return x.ravel()
        if t == "Delay":
            k = int(round(float(np.ravel(node.delay)[0]) / self.dt))
            buf = self.state.setdefault(name, {}).setdefault("buf", [np.zeros_like(x)] * k)
            buf.append(x)
            return buf.pop(0)
        if t == "Conv2d":
            pad = node.padding if isinstance(node.padding, str) else _pair(node.padding)
            return _conv2d(x, node.weight, node.bias, _pair(node.stride), pad,
                           _pair(node.dilation), node.groups)
        if t == "Conv1d":
            pad = node.padding if isinstance(node.padding, str) else (0, int(node.padding))
            return _conv2d(x[:, None, :], node.weight[:, :, None, :], node.bias,
                           (1, int(node.stride)), pad, (1, int(node.dilation)),
                           node.groups)[:, 0, :]
        if t in ("SumPool2d", "AvgPool2d"):
            kh, kw = _pair(node.kernel_size)
            c = x.shape[0]
            w = np.ones((c, 1, kh, kw)) / ((kh * kw) if t == "AvgPool2d" else 1)
            return _conv2d(x, w, np.zeros(c), _pair(node.stride), _pair(node.padding),
                           (1, 1), c)
        return self._stateful(name, node, x)

    def run(self, inputs, shapes):
        """``shapes``: node name -> output shape (to reshape flat values)."""
        g = self.g
        steps = len(next(iter(inputs.values())))
        preds = {n: [s for s, d in g.edges if d == n] for n in g.nodes}
        prev, outs = {}, {n: [] for n in g.nodes if isinstance(g.nodes[n], nir.Output)}
        order = self.order
        for k in range(steps):
            cur = {}
            for name in order:
                node = g.nodes[name]
                if name in inputs:
                    x = np.asarray(inputs[name][k], dtype=float)
                else:
                    x = 0.0
                    for p in preds[name]:
                        val = cur[p] if p in cur else prev.get(p, 0.0)
                        x = x + np.ravel(val)
                    x = np.reshape(x, shapes[preds[name][0]])
                cur[name] = self._apply(name, node, x)
            for n in outs:
                outs[n].append(np.ravel(cur[n]).copy())
            prev = cur
        return {n: np.array(v) for n, v in outs.items()}
