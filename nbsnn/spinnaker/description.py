"""Backend-neutral description of a Nengo network as PyNN populations and projections.

`nbsnn.spinnaker.export.export` fills these containers from Nengo's own builder;
`nbsnn.spinnaker.pynn.instantiate` turns them into objects of any PyNN backend
(``pyNN.spiNNaker`` or ``pyNN.nest``).  Nothing in here imports PyNN.

Units follow PyNN: milliseconds, millivolts, nanofarads and nanoamperes.
"""

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

import numpy as np

__all__ = [
    "PopulationSpec",
    "ProjectionSpec",
    "RecordingSpec",
    "NetworkDescription",
]


@dataclass
class PopulationSpec:
    """One PyNN population.

    Parameters
    ----------
    label : str
        Unique PyNN label.
    size : int
        Number of cells.
    cell_type : str
        PyNN standard cell type name (``"IF_curr_exp"`` or ``"SpikeSourceArray"``).
    parameters : dict
        Cell parameters; values are scalars or per-cell arrays.
    initial_values : dict
        Initial state (``{"v": array}`` for LIF cells).
    source : object
        The Nengo object this population stands for (an Ensemble, or the Connection
        whose input it encodes).
    max_rate : float
        Upper bound on any cell's firing rate in Hz (used to size SpiNNaker's
        ring buffers).
    input_scale : ndarray or None
        Per cell, the input current (nA) that moves the represented value by one
        radius along the cell's encoder (gain x current unit); None for sources.
    """

    label: str
    size: int
    cell_type: str
    parameters: Dict[str, Any]
    initial_values: Dict[str, Any] = field(default_factory=dict)
    source: Any = None
    max_rate: float = 0.0
    input_scale: Optional[np.ndarray] = None


@dataclass
class ProjectionSpec:
    """A set of single-sign connections between two populations.

    Parameters
    ----------
    label : str
        Unique label.
    pre, post : str
        Population labels.
    pre_index, post_index : ndarray of int
        Connected cell pairs.
    weights : ndarray of float
        Synaptic current jumps in nA: positive for ``"excitatory"``, negative
        for ``"inhibitory"`` (the portable PyNN convention).
    delay : float
        Synaptic delay in ms.
    receptor_type : str
        ``"excitatory"`` or ``"inhibitory"``.
    source : nbsnn.spinnaker.routes.Route
        The Nengo connection (or chain of connections through passthrough
        nodes) this projection implements.
    """

    label: str
    pre: str
    post: str
    pre_index: np.ndarray
    post_index: np.ndarray
    weights: np.ndarray
    delay: float
    receptor_type: str
    source: Any = None

    def as_array(self):
        """Return ``(n, 4)`` rows ``(i, j, weight, delay)`` for a ``FromListConnector``."""
        delays = np.full(len(self.weights), float(self.delay))
        return np.column_stack([self.pre_index, self.post_index, self.weights, delays])


@dataclass
class RecordingSpec:
    """How one Nengo probe is read back from recorded spikes.

    Parameters
    ----------
    probe : nengo.Probe
        The probe.
    population : str
        Label of the recorded population.
    decoders : ndarray or None
        ``(size_out, n_neurons)`` decoders (already multiplied by the spike
        amplitude), or None to return the spikes themselves.
    synapse : nengo.synapses.Synapse or None
        Filter applied on the host, as the probe asks.
    amplitude : float
        Spike amplitude when returning spikes.
    neurons : slice or array_like
        Which neurons' spikes to return (a probe on ``ens.neurons[...]``).
    """

    probe: Any
    population: str
    decoders: Optional[np.ndarray]
    synapse: Any
    amplitude: float = 1.0
    neurons: Any = field(default_factory=lambda: slice(None))


@dataclass
class NetworkDescription:
    """A whole exported network.

    Parameters
    ----------
    populations, projections, recordings : list
        The parts described above.
    host_data : dict
        Probe -> array for probes computed on the host (input nodes).
    timestep : float
        PyNN integration step in ms.
    dt : float
        Nengo time step in seconds (the grid decoded outputs are returned on).
    n_steps : int
        Number of Nengo steps the description was made for.
    """

    populations: List[PopulationSpec]
    projections: List[ProjectionSpec]
    recordings: List[RecordingSpec]
    host_data: Dict[Any, np.ndarray]
    timestep: float
    dt: float
    n_steps: int

    @property
    def duration(self):
        """Run time in seconds."""
        return self.n_steps * self.dt

    @property
    def n_neurons(self):
        """Number of LIF cells (spike sources excluded)."""
        return sum(p.size for p in self.populations if p.cell_type != "SpikeSourceArray")

    @property
    def n_synapses(self):
        """Number of synapses over all projections."""
        return sum(len(p.weights) for p in self.projections)

    def population(self, label):
        """Return the population spec called ``label``."""
        for pop in self.populations:
            if pop.label == label:
                return pop
        raise KeyError(label)

    def trange(self):
        """Return the times (s) of the Nengo steps, like ``nengo.Simulator.trange()``."""
        return self.dt * np.arange(1, self.n_steps + 1)
