import nengo
import numpy as np
import pytest

from nbsnn.dashboard.inputs import find_slider_inputs, find_synapse_controls, is_slider_like


class Slider:
    """The duck type that %%snn slider inputs follow."""

    def __init__(self, value, low, high):
        self.value, self.low, self.high = value, low, high

    def __call__(self, t):
        return self.value


def test_constant_and_slider_like_nodes_become_inputs():
    with nengo.Network() as net:
        const = nengo.Node([0.5, -3.0], label="const")
        nengo.Node(Slider(0.2, -0.5, 0.5), size_out=1, label="duck")
        nengo.Node(lambda t: np.sin(t), label="func")
        passthrough = nengo.Node(size_in=1, label="pass")
        nengo.Connection(const[0], passthrough)
    found = find_slider_inputs(net)
    assert [node.label for node, _ in found] == ["const", "duck"]
    (_, c), (_, d) = [pair for pair in found]
    np.testing.assert_array_equal(c.value, [0.5, -3.0])
    assert c.low[1] == -6.0 and c.high[1] == 6.0
    assert (d.low[0], d.high[0], d.value[0]) == (-0.5, 0.5, 0.2)
    assert const.output is c
    c.set(0, 10.0)  # clipped to the range
    np.testing.assert_array_equal(c(0.0), [6.0, -3.0])
    c.reset()
    np.testing.assert_array_equal(c(0.0), [0.5, -3.0])
    assert is_slider_like(Slider(0, 0, 1)) and not is_slider_like(np.zeros(1))


def test_scalar_slider_drives_every_output():
    with nengo.Network() as net:
        nengo.Node(Slider(0.25, -1.0, 1.0), size_out=3, label="wide")
    [(_, slider)] = find_slider_inputs(net)
    np.testing.assert_array_equal(slider(0.0), [0.25, 0.25, 0.25])
    assert slider.dimensions == 3


def test_slider_with_wrong_size_is_rejected():
    with nengo.Network() as net:
        nengo.Node(Slider([0.0, 0.0], -1, 1), size_out=3, label="bad")
    with pytest.raises(ValueError, match="'bad' has 2 values"):
        find_slider_inputs(net)


def test_synapse_controls_recurrent_first_and_rebuild_value(integrator):
    controls = find_synapse_controls(integrator)
    assert [c.label for c in controls] == ["τ integrator→integrator", "τ stim→integrator"]
    controls[0].set(0.02)
    assert integrator.all_connections[1].synapse == nengo.Lowpass(0.02)
    assert controls[0].tau == 0.02
    with pytest.raises(ValueError, match="tau must be >= 0"):
        controls[0].set(-1)
