"""Build a `NetworkDescription` with any PyNN backend module."""

import numpy as np

__all__ = ["instantiate", "read_spikes"]


def instantiate(sim, description, population_kwargs=None, spike_times=None, connect=None):
    """Create populations, projections and recordings in the current PyNN session.

    Parameters
    ----------
    sim : module
        A PyNN backend, e.g. ``pyNN.nest`` or ``pyNN.spiNNaker``, already set up
        with ``timestep=description.timestep``.
    description : NetworkDescription
        The exported network.
    population_kwargs : callable, optional
        ``f(PopulationSpec) -> dict`` of extra keyword arguments for
        ``sim.Population`` (backend-specific options).
    spike_times : callable, optional
        ``f(list of arrays) -> value`` for ``SpikeSourceArray(spike_times=...)``;
        the default gives PyNN ``Sequence`` objects (sPyNNaker wants plain lists).
    connect : callable, optional
        ``f(ProjectionSpec, pre_population, post_population)`` that makes the
        synapses itself (e.g. with the backend's native calls) instead of a
        ``sim.Projection``; its return value is stored in ``projections``.

    Returns
    -------
    populations : dict
        Label -> ``sim.Population``.
    projections : dict
        Label -> ``sim.Projection``.
    """
    from pyNN.parameters import Sequence

    populations = {}
    for spec in description.populations:
        kwargs = population_kwargs(spec) if population_kwargs else {}
        if spec.cell_type == "SpikeSourceArray":
            trains = spec.parameters["spike_times"]
            times = spike_times(trains) if spike_times else [Sequence(t) for t in trains]
            cell = sim.SpikeSourceArray(spike_times=times)
        else:
            params = {k: _value(v) for k, v in spec.parameters.items()}
            cell = getattr(sim, spec.cell_type)(**params)
        pop = sim.Population(spec.size, cell, label=spec.label, **kwargs)
        if spec.initial_values:
            pop.initialize(**{k: _value(v) for k, v in spec.initial_values.items()})
        populations[spec.label] = pop

    projections = {}
    for spec in description.projections:
        if connect is not None:
            projections[spec.label] = connect(
                spec, populations[spec.pre], populations[spec.post])
            continue
        projections[spec.label] = sim.Projection(
            populations[spec.pre],
            populations[spec.post],
            sim.FromListConnector(spec.as_array()),
            synapse_type=sim.StaticSynapse(),
            receptor_type=spec.receptor_type,
            label=spec.label,
        )
    for label in {rec.population for rec in description.recordings}:
        populations[label].record("spikes")
    return populations, projections


def read_spikes(populations, description):
    """Return label -> per-neuron spike times (ms) for every recorded population."""
    out = {}
    for label in {rec.population for rec in description.recordings}:
        block = populations[label].get_data("spikes", clear=False)
        trains = block.segments[-1].spiketrains
        ordered = sorted(trains, key=lambda st: int(st.annotations.get("source_index", 0)))
        out[label] = [np.asarray(st.rescale("ms").magnitude, dtype=float) for st in ordered]
    return out


def _value(value):
    value = np.asarray(value, dtype=float)
    return float(value) if value.ndim == 0 else value
