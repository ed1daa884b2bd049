"""SpiNNaker fixed-point weights: ring-buffer shifts, quantisation and its effect.

sPyNNaker stores a synaptic weight as an unsigned 16-bit integer per synapse.  For
each post population and receptor it picks a left shift ``s`` so that the largest
expected sum of weights arriving in one time step fits the ring buffer; a weight
``w`` (nA) is then stored as ``rint(|w| * 2**(15 - s))``, so the resolution is
``2**(s - 15)`` nA.  Currents and voltages are s16.15 fixed point (resolution
``2**-15``).

nbsnn passes its own bound on the summed weight (``max_expected_summed_weight``)
instead of the toolchain's Poisson estimate, because NEF neurons fire far above
the toolchain's default expected rate: the bound is the smaller of the sum of all
weights into a neuron and a Poisson mean + 6 sigma with every pre cell at its
highest rate.
"""

import dataclasses
import math
import warnings
from dataclasses import dataclass
from typing import Dict, List

import numpy as np

from ..exceptions import QuantizationWarning

__all__ = [
    "QuantizationWarning",
    "ProjectionQuantization",
    "QuantizationReport",
    "ring_buffer_shift",
    "quantize_weights",
    "summed_weight_bounds",
    "check_quantization",
    "apply_fixed_point",
]

ACCUM_RESOLUTION = 2.0**-15
"""Resolution of SpiNNaker's s16.15 ``accum`` (currents in nA, voltages in mV)."""


def ring_buffer_shift(max_summed_weight):
    """Return sPyNNaker's ring-buffer left shift for a summed-weight bound (nA).

    Parameters
    ----------
    max_summed_weight : float
        Largest expected sum of weights arriving at one neuron in one step.
    """
    if max_summed_weight <= 0:
        return 0
    power = int(math.ceil(max(0.0, math.log2(max_summed_weight))))
    return power + 1 if 2**power <= max_summed_weight else power


def quantize_weights(weights, shift):
    """Return the weights (nA, signed) as sPyNNaker stores them for ``shift``.

    Parameters
    ----------
    weights : ndarray
        Weights in nA (sign kept, magnitude quantised).
    shift : int
        Ring-buffer left shift of the receptor.
    """
    scale = 2.0 ** (15 - shift)
    magnitude = np.minimum(np.rint(np.abs(weights) * scale), 2**16 - 1) / scale
    return np.sign(weights) * magnitude


def summed_weight_bounds(description):
    """Bound the summed weight per population and receptor (see module docstring).

    Parameters
    ----------
    description : NetworkDescription

    Returns
    -------
    dict
        Population label -> ``[excitatory, inhibitory]`` bounds in nA.
    """
    step = description.timestep * 1e-3
    totals = {}
    for pop in description.populations:
        if pop.cell_type == "SpikeSourceArray":
            continue
        sums = {r: np.zeros(pop.size) for r in ("excitatory", "inhibitory")}
        means = {r: np.zeros(pop.size) for r in sums}
        variances = {r: np.zeros(pop.size) for r in sums}
        for proj in description.projections:
            if proj.post != pop.label:
                continue
            lam = min(1.0, description.population(proj.pre).max_rate * step)
            w = np.abs(proj.weights)
            np.add.at(sums[proj.receptor_type], proj.post_index, w)
            np.add.at(means[proj.receptor_type], proj.post_index, w * lam)
            np.add.at(variances[proj.receptor_type], proj.post_index, w**2 * lam)
        bounds = []
        for r in ("excitatory", "inhibitory"):
            poisson = means[r] + 6.0 * np.sqrt(variances[r])
            bound = np.minimum(sums[r], poisson)
            bounds.append(float(np.max(bound)) if bound.size else 0.0)
        totals[pop.label] = bounds
    return totals


@dataclass
class ProjectionQuantization:
    """Fixed-point figures for one projection.

    Attributes
    ----------
    label, connection
        The projection and the Nengo connection (a `Route`) it implements.
    receptor_type : str
    n_synapses : int
    weight_min, weight_max : float
        Smallest and largest ``|w|`` (nA).
    shift : int
        Ring-buffer left shift of the post population's receptor.
    resolution : float
        Weight resolution (nA).
    zeroed : float
        Fraction of synapses whose weight rounds to zero.
    relative_error : float
        RMS weight error over RMS weight.
    value_error : float
        Estimated change of the value fed into the post ensemble, in units of its
        radius (RMS over post neurons, every pre cell at its highest rate).
    """

    label: str
    connection: object
    receptor_type: str
    n_synapses: int
    weight_min: float
    weight_max: float
    shift: int
    resolution: float
    zeroed: float
    relative_error: float
    value_error: float


@dataclass
class QuantizationReport:
    """Fixed-point check of a whole description.

    Attributes
    ----------
    projections : list of ProjectionQuantization
    bounds : dict
        Population label -> ``[exc, inh]`` summed-weight bounds passed to sPyNNaker.
    shifts : dict
        Population label -> ``[exc, inh]`` ring-buffer shifts.
    i_offset_error : float
        Largest bias-current rounding error (nA).
    tolerance : float
        Value error above which a `QuantizationWarning` was issued.
    """

    projections: List[ProjectionQuantization]
    bounds: Dict[str, List[float]]
    shifts: Dict[str, List[int]]
    i_offset_error: float
    tolerance: float

    @property
    def worst_value_error(self):
        """Largest `ProjectionQuantization.value_error` (0 when there are none)."""
        return max((p.value_error for p in self.projections), default=0.0)

    def to_text(self):
        """Return a plain-text table."""
        lines = [f"{'projection':<40} {'|w| range (nA)':>22} {'shift':>5} {'LSB (nA)':>10} "
                 f"{'zeroed':>7} {'rel.err':>8} {'value err':>9}"]
        for p in self.projections:
            lines.append(
                f"{p.label[:40]:<40} {p.weight_min:>10.4g}..{p.weight_max:<10.4g} {p.shift:>5} "
                f"{p.resolution:>10.3g} {p.zeroed:>7.1%} {p.relative_error:>8.2e} "
                f"{p.value_error:>9.2e}"
            )
        return "\n".join(lines)

    def __str__(self):
        return self.to_text()


def check_quantization(description, tolerance=0.01):
    """Quantise every weight as SpiNNaker would and estimate the effect.

    Parameters
    ----------
    description : NetworkDescription
    tolerance : float
        Warn (`QuantizationWarning`, naming the Nengo connection) when the value
        error of a projection exceeds this fraction of the post radius.

    Returns
    -------
    QuantizationReport
    """
    bounds = summed_weight_bounds(description)
    shifts = {label: [ring_buffer_shift(b) for b in pair] for label, pair in bounds.items()}
    out = []
    for proj in description.projections:
        post = description.population(proj.post)
        pre = description.population(proj.pre)
        shift = shifts[proj.post][0 if proj.receptor_type == "excitatory" else 1]
        quantized = quantize_weights(proj.weights, shift)
        error = quantized - proj.weights
        tau_s = post.parameters["tau_syn_E"] * 1e-3
        # mean current change per post neuron, all pre cells at their top rate
        current = np.zeros(post.size)
        np.add.at(current, proj.post_index, error * pre.max_rate * tau_s)
        value = current / post.input_scale
        w = np.abs(proj.weights)
        item = ProjectionQuantization(
            label=proj.label,
            connection=proj.source,
            receptor_type=proj.receptor_type,
            n_synapses=len(w),
            weight_min=float(w.min()),
            weight_max=float(w.max()),
            shift=shift,
            resolution=2.0 ** (shift - 15),
            zeroed=float(np.mean(quantized == 0)),
            relative_error=float(np.sqrt(np.mean(error**2)) / np.sqrt(np.mean(w**2))),
            value_error=float(np.sqrt(np.mean(value**2))),
        )
        out.append(item)
        if item.value_error > tolerance:
            warnings.warn(
                f"SpiNNaker's 16-bit weights change {proj.source} noticeably: about "
                f"{item.value_error:.3g} of the post radius ({item.zeroed:.0%} of weights "
                f"round to zero, resolution {item.resolution:.3g} nA). Use fewer, larger "
                "weights (fewer pre neurons or larger transforms) or lower firing rates.",
                QuantizationWarning,
                stacklevel=2,
            )
    offsets = [p.parameters["i_offset"] for p in description.populations
               if p.cell_type != "SpikeSourceArray"]
    i_err = max((float(np.max(np.abs(np.rint(o / ACCUM_RESOLUTION) * ACCUM_RESOLUTION - o)))
                 for o in offsets), default=0.0)
    return QuantizationReport(out, bounds, shifts, i_err, tolerance)


def apply_fixed_point(description, report):
    """Return a copy of ``description`` with SpiNNaker's fixed-point values.

    Weights are rounded as `quantize_weights` does with the report's shifts
    (synapses that round to zero are dropped) and bias currents to the s16.15
    grid, so another simulator (NEST) can show what the rounding does to the
    decoded output.

    Parameters
    ----------
    description : NetworkDescription
    report : QuantizationReport
        From `check_quantization` on the same description.
    """
    projections = []
    for proj in description.projections:
        shift = report.shifts[proj.post][0 if proj.receptor_type == "excitatory" else 1]
        weights = quantize_weights(proj.weights, shift)
        keep = weights != 0
        projections.append(dataclasses.replace(
            proj, pre_index=proj.pre_index[keep], post_index=proj.post_index[keep],
            weights=weights[keep]))
    populations = []
    for pop in description.populations:
        if pop.cell_type != "SpikeSourceArray":
            offset = np.rint(pop.parameters["i_offset"] / ACCUM_RESOLUTION) * ACCUM_RESOLUTION
            pop = dataclasses.replace(pop, parameters={**pop.parameters, "i_offset": offset})
        populations.append(pop)
    return dataclasses.replace(description, populations=populations, projections=projections)
