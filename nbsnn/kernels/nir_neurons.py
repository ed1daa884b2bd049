"""Kernel of the NIR neuron types (`nbsnn.nir.neurons`), mirroring ``NIRNeuron.step``.

code = [op, n, J, out, params, voltage, current, integration, synaptic, spiking]:
``J``, ``out``, ``voltage`` and ``current`` are start offsets in ``buf`` (the state
offsets are ``out`` when the type has no such state); ``params`` is the offset in
``fc`` of ``[amplitude, tau_syn[n], w_in[n], tau[n], r[n], v_leak[n],
v_threshold[n], v_reset[n]]``. ``integration`` is 0 (none: threshold ``J``),
1 (perfect integrator) or 2 (leaky); ``synaptic`` and ``spiking`` are 0 or 1.
"""

from numba import njit

from ..config import JIT_OPTIONS


@njit(**JIT_OPTIONS)
def nir_neuron(buf, code, p, fc, dt):
    """One forward-Euler step of a NIR neuron population (see the module docstring)."""
    n, J0, o0, f = code[p + 1], code[p + 2], code[p + 3], code[p + 4]
    v0, c0 = code[p + 5], code[p + 6]
    integration, synaptic, spiking = code[p + 7], code[p + 8], code[p + 9]
    spike = fc[f] / dt
    tau_syn, w_in, tau, r = f + 1, f + 1 + n, f + 1 + 2 * n, f + 1 + 3 * n
    v_leak, v_thr, v_reset = f + 1 + 4 * n, f + 1 + 5 * n, f + 1 + 6 * n
    for i in range(n):
        x = buf[J0 + i]
        if synaptic:
            c = buf[c0 + i]
            c = c + (dt / fc[tau_syn + i]) * (fc[w_in + i] * x - c)
            buf[c0 + i] = c
            x = c
        if integration == 0:
            v = x
        elif integration == 1:
            v = buf[v0 + i] + dt * (fc[r + i] * x)
        else:
            v = buf[v0 + i]
            v = v + (dt / fc[tau + i]) * ((fc[v_leak + i] - v) + fc[r + i] * x)
        if spiking:
            spiked = v > fc[v_thr + i]
            buf[o0 + i] = spike if spiked else 0.0
            if spiked:
                v = fc[v_reset + i]
        else:
            buf[o0 + i] = v
        if integration > 0:
            buf[v0 + i] = v

