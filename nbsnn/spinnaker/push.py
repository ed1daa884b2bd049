"""Push a Nengo network to SpiNNaker through sPyNNaker."""

from dataclasses import dataclass
from typing import Optional

from ..exceptions import InvalidArgumentError
from .board import check_host, spinnaker_session
from .decode import ProbeData, decode_recordings
from .description import NetworkDescription
from .export import export
from .pynn import instantiate, read_spikes
from .quantize import QuantizationReport, check_quantization
from .report import MappingReport, mapping_report

__all__ = ["PushResult", "push", "spinnaker_options"]


@dataclass
class PushResult:
    """What `push` produced.

    Attributes
    ----------
    description : NetworkDescription
        The exported network.
    mapping : MappingReport
        Cores, chips, neurons per core, routing entries and SDRAM per core.
    quantization : QuantizationReport
        Fixed-point weight check.
    data : ProbeData or None
        Decoded probes from the board; None on a virtual board (nothing runs).
    host : str or None
        The board, or None for a virtual board.
    """

    description: NetworkDescription
    mapping: MappingReport
    quantization: QuantizationReport
    data: Optional[ProbeData]
    host: Optional[str]

    @property
    def virtual(self):
        """True when the network was only mapped on a virtual board."""
        return self.host is None

    def __str__(self):
        where = "virtual board" if self.virtual else f"board {self.host}"
        return (f"SpiNNaker ({where}): {self.description.n_neurons} neurons, "
                f"{self.description.n_synapses} synapses\n{self.mapping}\n\n"
                f"Fixed-point weights:\n{self.quantization}")


def spinnaker_options(bounds):
    """Return the sPyNNaker-specific keyword arguments for `instantiate`.

    Parameters
    ----------
    bounds : dict
        Population label -> ``[exc, inh]`` summed-weight bounds (nA), as
        `nbsnn.spinnaker.quantize.summed_weight_bounds` gives; they replace the
        toolchain's own ring-buffer estimate.
    """

    def population_kwargs(spec):
        if spec.label not in bounds:  # spike sources
            return {}
        return {"additional_parameters": {"max_expected_summed_weight": bounds[spec.label]}}

    return {
        "population_kwargs": population_kwargs,
        "spike_times": lambda trains: [list(t) for t in trains],  # no PyNN Sequence here
    }


def push(network, host=None, virtual=False, duration=1.0, dt=0.001, timestep=0.1,
         model=None, seed=None, version=5, time_scale_factor=None, report_dir=None,
         tolerance=0.01, quiet=True, **export_options):
    """Map (and, on a real board, run) ``network`` on SpiNNaker.

    Parameters
    ----------
    network : nengo.Network
        The network (see `nbsnn.spinnaker.export.export` for what is supported).
    host : str, optional
        Host name or IP address of the board; not needed when ``virtual``.
    virtual : bool
        Use the toolchain's virtual board: partition, place, route, generate
        data; load and run nothing (``data`` is then None).
    duration : float
        Run time (s).
    dt : float
        Nengo time step (s) for building and for the returned data.
    timestep : float
        SpiNNaker time step (ms).
    model : nengo.builder.Model, optional
        Built model to share with another simulator.
    seed : int, optional
        Seed of host-side inputs.
    version : int
        Board version (5: SpiNN-5, 48 chips; 3: SpiNN-3, 4 chips).
    time_scale_factor : int, optional
        Slow-down of the board's real time; default ``round(1 / timestep)``.
    report_dir : str, optional
        Folder for the toolchain's report files (default: a new private folder
        per run, `nbsnn.spinnaker.board.new_report_dir`); ``result.mapping.report_dir``
        names the run's own folder.
    tolerance : float
        Quantisation warning threshold (fraction of a radius).
    quiet : bool
        Hide the toolchain's progress bars and informational logging.
    **export_options
        Further arguments for `nbsnn.spinnaker.export.export`.

    Returns
    -------
    PushResult

    Raises
    ------
    nbsnn.spinnaker.board.BoardUnreachableError
        Within seconds, when the board cannot be reached.
    nbsnn.exceptions.UnsupportedError
        For objects that cannot be exported.
    nbsnn.exceptions.InvalidArgumentError
        For a network without neurons, or a duration, dt or timestep that is not > 0.
    """
    if not virtual:
        if not host:
            raise ValueError("push needs host=... for a real board, or virtual=True")
        check_host(host)  # fail before any export work
    description = export(network, duration, dt=dt, timestep=timestep, model=model,
                         seed=seed, **export_options)
    if not description.n_neurons:
        raise InvalidArgumentError(
            f"{network} has no neurons (no nengo.Ensemble), so nothing would run on "
            "SpiNNaker; add an Ensemble, or compute Node-only networks with nbsnn.Simulator.")
    quantization = check_quantization(description, tolerance=tolerance)

    with spinnaker_session(host=None if virtual else host, virtual=virtual,
                           timestep=timestep, time_scale_factor=time_scale_factor,
                           version=version, report_dir=report_dir, quiet=quiet) as sim:
        populations, _ = instantiate(sim, description, **spinnaker_options(quantization.bounds))
        run_ms = description.n_steps * description.dt * 1e3
        sim.run(run_ms)
        mapping = mapping_report(int(round(run_ms / timestep)))
        data = None
        if not virtual:
            data = decode_recordings(description, read_spikes(populations, description))
    return PushResult(description, mapping, quantization, data, None if virtual else host)
