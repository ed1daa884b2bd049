"""The exported PyNN model on NEST decodes to what nbsnn.Simulator computes."""

import numpy as np

from nbsnn.simulator import Simulator
from nbsnn.spinnaker import run_nest

DURATION = 1.2


def test_seed_networks_match_nbsnn(seed_network):
    with Simulator(seed_network, dt=0.001, progress_bar=False) as ref:
        ref.run(DURATION)
    out = run_nest(seed_network, DURATION, model=ref.model, seed=0)
    expected = ref.data[seed_network.out]
    actual = out[seed_network.out]
    assert actual.shape == expected.shape
    assert np.allclose(out.trange(), ref.trange())
    # the reference really moves, so a silent or constant output cannot pass
    assert np.ptp(expected) > 0.5
    # both outputs are spiking estimates filtered at 20 ms; the NEF decoding noise
    # of 80-150 neurons and the grid-vs-interpolated spike timing stay well below 0.1
    rmse = np.sqrt(np.mean((actual - expected) ** 2))
    assert rmse < 0.1, rmse


def test_node_probe_is_host_side_and_exact():
    import nengo

    with nengo.Network(seed=5) as net:
        stim = nengo.Node(lambda t: [t, -t])
        ens = nengo.Ensemble(20, 2)
        nengo.Connection(stim, ens)
        probe = nengo.Probe(stim)
        spikes = nengo.Probe(ens.neurons)
        some = nengo.Probe(ens.neurons[3:7])
    with Simulator(net, progress_bar=False) as ref:
        ref.run(0.2)
    out = run_nest(net, 0.2, model=ref.model)
    assert np.array_equal(out[probe], ref.data[probe])
    # spikes come back in Nengo's units: multiples of 1/dt
    counts = out[spikes] * 0.001
    assert np.allclose(counts, np.round(counts))
    assert counts.sum() > 0
    assert np.array_equal(out[some], out[spikes][:, 3:7])


def test_passthrough_nodes_are_collapsed():
    """Nengo's EnsembleArray routes input and output through passthrough nodes."""
    import nengo

    with nengo.Network(seed=9) as net:
        stim = nengo.Node(lambda t: [np.sin(2 * np.pi * t), np.cos(2 * np.pi * t)])
        array = nengo.networks.EnsembleArray(60, n_ensembles=2)
        post = nengo.Ensemble(120, 2)
        nengo.Connection(stim, array.input)  # the array adds no synapse of its own
        nengo.Connection(array.output, post, transform=[[0, 1], [1, 0]], synapse=0.01)
        probe = nengo.Probe(post, synapse=0.02)
    with Simulator(net, progress_bar=False) as ref:
        ref.run(1.0)
    out = run_nest(net, 1.0, model=ref.model)
    assert np.ptp(ref.data[probe]) > 1.0
    assert np.sqrt(np.mean((out[probe] - ref.data[probe]) ** 2)) < 0.1


def test_fixed_point_weights_on_nest():
    """SpiNNaker's rounding, simulated on NEST, moves the decoded output very little."""
    from spinnaker_seed_networks import square

    from nbsnn.spinnaker import export
    from nbsnn.spinnaker.quantize import apply_fixed_point, check_quantization

    net = square()
    description = export(net, 0.5)
    rounded = apply_fixed_point(description, check_quantization(description))
    changed = [not np.array_equal(a.weights, b.weights)
               for a, b in zip(description.projections, rounded.projections, strict=True)]
    assert any(changed)
    exact = run_nest(net, 0.5, seed=0)[net.out]
    fixed = run_nest(net, 0.5, seed=0, fixed_point=True)[net.out]
    assert not np.array_equal(exact, fixed)  # the rounding does reach the spikes
    assert np.sqrt(np.mean((exact - fixed) ** 2)) < 0.05
