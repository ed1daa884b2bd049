"""Virtual-board mapping with sPyNNaker: mapping report and fixed-point weights."""

import warnings

import numpy as np
import pytest
from spinnaker_seed_networks import communication_channel

from nbsnn.spinnaker import QuantizationWarning, export, push
from nbsnn.spinnaker.board import spinnaker_session
from nbsnn.spinnaker.push import spinnaker_options
from nbsnn.spinnaker.pynn import instantiate
from nbsnn.spinnaker.quantize import (
    check_quantization,
    quantize_weights,
    ring_buffer_shift,
    summed_weight_bounds,
)


def test_virtual_push_reports_plausible_mapping():
    net = communication_channel()
    result = push(net, virtual=True, duration=0.2)
    mapping = result.mapping
    assert result.virtual and result.data is None
    # every population's atoms are placed exactly once on neuron/source cores
    sizes = {p.label: p.size for p in result.description.populations}
    assert {k: sum(v) for k, v in mapping.neurons_per_core.items()} == sizes
    assert all(n <= 256 for v in mapping.neurons_per_core.values() for n in v)
    assert mapping.n_cores >= len(sizes)
    assert 1 <= len(mapping.chips) <= mapping.n_chips_machine == 48
    assert mapping.system_cores > 0
    # stim->a and a->b each need a route: at least one entry per source population
    assert mapping.n_routing_entries >= 2
    sdram = mapping.sdram_per_core()
    assert len(sdram) == mapping.n_cores
    assert all(0 < b < 128 * 2**20 for b in sdram.values())
    assert mapping.n_timesteps == 2000
    assert "application cores" in str(result)


def test_fixed_point_model_matches_toolchain():
    net = communication_channel()
    description = export(net, 0.1)
    bounds = summed_weight_bounds(description)
    with spinnaker_session(virtual=True, timestep=0.1) as sim:
        _, projections = instantiate(sim, description, **spinnaker_options(bounds))
        sim.run(100.0)
        stored = {label: np.array(proj.get("weight", format="list"))
                  for label, proj in projections.items()}
    for spec in description.projections:
        shift = ring_buffer_shift(bounds[spec.post][spec.receptor_type == "inhibitory"])
        got = stored[spec.label]
        order = np.lexsort((spec.post_index, spec.pre_index))
        got = got[np.lexsort((got[:, 1], got[:, 0]))]
        expected = np.abs(quantize_weights(spec.weights[order], shift))
        assert np.allclose(np.abs(got[:, 2]), expected, rtol=0, atol=1e-9), spec.label


def test_quantization_warning_names_connection():
    net = communication_channel()
    description = export(net, 0.1)
    with warnings.catch_warnings():
        warnings.simplefilter("error", QuantizationWarning)
        report = check_quantization(description, tolerance=0.05)
    assert 0 < report.worst_value_error < 0.05
    conn = net.all_connections[1]
    with pytest.warns(QuantizationWarning, match=str(conn).replace("(", r"\(").replace(")", r"\)")):
        check_quantization(description, tolerance=report.worst_value_error / 2)
