"""Compiler: the networks built from cells, and how they behave when simulated."""

import nengo
import numpy as np
import pytest

from nbsnn.dsl import Expression, SliderInput, SnnNetwork, SnnSyntaxError, compile_cell
from nbsnn.simulator import Simulator

from .cells import CHANNEL, EVERYTHING, INTEGRATOR, ISSUE_EXAMPLE, SQUARING


def run(net, duration, probe):
    with Simulator(net, progress_bar=False) as sim:
        sim.run(duration)
    return sim.trange(), sim.data[probe]


def test_issue_example_builds_the_described_network():
    net = compile_cell(ISSUE_EXAMPLE, label="channel", seed=0)
    assert isinstance(net, SnnNetwork) and isinstance(net, nengo.Network)
    assert net.label == "channel" and net.seed == 0
    assert net.a.n_neurons == 150 and net.b.n_neurons == 100
    assert isinstance(net.a.neuron_type, nengo.LIF)
    assert net.a.max_rates == nengo.dists.Uniform(40, 60)
    stim, = net.nodes
    assert stim is net.stim and isinstance(stim.output, nengo.processes.PresentInput)
    assert np.allclose(stim.output.inputs, [[-1], [0.5]])
    assert stim.output.presentation_time == 0.5
    conns = {(c.pre_obj.label, c.post_obj.label): c for c in net.connections}
    assert set(conns) == {("stim", "a"), ("a", "b"), ("b", "b")}
    square = conns[("a", "b")]
    assert isinstance(square.function, Expression)
    assert np.allclose(square.function(np.array([0.7])), [0.49])
    assert square.synapse == nengo.Lowpass(0.005)
    assert conns[("b", "b")].synapse == nengo.Lowpass(0.1)
    assert net.b_probe.target is net.b and net.b_probe.synapse == nengo.Lowpass(0.01)


def test_everything_cell_builds_each_kind_of_object():
    net = compile_cell(EVERYTHING, seed=1)
    assert isinstance(net.wave.output, Expression)
    assert np.isclose(net.wave.output(0.25), 1.1)
    assert net.pair.size_out == 2
    assert isinstance(net.noise.output, nengo.processes.WhiteSignal)
    assert (net.noise.output.high, net.noise.output.rms) == (5, 0.3)
    assert isinstance(net.knob.output, SliderInput) and net.knob.output.value == 0.25
    assert np.allclose(net.hold.output, [0.3])
    assert isinstance(net.jumps.output, nengo.processes.Piecewise)
    assert net.a.intercepts == nengo.dists.Uniform(-0.5, 0.5)
    assert (net.a.radius, net.a.seed, net.b.dimensions) == (2, 1, 2)
    assert isinstance(net.b.neuron_type, nengo.LIFRate)
    assert isinstance(net.c.neuron_type, nengo.Izhikevich)
    assert (net.d.neuron_type.tau_rc, net.d.neuron_type.tau_ref) == (0.03, 0.001)
    assert isinstance(net.r.neuron_type, nengo.RectifiedLinear)
    assert isinstance(net.arr, nengo.networks.EnsembleArray) and net.arr.n_ensembles == 3
    assert net.sub.inner.n_neurons == 40 and net.sub.inner_probe.target is net.sub.inner
    inner_conn, = net.sub.connections
    assert inner_conn.pre_obj is net.a and inner_conn.synapse == nengo.Alpha(0.01)
    weights = [c for c in net.connections if isinstance(c.pre_obj, nengo.ensemble.Neurons)]
    assert weights[0].transform.init == nengo.dists.Uniform(-0.01, 0.01)
    assert weights[0].transform.shape == (60, 150)
    assert isinstance(net.learned.learning_rule_type, nengo.PES)
    assert net.learned.learning_rule_type.learning_rate == 2e-4
    error_conn, = [c for c in net.connections
                   if getattr(c.post_obj, "connection", None) is net.learned]
    assert error_conn.pre_obj is net.err
    assert net.learned_weights.attr == "weights"
    assert net.learned_weights.sample_every == 0.01
    assert net.a_spikes.target.ensemble is net.a and net.a_spikes.attr == "output"
    assert net.c_voltage.attr == "voltage"
    assert net.b_rates.target.ensemble is net.b and net.b_rates.attr == "output"
    assert net.spy.target is net.sub.inner and net.spy.synapse == nengo.Lowpass(0.005)
    unsynapsed = [c for c in net.connections if c.synapse is None]
    assert unsynapsed[0].post is not None and unsynapsed[0].post.obj is net.b
    with Simulator(net, progress_bar=False) as sim:
        sim.run(0.05)
    assert sim.data[net.a_spikes].shape == (50, 150)


def test_communication_channel_passes_its_input():
    net = compile_cell(CHANNEL, seed=2)
    t, b = run(net, 0.5, net.b_probe)
    assert abs(b[t > 0.3].mean() - 0.5) < 0.1


def test_squaring_network_squares():
    net = compile_cell(SQUARING, seed=3)
    t, b = run(net, 0.5, net.b_probe)
    assert abs(b[t > 0.3].mean() - 0.36) < 0.1


def test_integrator_integrates_and_holds():
    net = compile_cell(INTEGRATOR, seed=4)
    t, a = run(net, 0.6, net.a_probe)
    assert abs(a[np.searchsorted(t, 0.15)][0] - 0.15) < 0.1
    held = a[t > 0.45]
    assert abs(held.mean() - 0.3) < 0.12
    assert np.ptp(held) < 0.1


PES_CELL = """
stim = input sin(2*pi*t)
pre = ensemble 60 LIF
post = ensemble 60 LIF
err = ensemble 60 LIF
stim -> pre
pre -> post : 0 {learn}
post -> err
stim -> err transform=-1
probe err synapse=20ms
"""


def test_pes_learning_reduces_the_error():
    errors = []
    for learn in ("learn=pes(err, rate=1e-3)", ""):
        net = compile_cell(PES_CELL.format(learn=learn), seed=5)
        t, err = run(net, 1.0, net.err_probe)
        errors.append(np.abs(err[t > 0.5]).mean())
    learned, fixed = errors
    assert fixed > 0.4
    assert learned < 0.5 * fixed


def test_slider_value_drives_the_node_while_running():
    net = compile_cell("knob = input slider(-1, 1)\nprobe knob synapse=none")
    slider = net.knob.output
    with Simulator(net, progress_bar=False) as sim:
        sim.run(0.01)
        slider.value = 0.75
        sim.run(0.01)
    data = sim.data[net.knob_probe][:, 0]
    assert np.all(data[:9] == 0) and np.all(data[-9:] == 0.75)


def test_slider_rejects_values_out_of_range():
    from nbsnn.dsl import SliderRangeError

    slider = SliderInput(-1, 1)
    with pytest.raises(SliderRangeError):
        slider.value = 2
    with pytest.raises(ValueError):
        SliderInput(1, -1)


def test_nested_names_and_outer_references():
    net = compile_cell("""
a = ensemble 10 LIF
outer = network:
    inner = network:
        e = ensemble 10 LIF
        a -> e
    f = ensemble 10 LIF
    inner.e -> f
probe outer.inner.e
""")
    assert net.outer.inner.e.n_neurons == 10
    assert net.outer.inner.connections[0].pre_obj is net.a
    assert net.outer.connections[0].pre_obj is net.outer.inner.e
    assert net.outer_inner_e_probe.target is net.outer.inner.e


def test_probe_names_do_not_collide():
    net = compile_cell("a = ensemble 5 LIF\nprobe a\nprobe a synapse=10ms")
    assert net.a_probe.synapse is None
    assert net.a_probe_2.synapse == nengo.Lowpass(0.01)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("a = ensemble 5 LIF dims=2\nb = ensemble 5 LIF\na -> b", "has 2 dimension(s)"),
        ("a = ensemble 5 LIF\nb = ensemble 5 LIF\na -> b : [x, x]", "gives 2 value(s)"),
        ("a = ensemble 5 LIF\na -> a : x[4]", "cannot evaluate 'x[4]'"),
        ("a = ensemble 5 LIF\na -> c", "unknown name 'c'"),
        ("a = ensemble 5 LIF\nprobe a voltage\nprobe a.neurons voltage", None),
        ("r = ensemble 5 ReLU\nprobe r voltage", "have no voltage"),
        ("r = ensemble 5 LIFRate\nprobe r spikes", "do not spike"),
        ("r = ensemble 5 LIF\nprobe r rates", "neurons spike"),
        ("r = ensemble 5 LIF\nprobe r.neurons", "say what to record"),
        ("_config = ensemble 5 LIF", "cannot start with '_'"),
        ("a = ensemble 5 LIF rates=60..40", "low < high"),
        ("a = ensemble 5 LIF\na -> a synapse=5Hz", "expected a synapse time constant"),
        ("a = ensemble 5 LIF\na -> a learn=pez(a)", "unknown learning rule"),
        ("s = input white(5ms)", "expected a cutoff frequency"),
        ("s = input slider(1, -1)", "low < high"),
        ("s = input step(1, 2)", "exactly one of every= or at="),
        ("s = input piecewise(1, 2)", "'time: value' pairs"),
        ("a = ensemble 5 LIF\nsub = network:\n    b = ensemble 5 LIF\nsub -> a",
         "is a subnetwork"),
        ("a = ensemble 5 LIF\na[7] -> a", "out of range"),
        ("a = ensemble 5 LIF\nc = a -> a\nc -> a", "is a connection"),
        ("a = ensemble 5 LIF(tau_rcc=1)", "unknown option 'tau_rcc'"),
    ],
)
def test_semantic_errors_are_located(text, fragment):
    if fragment is None:
        net = compile_cell(text)
        assert net.a_voltage.target.ensemble is net.a
        assert net.a_voltage_2.target.ensemble is net.a
        return
    with pytest.raises(SnnSyntaxError) as info:
        compile_cell(text)
    assert fragment in info.value.message, str(info.value)
    assert info.value.line >= 1 and info.value.text


def test_compile_never_evaluates_python():
    with pytest.raises(SnnSyntaxError):
        compile_cell('s = input __import__("os").system("true")')
    with pytest.raises(SnnSyntaxError):
        compile_cell("s = input (lambda: 1)()")
    with pytest.raises(SnnSyntaxError):
        compile_cell("a = ensemble 5 LIF\na -> a : x.__class__")


def test_summary_bundle_for_the_lab_extension():
    """The JSON summary card lists the cell's objects (schema of labextension/src/mime.ts)."""
    from nbsnn.dsl import compile_cell as compile_cell
    from nbsnn.dsl.network import SUMMARY_MIME

    net = compile_cell(
        "stim = input sin(t)\na = ensemble 50 LIF\nb = ensemble 40 LIF\n"
        "stim -> a\na -> b : x**2\nprobe b\n",
        "channel",
    )
    bundle = net._repr_mimebundle_()
    card = bundle[SUMMARY_MIME]
    assert {"text/html", "text/plain"} <= set(bundle)
    assert card["version"] == 1 and card["label"] == "channel"
    assert [p["name"] for p in card["populations"]] == ["stim", "a", "b"]
    assert card["totals"] == {"ensembles": 2, "neurons": 90, "connections": 2, "probes": 1}
    assert {(c["pre"], c["post"]) for c in card["connections"]} == {("stim", "a"), ("a", "b")}
    assert card["probes"][0]["target"] == "b"
