"""Mapping report for SpiNNaker, read from the toolchain's own mapping results."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Dict, List, Tuple

__all__ = ["CoreUse", "MappingReport", "mapping_report"]


@dataclass
class CoreUse:
    """One placed core.

    Attributes
    ----------
    chip : tuple of int
        ``(x, y)`` of the chip.
    core : int
        Processor number on the chip.
    population : str
        Label of the population (application vertex) it runs a part of.
    kind : str
        Machine vertex class (neurons, synapses, spike source, ...).
    n_atoms : int
        Neurons (or spike sources) on this core.
    sdram : int
        SDRAM bytes the core needs for this run.
    """

    chip: Tuple[int, int]
    core: int
    population: str
    kind: str
    n_atoms: int
    sdram: int


@dataclass
class MappingReport:
    """Where the toolchain put a network.

    Attributes
    ----------
    cores : list of CoreUse
        Application cores (system cores such as monitors are counted apart).
    system_cores : int
        Cores used by the toolchain itself (monitors, gatherers).
    routing_entries : dict
        ``(x, y)`` -> multicast routing entries on that chip (before compression).
    n_chips_machine : int
        Chips of the (virtual) machine.
    n_timesteps : int
        Time steps the SDRAM figures were computed for.
    report_dir : str
        Folder with the toolchain's own report files for this run.
    """

    cores: List[CoreUse]
    system_cores: int
    routing_entries: Dict[Tuple[int, int], int]
    n_chips_machine: int
    n_timesteps: int
    report_dir: str = ""
    neurons_per_core: Dict[str, List[int]] = field(default_factory=dict)

    @property
    def n_cores(self):
        """Number of application cores."""
        return len(self.cores)

    @property
    def chips(self):
        """Sorted chips that hold application cores."""
        return sorted({c.chip for c in self.cores})

    @property
    def n_routing_entries(self):
        """Total multicast routing entries."""
        return sum(self.routing_entries.values())

    def sdram_per_core(self):
        """Return ``{(x, y, p): bytes}`` for the application cores."""
        return {(c.chip[0], c.chip[1], c.core): c.sdram for c in self.cores}

    def to_text(self):
        """Return a plain-text summary table."""
        lines = [
            f"{self.n_cores} application cores on {len(self.chips)} chip(s) "
            f"(+{self.system_cores} system cores; machine has {self.n_chips_machine} chips), "
            f"{self.n_routing_entries} routing entries, {self.n_timesteps} time steps",
            f"{'chip':>8} {'core':>4}  {'population':<28} {'kind':<36} {'atoms':>5} "
            f"{'SDRAM (B)':>10}",
        ]
        for c in self.cores:
            lines.append(
                f"{str(c.chip):>8} {c.core:>4}  {c.population[:28]:<28} {c.kind[:36]:<36} "
                f"{c.n_atoms:>5} {c.sdram:>10}"
            )
        return "\n".join(lines)

    def __str__(self):
        return self.to_text()


def mapping_report(n_timesteps):
    """Read placements, routing tables and SDRAM from the finished mapping.

    Call after ``sim.run`` and before ``sim.end`` in a ``pyNN.spiNNaker`` session.

    Parameters
    ----------
    n_timesteps : int
        Time steps of the run (SDRAM for recordings grows with it).

    Returns
    -------
    MappingReport
    """
    from spinn_front_end_common.data import FecDataView

    cores, system = [], 0
    per_pop = defaultdict(list)
    for placement in FecDataView.iterate_placemements():
        vertex = placement.vertex
        if vertex.app_vertex is None or vertex.app_vertex.label is None:
            system += 1
            continue
        kind = type(vertex).__name__
        n_atoms = int(vertex.vertex_slice.n_atoms)
        label = vertex.app_vertex.label
        cores.append(
            CoreUse(
                chip=(placement.x, placement.y),
                core=placement.p,
                population=label,
                kind=kind,
                n_atoms=n_atoms,
                sdram=int(vertex.sdram_required.get_total_sdram(n_timesteps)),
            )
        )
        if "Synapses" not in kind:
            per_pop[label].append(n_atoms)
    cores.sort(key=lambda c: (c.chip, c.core))
    tables = FecDataView.get_uncompressed()
    routing = {(t.x, t.y): int(t.number_of_entries) for t in tables.routing_tables}
    return MappingReport(
        cores=cores,
        system_cores=system,
        routing_entries=routing,
        n_chips_machine=FecDataView.get_machine().n_chips,
        n_timesteps=int(n_timesteps),
        report_dir=str(FecDataView.get_run_dir_path()),
        neurons_per_core=dict(per_pop),
    )
