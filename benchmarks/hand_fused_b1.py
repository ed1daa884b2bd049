"""B1 as one hand-fused numba loop: the reference nbsnn's B1 is compared against.

Usage: ``python benchmarks/hand_fused_b1.py [SECONDS] [--cpu-time]``. The network's
parameters (gains, biases, encoders, decoders) come from Nengo's build of
`networks.b1_integrator`; every step then runs in one compiled loop: the input
Node's ``sin``, its transform and synapse, the recurrent synapse, and one pass
over the neurons that computes each input current (bias + encoder * x), steps the
LIF neuron (``expm1`` only for neurons leaving their refractory period) and adds the
decoders of the neurons that spike; then the probe's synapse. Nothing is written
to memory that the next statement does not need. Two versions: a plain branching
loop with libm's ``expm1``/``log1p``, and vectorised passes like nbsnn's LIF kernel
with the input current and the decoders fused in. Same order of operations as
Nengo's step, so the probed output matches ``nbsnn.Simulator``'s (printed);
prints steps/s of each and nbsnn's ratio to each.
"""

import math
import sys
import time

import nengo
import numpy as np
from numba import njit

import nbsnn
from nbsnn.kernels import compact, ufuncs
from networks import b1_integrator


@njit(cache=True, fastmath=False, error_model="numpy")
def run_fused(n_steps, dt, gain_enc, bias, dec, dec_probe, v, r, state, tau_rc, tau_ref,
              a_in, b_in, a_rec, b_rec, a_p, b_p, out):
    """Advance ``n_steps``; ``state`` = [step, input synapse, recurrent synapse,
    probe synapse, last decoded value]; ``out`` receives the probed values."""
    decay_full = math.expm1(-dt / tau_rc)
    step, x_in, x_rec, x_p, dec_prev = int(state[0]), state[1], state[2], state[3], state[4]
    n = v.size
    for s in range(n_steps):
        step += 1
        t = step * dt
        u = math.sin(2 * math.pi * t)
        x = x_in + x_rec  # the ensemble's input: both synapses' outputs of the last step
        x_in = a_in * x_in + b_in * (0.1 * u)
        decoded, probed = 0.0, 0.0
        for i in range(n):
            J = bias[i] + gain_enc[i] * x
            ri = r[i] - dt
            d = decay_full
            if ri > 0.0:
                d = math.expm1(-(dt - ri) / tau_rc) if ri < dt else -0.0
            vi = v[i] - (J - v[i]) * d
            if vi > 1.0:
                decoded += dec[i]
                probed += dec_probe[i]
                ri = tau_ref + (dt + tau_rc * math.log1p(-(vi - 1) / (J - 1)))
                vi = 0.0
            elif vi < 0.0:
                vi = 0.0
            v[i] = vi
            r[i] = ri
        x_rec = a_rec * x_rec + b_rec * (decoded / dt)
        out[s] = x_p  # the probe reads its synapse's output of the last step
        x_p = a_p * x_p + b_p * (probed / dt)
        dec_prev = decoded
    state[0], state[1], state[2], state[3], state[4] = step, x_in, x_rec, x_p, dec_prev


@njit(cache=True, error_model="numpy")
def run_fused_vector(n_steps, dt, gain_enc, bias, dec, dec_probe, v, r, state, tau_rc,
                     tau_ref, a_in, b_in, a_rec, b_rec, a_p, b_p, out, work, where, table):
    """`run_fused` written the way nbsnn's LIF kernel is: one branch-free vectorised
    pass over the neurons (input current, refractory clock, voltage, spike), then
    only the neurons that leave their refractory period within the step or spike are
    gathered for ``expm1``/``log1p`` (NumPy's loops) and the decoders."""
    n = v.size
    J, new_v, x = work[:n], work[n : 2 * n], work[2 * n : 3 * n]
    x[0] = -dt / tau_rc
    ufuncs.apply(table, ufuncs.EXPM1, x, x, 1)
    decay_full = x[0]
    step, x_in, x_rec, x_p = int(state[0]), state[1], state[2], state[3]
    for s in range(n_steps):
        step += 1
        t = step * dt
        u = math.sin(2 * math.pi * t)
        inp = x_in + x_rec
        x_in = a_in * x_in + b_in * (0.1 * u)
        for i in range(n):
            Ji = bias[i] + gain_enc[i] * inp
            J[i] = Ji
            ri = r[i] - dt
            r[i] = ri
            d = decay_full if ri <= 0.0 else -0.0
            vi = v[i] - (Ji - v[i]) * d
            spiked = vi > 1
            clamped = 0.0 if vi < 0.0 else vi
            v[i] = 0.0 if spiked else clamped
            new_v[i] = vi
        m = compact.indices_inside(r, n, 0.0, dt, where)
        for c in range(m):
            x[c] = -(dt - r[where[c]]) / tau_rc
        ufuncs.apply(table, ufuncs.EXPM1, x, x, m)
        for c in range(m):
            i = where[c]
            vi = new_v[i] - (J[i] - new_v[i]) * x[c]
            clamped = 0.0 if vi < 0.0 else vi
            v[i] = 0.0 if vi > 1 else clamped
            new_v[i] = vi
        m = compact.indices_above(new_v, n, 1.0, where)
        decoded, probed = 0.0, 0.0
        for c in range(m):
            i = where[c]
            x[c] = -(new_v[i] - 1) / (J[i] - 1)
            decoded += dec[i]
            probed += dec_probe[i]
        ufuncs.apply(table, ufuncs.LOG1P, x, x, m)
        for c in range(m):
            r[where[c]] = tau_ref + (dt + tau_rc * x[c])
        x_rec = a_rec * x_rec + b_rec * (decoded / dt)
        out[s] = x_p
        x_p = a_p * x_p + b_p * (probed / dt)
    state[0], state[1], state[2], state[3] = step, x_in, x_rec, x_p


def lowpass(tau, dt):
    a = math.exp(-dt / tau)
    return a, 1 - a


def main(seconds=10.0, clock=time.perf_counter):
    net = b1_integrator()
    ens = net.ensembles[0]
    recurrent = next(c for c in net.connections if c.pre is ens)
    probe = net.probes[0]
    with nbsnn.Simulator(net, progress_bar=False) as sim:
        # the probe decodes the ensemble through a connection of its own (own decoders)
        probe_conn = next(c for c in sim.model.params if isinstance(c, nengo.Connection)
                          and c.post_obj is probe)
        gain_enc = sim.data[ens].scaled_encoders[:, 0].copy()
        bias = sim.data[ens].bias.copy()
        dec = sim.data[recurrent].weights[0].copy()
        dec_probe = sim.data[probe_conn].weights[0].copy()
        v0 = sim.signals[sim.model.sig[ens.neurons]["voltage"]].copy()  # Nengo draws these
        sim.run_steps(10)
        start = clock()
        sim.run(seconds)
        nbsnn_rate = round(seconds / sim.dt) / (clock() - start)
        expected = sim.data[probe][10:]
    dt = 0.001
    n = bias.size
    steps = round(seconds / dt)
    lif = ens.neuron_type
    print(f"nbsnn.Simulator: {nbsnn_rate:,.0f} steps/s")
    for name, fused in [("branching loop, libm", run_fused),
                        ("vectorised passes, NumPy's loops", run_fused_vector)]:
        state, out = np.zeros(5), np.zeros(steps + 10)
        args = [dt, gain_enc, bias, dec, dec_probe, v0.copy(), np.zeros(n), state,
                lif.tau_rc, lif.tau_ref, *lowpass(0.1, dt), *lowpass(0.1, dt),
                *lowpass(0.01, dt)]
        extra = [] if fused is run_fused else [np.zeros(3 * n), np.zeros(n, np.int64),
                                               ufuncs.TABLE]
        fused(10, *args, out[:10], *extra)
        start = clock()
        fused(steps, *args, out[10:], *extra)
        rate = steps / (clock() - start)
        err = np.max(np.abs(out[10:] - expected[:, 0]))
        print(f"hand-fused B1 ({name}): {rate:,.0f} steps/s; nbsnn / hand-fused = "
              f"{nbsnn_rate / rate:.2f}; max |difference| of the probed output {err:.2g}")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--cpu-time"]
    main(float(args[0]) if args else 10.0,
         time.process_time if "--cpu-time" in sys.argv else time.perf_counter)
