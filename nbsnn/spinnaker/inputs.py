"""Host-side inputs: Nengo nodes evaluated on the host and encoded as spike trains.

A node without input (a constant, a function of time or a `nengo.Process`) is run
on the host with `nengo.Simulator` at the network's own ``dt``, so the values are
exactly those the reference simulator sees.  Each input connection's signal
(after its function and transform) is then encoded, dimension by dimension, by a
group of ``n_sources`` "on" and ``n_sources`` "off" spike sources: a
deterministic, non-leaky integrate-and-fire code (a sigma-delta modulator) in
which every spike carries the value ``quantum``.  Filtering those spikes with the
connection's lowpass synapse gives back the filtered signal up to a ripple of
about ``quantum / tau``.
"""

import nengo
import numpy as np

__all__ = ["run_host_nodes", "encode_signal"]


def run_host_nodes(connections, probes, dt, n_steps, seed):
    """Evaluate input connections and node probes on the host.

    Parameters
    ----------
    connections : list of nengo.Connection
        Connections whose ``pre`` is a node without input.
    probes : list of nengo.Probe
        Probes on such nodes.
    dt : float
        Nengo time step (s).
    n_steps : int
        Number of steps to evaluate.
    seed : int
        Seed of the host simulator (for stochastic processes).

    Returns
    -------
    signals : dict
        Connection -> ``(n_steps, conn.size_out)`` array of the value that enters
        the connection's synapse.
    probe_data : dict
        Probe -> ``(n_steps, size)`` array, as ``nengo.Simulator.data`` would give.
    """
    copies = {}
    conn_probes = {}
    node_probes = {}
    with nengo.Network(add_to_container=False) as host:

        def copy(node):
            if node not in copies:
                copies[node] = nengo.Node(
                    node.output, size_out=node.size_out, label=node.label, seed=node.seed
                )
            return copies[node]

        for conn in connections:
            sink = nengo.Node(size_in=conn.size_out)
            pre = copy(conn.pre_obj)
            if conn.pre_slice != slice(None):
                pre = pre[conn.pre_slice]
            nengo.Connection(
                pre, sink, function=conn.function, transform=conn.transform, synapse=None
            )
            conn_probes[conn] = nengo.Probe(sink, synapse=None)
        for probe in probes:
            target = copy(probe.obj)
            if probe.slice is not None:
                target = target[probe.slice]
            node_probes[probe] = nengo.Probe(target, synapse=probe.synapse)

    if not conn_probes and not node_probes:
        return {}, {}
    with nengo.Simulator(host, dt=dt, seed=seed, progress_bar=False) as sim:
        sim.run_steps(n_steps)
    signals = {c: np.asarray(sim.data[p]) for c, p in conn_probes.items()}
    probe_data = {pr: np.asarray(sim.data[p]) for pr, p in node_probes.items()}
    return signals, probe_data


def encode_signal(signal, dt, timestep, n_sources, max_rate):
    """Encode one piecewise-constant signal as on/off spike-source trains.

    Parameters
    ----------
    signal : ndarray
        ``(n_steps,)`` values; step ``k`` holds on ``(k*dt, (k+1)*dt]``.
    dt : float
        Nengo time step (s).
    timestep : float
        PyNN time step (ms); spike times are rounded up to its grid and kept
        strictly after the first step (no spike at ``t == min_delay``).
    n_sources : int
        Spike sources per polarity.
    max_rate : float
        Highest rate of one source (Hz), reached at ``max(abs(signal))``.

    Returns
    -------
    trains : list of ndarray
        ``2 * n_sources`` spike-time arrays (ms): the "on" sources, then the "off"
        sources.
    quantum : float
        Value carried by one spike (signal units x seconds); 0 for a zero signal.
    """
    signal = np.asarray(signal, dtype=float)
    peak = float(np.max(np.abs(signal))) if signal.size else 0.0
    if peak == 0.0:
        return [np.zeros(0) for _ in range(2 * n_sources)], 0.0
    quantum = peak / (n_sources * max_rate)
    trains = []
    for polarity in (1.0, -1.0):
        rate = np.maximum(polarity * signal, 0.0) / quantum  # spikes per second
        counts = np.concatenate([[0.0], np.cumsum(rate * dt)])
        # spike n fires when the running count crosses n - 1/2 (unbiased rounding)
        levels = np.arange(1, int(np.floor(counts[-1] + 0.5)) + 1) - 0.5
        step = np.clip(np.searchsorted(counts, levels, side="left"), 1, len(signal))
        frac = (levels - counts[step - 1]) / np.maximum(counts[step] - counts[step - 1], 1e-300)
        times_ms = ((step - 1) + frac) * dt * 1e3
        times_ms = np.maximum(np.ceil(times_ms / timestep - 1e-9), 2) * timestep
        for k in range(n_sources):
            trains.append(np.round(times_ms[k::n_sources], 6))
    return trains, quantum
