"""Translate a `nengo.Network` into a backend-neutral PyNN description.

Nengo's own builder (`nengo.builder.Model`) supplies gains, biases, encoders and
decoders, so the exported network is the one `nbsnn.Simulator` would run.

Parameter mapping (Nengo LIF -> PyNN ``IF_curr_exp``)
-----------------------------------------------------
Nengo's LIF integrates ``tau_rc dv/dt = J - v`` with threshold 1 and reset 0.
``IF_curr_exp`` integrates ``cm dv/dt = cm (v_rest - v) / tau_m + I``.  With

* ``tau_m = tau_rc`` (ms), ``tau_refrac = tau_ref`` (ms), ``cm = 1 nF``,
* ``v_rest = v_reset = -65 mV``, ``v_thresh = -50 mV``,

one Nengo current unit is ``I_unit = (v_thresh - v_rest) cm / tau_m`` nA, and

* ``i_offset = bias * I_unit``,
* a decoded connection gives the neuron-to-neuron matrix
  ``W = (gain * encoders / radius)_post @ transform @ decoders_pre``
  (Nengo's ``scaled_encoders`` times the built connection weights), and each
  spike makes a synaptic current jump of ``W * I_unit * amplitude / tau_syn``,
  because Nengo's unit-area lowpass turns a spike into ``exp(-t/tau)/tau`` while
  PyNN's exponential synapse jumps by the weight and decays with ``tau_syn``,
* the synapse ``Lowpass(tau)`` gives ``tau_syn_E = tau_syn_I = tau`` (ms); all
  connections into one ensemble must therefore share ``tau``,
* the weight's sign picks the receptor (positive: excitatory, negative:
  inhibitory), the delay is one PyNN time step,
* initial voltages are Nengo's, mapped linearly onto ``[v_rest, v_thresh]``.

Known differences: Nengo clips the voltage at ``min_voltage`` (0), PyNN does not;
Nengo interpolates spike times within a step, PyNN backends use a time grid
(use ``timestep=0.1`` ms for LIF neurons firing at hundreds of Hz).

Passthrough nodes are collapsed: every chain of connections through them becomes
one matrix (see `nbsnn.spinnaker.routes`).  Inputs (nodes without input) are
evaluated on the host and sent in as spike sources, one group per input
connection and dimension, shared by all the ensembles it reaches (see
`nbsnn.spinnaker.inputs`).  Probes on ensembles are decoded on the
host from recorded spikes with the probe's decoders and synapse.
"""

import nengo
import numpy as np
from nengo.builder import Model
from nengo.ensemble import Neurons
from nengo.transforms import Dense, NoTransform

from nbsnn.arguments import finite
from nbsnn.exceptions import UnsupportedError

from .description import NetworkDescription, PopulationSpec, ProjectionSpec, RecordingSpec
from .inputs import encode_signal, run_host_nodes
from .routes import ensemble_of, expand, find_routes, is_passthrough

__all__ = ["V_REST", "V_THRESH", "CM", "export", "current_unit"]

V_REST = -65.0
"""Resting and reset potential (mV)."""
V_THRESH = -50.0
"""Firing threshold (mV)."""
CM = 1.0
"""Membrane capacitance (nF)."""
DEFAULT_TAU_SYN = 0.005
"""Synaptic time constant (s) of ensembles without incoming connections."""


def current_unit(tau_rc):
    """Return the current (nA) that corresponds to one Nengo current unit.

    Parameters
    ----------
    tau_rc : float
        Nengo membrane time constant (s).
    """
    return (V_THRESH - V_REST) * CM / (tau_rc * 1e3)


def export(
    network,
    duration,
    dt=0.001,
    timestep=0.1,
    model=None,
    seed=None,
    n_sources=16,
    source_max_rate=500.0,
):
    """Describe ``network`` as PyNN populations, projections and recordings.

    Parameters
    ----------
    network : nengo.Network
        The network to export.
    duration : float
        Run time (s) for which input spike trains are precomputed.
    dt : float
        Nengo time step (s) used to build the network, evaluate inputs and
        return decoded probes.  Ignored when ``model`` is given.
    timestep : float
        PyNN integration step (ms).
    model : nengo.builder.Model, optional
        An already built model of ``network`` (for example ``sim.model`` of an
        `nbsnn.Simulator`), so both runs share gains, biases and decoders.
    seed : int, optional
        Seed of the host-side input evaluation (stochastic processes).
    n_sources : int
        Spike sources per input dimension and polarity.
    source_max_rate : float
        Highest firing rate of one input spike source (Hz).

    Returns
    -------
    NetworkDescription

    Raises
    ------
    nbsnn.exceptions.UnsupportedError
        For any object that cannot be represented (names the object).
    nbsnn.exceptions.InvalidArgumentError
        For a duration, dt or timestep that is not a finite number > 0.
    """
    finite(duration, "duration (s)", positive=True)
    finite(dt, "dt (s)", positive=True)
    finite(timestep, "timestep (ms)", positive=True)
    check_supported(network)
    if model is None:
        model = Model(dt=dt, label=f"export of {network}")
        model.build(network)
    dt = model.dt
    n_steps = int(round(duration / dt))
    labels = _Labels()

    routes = find_routes(network, model)
    ensembles = list(network.all_ensembles)
    tau_syn = {ens: _incoming_tau(routes, ens) for ens in ensembles}

    populations, ens_label = [], {}
    for k, ens in enumerate(ensembles):
        spec = _lif_population(model, ens, tau_syn[ens], labels.make(ens.label or f"ensemble{k}"))
        ens_label[ens] = spec.label
        populations.append(spec)

    input_conns = list({r.origin: None for r in routes if isinstance(r.origin.pre_obj, nengo.Node)})
    node_probes = [p for p in network.all_probes if isinstance(p.obj, nengo.Node)]
    signals, host_data = run_host_nodes(input_conns, node_probes, dt, n_steps, seed)

    projections, sources = [], {}  # sources: (conn, dim) -> (label, quantum)
    for route in routes:
        conn, post_ens = route.origin, route.post_ensemble
        unit = current_unit(post_ens.neuron_type.tau_rc)
        tau = route.tau
        if isinstance(conn.pre_obj, nengo.Node):
            for d in range(conn.size_out):
                if not np.any(route.matrix[:, d]):
                    continue
                if (conn, d) not in sources:
                    trains, quantum = encode_signal(
                        signals[conn][:, d], dt, timestep, n_sources, source_max_rate
                    )
                    label = labels.make(f"in_{ens_label[post_ens]}_{d}")
                    sources[conn, d] = (label, quantum)
                    if quantum > 0.0:
                        populations.append(
                            PopulationSpec(
                                label=label,
                                size=2 * n_sources,
                                cell_type="SpikeSourceArray",
                                parameters={"spike_times": trains},
                                source=conn,
                                max_rate=source_max_rate,
                            )
                        )
                label, quantum = sources[conn, d]
                if quantum == 0.0:
                    continue
                column = route.matrix[:, d] * unit * quantum / tau
                sign = np.repeat([1.0, -1.0], n_sources)
                weights = sign[:, None] * column[None, :]  # (2 n_sources, n_post)
                projections += _split(weights, label, ens_label[post_ens], timestep, route, labels)
        else:
            pre_ens = ensemble_of(conn.pre_obj)
            full = _neuron_matrix(model, route)  # (n_post, n_pre)
            weights = (full * unit * pre_ens.neuron_type.amplitude / tau).T
            projections += _split(
                weights, ens_label[pre_ens], ens_label[post_ens], timestep, route, labels
            )

    recordings = []
    for probe in network.all_probes:
        if isinstance(probe.obj, nengo.Node):
            continue
        recordings.append(_recording(model, probe, ens_label))
    return NetworkDescription(
        populations=populations,
        projections=projections,
        recordings=recordings,
        host_data=host_data,
        timestep=float(timestep),
        dt=float(dt),
        n_steps=n_steps,
    )


# --- checks -----------------------------------------------------------------


def check_supported(network):
    """Raise `UnsupportedError` naming the first object that cannot be exported.

    Parameters
    ----------
    network : nengo.Network
    """
    for ens in network.all_ensembles:
        if isinstance(ens.neuron_type, nengo.Direct):
            raise UnsupportedError(
                f"{ens} uses Direct mode, which has no spiking equivalent on SpiNNaker "
                "or NEST; give it nengo.LIF() neurons."
            )
        if type(ens.neuron_type) is not nengo.LIF:
            raise UnsupportedError(
                f"{ens} uses {type(ens.neuron_type).__name__} neurons; only nengo.LIF "
                "maps to PyNN's IF_curr_exp. Use nengo.LIF() for exported ensembles."
            )
        if ens.noise is not None:
            raise UnsupportedError(f"{ens} has injected noise, which cannot be exported.")
    for node in network.all_nodes:
        if node.size_in > 0 and not is_passthrough(node):
            raise UnsupportedError(
                f"{node} takes input, so it would run Python inside the spiking loop; "
                "only nodes without input (constants, functions of time, processes) "
                "can be exported. Replace it with an ensemble or move it to the host."
            )
    for conn in network.all_connections:
        if conn.learning_rule is not None:
            raise UnsupportedError(
                f"{conn} has a learning rule ({conn.learning_rule_type}); learning is "
                "not exported. Learn in nbsnn.Simulator and export the fixed weights."
            )
        if not isinstance(conn.transform, (Dense, NoTransform)):
            raise UnsupportedError(
                f"{conn} uses a {type(conn.transform).__name__} transform; only dense "
                "transforms are exported."
            )
        if conn.synapse is not None and type(conn.synapse) is not nengo.Lowpass:
            raise UnsupportedError(
                f"{conn} has synapse {conn.synapse!r}; PyNN's IF_curr_exp only has "
                "exponential (nengo.Lowpass) synapses."
            )
        if isinstance(conn.pre_obj, Neurons) and conn.pre_slice != slice(None):
            raise UnsupportedError(f"{conn}: sliced neuron connections are not exported.")
    for probe in network.all_probes:
        ok = (
            (isinstance(probe.obj, nengo.Ensemble) and probe.attr == "decoded_output")
            or (isinstance(probe.obj, Neurons) and probe.attr in ("output", "spikes"))
            or (isinstance(probe.obj, nengo.Node) and probe.attr == "output"
                and not is_passthrough(probe.obj))
        )
        if not ok:
            raise UnsupportedError(
                f"{probe} records {probe.attr!r} of {probe.obj}; only decoded "
                "ensemble output, neuron spikes and the output of input nodes can be "
                "recorded (probe the ensembles that feed a passthrough node)."
            )


def _incoming_tau(routes, ens):
    taus = {}
    for route in routes:
        if route.post_ensemble is ens:
            taus.setdefault(route.tau, route)
    if len(taus) > 1:
        names = ", ".join(f"{r} (tau={t})" for t, r in taus.items())
        raise UnsupportedError(
            f"{ens} receives connections with different synapse time constants "
            f"({names}); IF_curr_exp has one tau_syn per population. Use the same "
            "nengo.Lowpass tau for all connections into it."
        )
    return next(iter(taus), DEFAULT_TAU_SYN)


# --- populations and weights ------------------------------------------------


class _Labels:
    """Makes unique PyNN labels."""

    def __init__(self):
        self.used = set()

    def make(self, text):
        base = "".join(ch if ch.isalnum() or ch in "_-" else "_" for ch in str(text))
        base = "_".join(part for part in base.split("_") if part)[:60] or "obj"
        label, k = base, 1
        while label in self.used:
            k += 1
            label = f"{base}_{k}"
        self.used.add(label)
        return label


def _lif_population(model, ens, tau_syn, label):
    built = model.params[ens]
    lif = ens.neuron_type
    unit = current_unit(lif.tau_rc)
    voltage = model.sig[ens.neurons]["voltage"].initial_value
    v0 = V_REST + np.clip(np.asarray(voltage, dtype=float), 0.0, 1.0) * (V_THRESH - V_REST)
    rates = lif.rates(np.ones(1), built.gain, built.bias)  # J at most gain + bias
    return PopulationSpec(
        label=label,
        size=ens.n_neurons,
        cell_type="IF_curr_exp",
        parameters={
            "tau_m": lif.tau_rc * 1e3,
            "cm": CM,
            "v_rest": V_REST,
            "v_reset": V_REST,
            "v_thresh": V_THRESH,
            "tau_refrac": lif.tau_ref * 1e3,
            "tau_syn_E": tau_syn * 1e3,
            "tau_syn_I": tau_syn * 1e3,
            "i_offset": np.asarray(built.bias, dtype=float) * unit,
        },
        initial_values={"v": v0},
        source=ens,
        max_rate=float(np.max(rates)) if rates.size else 0.0,
        input_scale=np.asarray(built.gain, dtype=float) * unit,
    )


def _neuron_matrix(model, route):
    """Full ``(n_post, n_pre)`` current matrix of a route that starts at neurons."""
    conn = route.origin
    weights = model.params[conn].weights
    if route.matrix is None:
        return np.asarray(weights, dtype=float)  # weight solver: encoders, gains folded in
    pre_n = ensemble_of(conn.pre_obj).n_neurons
    return route.matrix @ expand(weights, conn.size_out, pre_n)


def _split(weights, pre, post, timestep, route, labels):
    """Split a signed ``(n_pre, n_post)`` matrix into excitatory/inhibitory projections."""
    projections = []
    for receptor, mask in (("excitatory", weights > 0), ("inhibitory", weights < 0)):
        i, j = np.nonzero(mask)
        if len(i):
            projections.append(
                ProjectionSpec(
                    label=labels.make(f"{pre}_to_{post}_{receptor[:3]}"),
                    pre=pre,
                    post=post,
                    pre_index=i,
                    post_index=j,
                    weights=weights[i, j],
                    delay=float(timestep),
                    receptor_type=receptor,
                    source=route,
                )
            )
    return projections


def _recording(model, probe, ens_label):
    target = probe.obj
    ens = ensemble_of(target)
    amplitude = ens.neuron_type.amplitude
    if isinstance(target, Neurons):
        return RecordingSpec(
            probe=probe, population=ens_label[ens], decoders=None,
            synapse=probe.synapse, amplitude=amplitude,
            neurons=slice(None) if probe.slice is None else probe.slice,
        )
    decoders = None
    for obj, built in model.params.items():
        if isinstance(obj, nengo.Connection) and obj.post_obj is probe:
            decoders = np.asarray(built.weights, dtype=float)
            break
    if decoders is None:  # pragma: no cover - Nengo always builds probe connections
        raise UnsupportedError(f"{probe}: Nengo built no decoders for it.")
    return RecordingSpec(
        probe=probe, population=ens_label[ens], decoders=decoders * amplitude,
        synapse=probe.synapse, amplitude=amplitude,
    )
