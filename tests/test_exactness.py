"""nbsnn.Simulator gives nengo.Simulator's numbers, in compiled code."""

import nengo
import numpy as np
import pytest

from nbsnn.backend.builder import NumbaBuilder
from nbsnn.backend.builders.neurons import NEURON_KERNELS, STOCHASTIC_KERNELS
from nbsnn.backend.builders.processes import _lti_kind
from nbsnn.kernels import synapses as synapse_kernels
from nbsnn.neurons import QCFSRate

#: Instances to test per neuron type with a kernel; a type not listed here is
#: tested with its default instance, so adding a kernel to the registry tests it.
NEURON_EXAMPLES = {
    nengo.LIF: [nengo.LIF(), nengo.LIF(min_voltage=-1, amplitude=0.5)],
    nengo.RegularSpiking: [nengo.RegularSpiking(nengo.LIFRate()),
                           nengo.RegularSpiking(nengo.Tanh())],
    nengo.StochasticSpiking: [nengo.StochasticSpiking(nengo.LIFRate()),
                              nengo.StochasticSpiking(nengo.Tanh())],
    nengo.PoissonSpiking: [nengo.PoissonSpiking(nengo.LIFRate()),
                           nengo.PoissonSpiking(nengo.Tanh())],
}
#: Ensemble arguments for types whose rates Nengo cannot fit to default max_rates.
ENSEMBLE_ARGS = {
    QCFSRate: dict(gain=nengo.dists.Uniform(0.5, 2), bias=nengo.dists.Uniform(-1, 1)),
}
NEURON_TYPES = [
    example
    for neuron_cls in [*NEURON_KERNELS, *STOCHASTIC_KERNELS]
    for example in NEURON_EXAMPLES.get(neuron_cls) or [neuron_cls()]
]

#: Synapses covering every kind of LTI kernel (`nbsnn.kernels.synapses`) and Triangle.
SYNAPSES = [
    None, nengo.Lowpass(0), nengo.Lowpass(0.005), nengo.Alpha(0.01), nengo.Triangle(0.01),
    nengo.LinearFilter([1], [0.001, 0.05, 1]),  # second order, no passthrough
    nengo.LinearFilter([0.5, 1], [0.01, 1]),  # with passthrough
]


def _ensemble_net(neuron_type, seed=1):
    kw = ENSEMBLE_ARGS.get(type(neuron_type), {})
    with nengo.Network(seed=seed) as net:
        stim = nengo.Node(lambda t: np.sin(8 * t))
        a = nengo.Ensemble(50, 1, neuron_type=neuron_type, **kw)
        b = nengo.Ensemble(40, 2, neuron_type=neuron_type, **kw)
        nengo.Connection(stim, a)
        nengo.Connection(a, b, function=lambda x: [x, x**2], synapse=0.01)
        nengo.Probe(b, synapse=0.02)
        nengo.Probe(a.neurons)
        for name in neuron_type.state:
            nengo.Probe(a.neurons, name)
    return net


@pytest.mark.parametrize("neuron_type", NEURON_TYPES, ids=repr)
def test_neuron_types(neuron_type, compare):
    # Nengo's optimizer merges stochastic populations in an order that varies
    # between builds (nengo.Simulator disagrees with itself), so compare unmerged.
    stochastic = isinstance(neuron_type, (nengo.StochasticSpiking, nengo.PoissonSpiking))
    compare(_ensemble_net(neuron_type), 0.3, optimize=not stochastic)


def test_synapse_examples_cover_every_lti_kernel():
    kinds = {name: getattr(synapse_kernels, name)
             for name in ("NO_X", "ONE_X", "NO_D", "GENERAL")}
    covered = {_lti_kind(s, 0.001, np.zeros((s._get_ss(0.001)[0].shape[0], 1)))[0]
               for s in SYNAPSES if isinstance(s, nengo.LinearFilter)
               and not isinstance(s, nengo.Triangle)}
    assert covered == set(kinds.values()), kinds


@pytest.mark.parametrize("synapse", SYNAPSES, ids=repr)
def test_synapses(synapse, compare):
    with nengo.Network(seed=2) as net:
        stim = nengo.Node(lambda t: [np.sin(10 * t), np.cos(7 * t)])
        a = nengo.Ensemble(60, 2)
        nengo.Connection(stim, a, synapse=synapse)
        nengo.Probe(a, synapse=synapse)
        nengo.Probe(stim, synapse=synapse)
    compare(net, 0.2)


def test_sparse_and_dense_transforms(compare):
    with nengo.Network(seed=3) as net:
        stim = nengo.Node(lambda t: [np.sin(5 * t), t, 0.5])
        a = nengo.Ensemble(30, 3)
        b = nengo.Ensemble(30, 1)
        nengo.Connection(stim, a, transform=np.array([[1, 0.5, 0], [0, 1, 0], [0.2, 0, 1]]))
        sparse = nengo.transforms.Sparse((30, 30), indices=[[0, 1], [5, 7], [29, 0]],
                                         init=[0.3, -0.2, 0.1])
        nengo.Connection(a.neurons, b.neurons, transform=sparse)
        nengo.Connection(a.neurons, b.neurons, transform=np.full((30, 30), -1e-4))
        nengo.Connection(a[1], b, transform=2.0)
        nengo.Probe(b, synapse=0.01)
        nengo.Probe(b.neurons)
    compare(net, 0.2)


@pytest.mark.parametrize("channels_last", [True, False])
@pytest.mark.parametrize("padding", ["same", "valid"])
@pytest.mark.parametrize("strides", [(1, 1), (2, 2)])
def test_convolution(channels_last, padding, strides, compare):
    shape = (5, 6, 2) if channels_last else (2, 5, 6)
    conv = nengo.Convolution(3, shape, kernel_size=(3, 2), strides=strides,
                             padding=padding, channels_last=channels_last,
                             init=nengo.dists.Uniform(-1, 1))
    with nengo.Network(seed=4) as net:
        x = nengo.Node(np.linspace(-1, 1, conv.size_in) * 0.5 + 0.1)
        y = nengo.Node(size_in=conv.size_out)
        nengo.Connection(x, y, transform=conv, synapse=None)
        nengo.Probe(y)
    compare(net, 0.005)


def test_convolution_1d_grouped_and_transpose(compare):
    conv1 = nengo.Convolution(4, (7, 2), kernel_size=(3,), strides=(1,), padding="same",
                              init=nengo.dists.Uniform(-1, 1))
    grouped = nengo.Convolution(4, (4, 4, 4), kernel_size=(3, 3), groups=2,
                                init=nengo.dists.Uniform(-1, 1))
    transpose = nengo.ConvolutionTranspose(3, (3, 3, 2), kernel_size=(3, 3), strides=(2, 2),
                                           padding="same", init=nengo.dists.Uniform(-1, 1))
    with nengo.Network(seed=5) as net:
        for conv in (conv1, grouped, transpose):
            x = nengo.Node(np.sin(np.arange(conv.size_in)))
            y = nengo.Node(size_in=conv.size_out)
            nengo.Connection(x, y, transform=conv, synapse=None)
            nengo.Probe(y)
    compare(net, 0.003)


LEARNING_RULES = [nengo.PES(learning_rate=1e-3), nengo.BCM(learning_rate=1e-9),
                  nengo.Oja(learning_rate=1e-7), nengo.RLS(learning_rate=1e-4)]


def _learning_net(rule):
    with nengo.Network(seed=6) as net:
        stim = nengo.Node(lambda t: np.sin(6 * t))
        a = nengo.Ensemble(40, 1)
        b = nengo.Ensemble(30, 1)
        nengo.Connection(stim, a)
        if isinstance(rule, (nengo.BCM, nengo.Oja)):
            conn = nengo.Connection(a.neurons, b.neurons, transform=np.full((30, 40), 1e-3),
                                    learning_rule_type=rule)
        else:
            conn = nengo.Connection(a, b, learning_rule_type=rule, function=lambda x: 0)
            err = nengo.Node(size_in=1)
            nengo.Connection(b, err)
            nengo.Connection(stim, err, transform=-1)
            nengo.Connection(err, conn.learning_rule)
        nengo.Probe(b, synapse=0.01)
        nengo.Probe(conn, "weights", sample_every=0.01)
    return net


def _voja_net():
    with nengo.Network(seed=7) as net:
        stim = nengo.Node(lambda t: [np.sin(6 * t), np.cos(6 * t)])
        a = nengo.Ensemble(40, 2)
        learning = nengo.Node(lambda t: 1.0 if t < 0.2 else 0.0)
        conn = nengo.Connection(stim, a, learning_rule_type=nengo.Voja(learning_rate=1e-2))
        nengo.Connection(learning, conn.learning_rule, synapse=None)
        nengo.Probe(conn.learning_rule, "scaled_encoders", sample_every=0.02)
        nengo.Probe(a, synapse=0.01)
    return net


@pytest.mark.parametrize("rule", LEARNING_RULES, ids=repr)
def test_learning_rules(rule, compare):
    compare(_learning_net(rule), 0.3)


def test_voja(compare):
    compare(_voja_net(), 0.3)


def test_learning_examples_cover_every_learning_kernel():
    """Each learning-rule operator with a kernel is built by an example above (the
    `nbsnn.learning` rules are compared in tests/learning/test_rules.py)."""
    registered = {cls for cls in NumbaBuilder.builders
                  if cls.__module__ == "nengo.builder.learning_rules"}
    built = set()
    for net in [_learning_net(rule) for rule in LEARNING_RULES] + [_voja_net()]:
        model = nengo.builder.Model()
        model.build(net)
        built |= {type(op) for op in model.operators}
    assert registered and registered <= built, registered - built


@pytest.mark.parametrize(
    "process",
    [nengo.processes.WhiteSignal(1.0, high=10), nengo.processes.WhiteNoise(),
     nengo.processes.FilteredNoise(), nengo.processes.BrownNoise(),
     nengo.processes.PresentInput([[0.1, 0.2], [0.5, -0.3], [0.9, 0.0]], 0.01),
     nengo.processes.Piecewise({0: [0.2, 0.1], 0.05: [-0.3, 0.4]})],
    ids=lambda p: type(p).__name__,
)
def test_processes(process, compare):
    with nengo.Network(seed=8) as net:
        stim = nengo.Node(process, size_out=2)
        a = nengo.Ensemble(30, 2, noise=nengo.processes.WhiteNoise(
            nengo.dists.Gaussian(0, 0.01)))
        nengo.Connection(stim, a)
        nengo.Probe(stim)
        nengo.Probe(a, synapse=0.01)
    compare(net, 0.1)


def test_probe_sample_every_and_synapse(compare):
    with nengo.Network(seed=9) as net:
        stim = nengo.Node(lambda t: np.sin(20 * t))
        a = nengo.Ensemble(20, 1)
        nengo.Connection(stim, a)
        nengo.Probe(a, synapse=0.01, sample_every=0.0025)
        nengo.Probe(a.neurons, "voltage", sample_every=0.003)
        nengo.Probe(stim, sample_every=0.001)
    ref, sim = compare(net, 0.1)
    np.testing.assert_array_equal(sim.trange(sample_every=0.0025), ref.trange(sample_every=0.0025))


def test_direct_mode_and_python_nodes(compare):
    with nengo.Network(seed=10) as net:
        stim = nengo.Node(lambda t: [np.sin(t * 10), 0.3])
        d = nengo.Ensemble(1, 2, neuron_type=nengo.Direct())
        sink = nengo.Node(lambda t, x: x * 2, size_in=2)
        a = nengo.Ensemble(20, 1)
        nengo.Connection(stim, d)
        nengo.Connection(d, sink, function=lambda x: [x[0] * x[1], x[0] ** 2])
        nengo.Connection(sink[0], a)
        nengo.Probe(sink)
        nengo.Probe(a, synapse=0.01)
    import nbsnn
    from nbsnn.exceptions import PerformanceWarning
    from tests.conftest import assert_same_probes

    compare(net, 0.1)  # Direct-mode functions and Node functions are compiled
    with pytest.warns(PerformanceWarning):
        sim = nbsnn.Simulator(net, progress_bar=False, compile_nodes=False)
    with sim:  # the same functions in Python, between compiled segments
        sim.run(0.1)
        assert len(sim.python_ops) == 3
    assert_same_probes(compare(net, 0.1)[1], sim, rtol=0, atol=0)


def test_stochastic_neurons_continue_their_stream_after_reset():
    """Nengo keeps a stochastic population's RandomState across reset; so do we."""
    import nbsnn

    net = _ensemble_net(nengo.PoissonSpiking(nengo.LIFRate()))
    probe = net.probes[1]
    with nengo.Simulator(net, progress_bar=False, optimize=False) as ref, nbsnn.Simulator(
        net, progress_bar=False, optimize=False
    ) as sim:
        for s in (ref, sim):
            s.run(0.05)
            s.reset()
            s.run(0.05)
        np.testing.assert_array_equal(sim.data[probe], ref.data[probe])


def test_large_dense_products_use_blas_and_match(compare):
    """Big matrix-vector products (BLAS) and spike-sparse ones (nonzero inputs only)."""
    rng = np.random.RandomState(0)
    with nengo.Network(seed=11) as net:
        stim = nengo.Node(lambda t: np.sin(np.arange(1, 9) * t))
        a = nengo.Ensemble(200, 8, neuron_type=nengo.RectifiedLinear())  # dense activity
        s = nengo.Ensemble(200, 8)  # spiking: mostly-zero activity
        b = nengo.Ensemble(150, 1)
        nengo.Connection(stim, a)
        nengo.Connection(stim, s)
        nengo.Connection(a.neurons, b.neurons, transform=rng.randn(150, 200) * 1e-3)
        nengo.Connection(s.neurons, b.neurons, transform=rng.randn(150, 200) * 1e-4)
        nengo.Probe(b.neurons, "voltage")
        nengo.Probe(b, synapse=0.01)
    compare(net, 0.2)



@pytest.mark.parametrize("neuron_type", [
    nengo.LIF(), nengo.AdaptiveLIF(), nengo.LIFRate(), nengo.AdaptiveLIFRate(),
    nengo.Sigmoid(), nengo.Tanh(),
], ids=repr)
def test_transcendental_neurons_are_bit_identical(neuron_type):
    """expm1/log1p/exp/tanh come from NumPy's own loops, so the outputs and states of
    neurons with an exactly computed input (one 1-D encoder) equal Nengo's bit for bit."""
    from tests.conftest import run_both

    with nengo.Network(seed=2) as net:
        stim = nengo.Node(lambda t: np.sin(8 * t))
        a = nengo.Ensemble(3000, 1, neuron_type=neuron_type)
        nengo.Connection(stim, a)
        probes = [nengo.Probe(a.neurons)]
        probes += [nengo.Probe(a.neurons, name) for name in neuron_type.state]
    ref, sim = run_both(net, 0.3)
    for probe in probes:
        np.testing.assert_array_equal(sim.data[probe], ref.data[probe], err_msg=str(probe))


@pytest.mark.parametrize("learned", [False, True])
def test_decoders_of_large_spiking_ensembles(learned, compare):
    """Wide decoder blocks visit only spiking neurons: constant ones through a
    column-major copy, learned ones (PES) row by row."""
    with nengo.Network(seed=7) as net:
        stim = nengo.Node(lambda t: [np.sin(5 * t), np.cos(3 * t)])
        a, b, c = (nengo.Ensemble(n, 2) for n in (300, 200, 200))
        nengo.Connection(stim, a)
        nengo.Connection(a, b, function=lambda x: [x[0] * x[1], x[0] ** 2])
        conn = nengo.Connection(
            b, c, learning_rule_type=nengo.PES(1e-4) if learned else None)
        if learned:
            nengo.Connection(c, conn.learning_rule)
            nengo.Probe(conn, "weights", sample_every=0.01)
        nengo.Probe(c, synapse=0.01)
    for _ in range(20):  # Nengo's optimizer merges decoders into blocks only sometimes
        ref, sim = compare(net, 0.3)
        wide = [op.A.readonly for op in sim._step_order
                if type(op).__name__ == "BsrDotInc" and op.A.shape[2] >= 64]
        if wide:
            break
    assert wide and all(readonly != learned for readonly in wide)
