"""QCFS layers (Bu et al. 2022): training behaviour, exact conversion, IF correspondence."""

import keras
import nengo
import numpy as np
import pytest
import tensorflow as tf

from nbsnn.convert import (
    QCFS,
    ConversionError,
    Converter,
    evaluate,
    run_batches,
    to_qcfs,
)
from nbsnn.neurons import IntegrateAndFire, QCFSRate
from nbsnn.simulator import Simulator

from .conftest import randomize

L = keras.layers
SPIKING = {"qcfs": IntegrateAndFire()}


def qcfs_reference(x, theta, levels, shift=0.5):
    """Bu et al.'s QCFS in NumPy (float64)."""
    return theta / levels * np.clip(np.floor(x * levels / theta + shift), 0, levels)


def away_from_levels(x, theta, levels, shift=0.5, margin=1e-3):
    """Where ``x`` lies more than ``margin`` from a level boundary (so that rounding,
    e.g. float32 against float64, cannot move it across)."""
    z = x * levels / theta + shift
    return np.abs(z - np.round(z)) > margin


def test_forward_is_qcfs_and_gradient_is_straight_through():
    layer = QCFS(levels=4, threshold=2.0)
    x = tf.constant(np.linspace(-1, 3, 41, dtype=np.float32))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = layer(x)
    np.testing.assert_allclose(y.numpy(), qcfs_reference(x.numpy(), 2.0, 4), atol=1e-6)
    dx = tape.gradient(y, x).numpy()
    inside = (x.numpy() * 4 / 2 + 0.5 > 0) & (x.numpy() * 4 / 2 + 0.5 < 4)
    np.testing.assert_array_equal(dx, np.where(inside, 1.0, 0.0))
    # threshold: d/dtheta (theta / L * z) with z = x L / theta + shift inside the clip
    dtheta = tape.gradient(y, layer.threshold).numpy()
    q = np.clip(np.floor(x.numpy() * 2 + 0.5), 0, 4)
    expected = np.where(inside, q / 4 - x.numpy() / 2, q / 4).sum()
    np.testing.assert_allclose(dtheta, expected, rtol=1e-5)


def test_per_channel_threshold_and_saving(tmp_path):
    model = keras.Sequential([keras.Input((3, 5)), QCFS(levels=3, threshold=0.7,
                                                        per_channel=True, name="q")])
    assert model.get_layer("q").threshold.shape == (5,)
    model.get_layer("q").threshold.assign(np.linspace(0.5, 2.5, 5).astype("float32"))
    x = np.random.RandomState(0).uniform(-1, 3, (4, 3, 5)).astype("float32")
    expected = qcfs_reference(x, np.linspace(0.5, 2.5, 5), 3)
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, atol=1e-6)
    model.save(tmp_path / "q.keras")
    loaded = keras.models.load_model(tmp_path / "q.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), expected, atol=1e-6)


@pytest.mark.parametrize("levels, shift", [(1, 0.5), (4, 0.5), (8, 0.5), (5, 0.25)])
@pytest.mark.parametrize("simulator", [nengo.Simulator, Simulator])
def test_if_spike_count_over_levels_steps_is_qcfs_times_levels_over_theta(
        levels, shift, simulator):
    """Constant input x, threshold theta, initial membrane shift * theta: T = L steps
    give clip(floor(x L / theta + shift), 0, L) = QCFS(x) * L / theta spikes."""
    theta, dt = 1.7, 0.001
    x = np.random.RandomState(levels).uniform(-1, 2.5, 300)
    x = x[away_from_levels(x, theta, levels, shift, margin=1e-6)]
    with nengo.Network() as net:
        ens = nengo.Ensemble(x.size, 1, neuron_type=IntegrateAndFire(
            amplitude=dt, initial_state={"voltage": np.full(x.size, shift)}),
            gain=np.ones(x.size), bias=x / (theta * dt), encoders=np.ones((x.size, 1)))
        probe = nengo.Probe(ens.neurons)
    with simulator(net, dt=dt, progress_bar=False) as sim:
        sim.run_steps(levels)
    counts = sim.data[probe].sum(axis=0)  # amplitude dt: output 1 per spike
    np.testing.assert_array_equal(counts, np.clip(np.floor(x * levels / theta + shift),
                                                  0, levels))
    np.testing.assert_allclose(counts, qcfs_reference(x, theta, levels, shift) * levels
                               / theta, atol=1e-12)


def test_if_differs_from_spiking_rectified_linear():
    """The IF lets negative input cancel earlier excess and fires once per step."""
    v, out, counts = np.array([0.0]), np.zeros(1), []
    for j in (1500.0, -800.0, 3000.0):  # voltage 1.5 -> 0.5, -0.3, 2.7 -> 1.7
        IntegrateAndFire(amplitude=0.001).step(0.001, np.array([j]), out, v)
        counts.append(out[0])
    assert counts == [1.0, 0.0, 1.0] and np.isclose(v[0], 1.7)
    v, out, counts = np.array([0.0]), np.zeros(1), []
    for j in (1500.0, -800.0, 3000.0):  # input rectified: 1.5 -> 0.5, 0.5, 3.5 -> 0.5
        nengo.SpikingRectifiedLinear(amplitude=0.001).step(0.001, np.array([j]), out, v)
        counts.append(out[0])
    assert counts == [1.0, 0.0, 3.0]


def test_kernels_equal_nengo_with_varying_input(compare):
    with nengo.Network(seed=3) as net:
        stim = nengo.Node(lambda t: [np.sin(40 * t) * 900, np.cos(25 * t) * 1500 - 200])
        for neuron_type in (IntegrateAndFire(), IntegrateAndFire(amplitude=0.002, initial_state={
                "voltage": nengo.dists.Uniform(-0.5, 1)}), QCFSRate(), QCFSRate(3, 0.2, 0.4)):
            ens = nengo.Ensemble(20, 1, neuron_type=neuron_type, gain=np.ones(20),
                                 bias=np.linspace(-300, 1200, 20), encoders=np.ones((20, 1)))
            nengo.Connection(stim, ens.neurons, transform=np.random.RandomState(0).randn(20, 2))
            nengo.Probe(ens.neurons)
            for name in neuron_type.state:
                nengo.Probe(ens.neurons, name)
    compare(net, 0.1)


def qcfs_models():
    inp = keras.Input((8, 8, 1))
    x = L.Conv2D(4, 3)(inp)
    x = QCFS(4, threshold=0.6, per_channel=True)(x)
    a = L.Conv2D(3, 3, padding="same")(x)
    a = QCFS(3, threshold=0.8)(a)
    b = L.Conv2D(3, 3, padding="same", activation="relu")(x)
    y = L.Add()([a, b])  # thresholds folded into a Node input
    y = L.AveragePooling2D(2)(y)
    branch = keras.Model(inp, L.Dense(10)(L.Flatten()(y)), name="branches")
    inp = keras.Input((8, 8, 1))
    z = QCFS(2, threshold=0.5, per_channel=True)(L.Dense(6)(L.Flatten()(inp)))
    output = keras.Model(inp, z, name="qcfs_output")  # read out through the gain
    return [branch, output]


@pytest.mark.parametrize("index", [0, 1])
@pytest.mark.parametrize("minibatch_size", [1, 7])
def test_rate_network_equals_keras(index, minibatch_size, x_small):
    model = randomize(qcfs_models()[index], seed=index)
    for layer in model.layers:
        if isinstance(layer, QCFS):  # randomize gives thresholds in [0.1, 0.5]
            layer.threshold.assign(np.abs(layer.threshold.numpy()) + 0.3)
    assert Converter(model, minibatch_size=minibatch_size).verify(x_small, atol=1e-5)


def test_single_qcfs_layer_spiking_equals_keras_after_levels_steps():
    """Dense -> QCFS, IF neurons, no synapse: the mean output over T = L steps is
    the Keras output (constant input, thresholds per channel, a dt other than 1 ms)."""
    levels = 6
    inp = keras.Input((5,))
    model = keras.Model(inp, QCFS(levels, per_channel=True)(L.Dense(8)(inp)))
    randomize(model, seed=4)
    model.layers[-1].threshold.assign(np.linspace(0.3, 0.9, 8).astype("float32"))
    x = np.random.RandomState(1).uniform(-1, 1, (30, 5)).astype("float32")
    pre = keras.Model(inp, model.layers[1].output).predict(x, verbose=0)
    assert np.all(away_from_levels(pre, np.linspace(0.3, 0.9, 8), levels))
    conv = Converter(model, swap_activations=SPIKING, minibatch_size=10, dt=0.002)
    out = run_batches(conv, x, n_steps=levels, dt=0.002)["output"]
    np.testing.assert_allclose(out.mean(axis=1), model.predict(x, verbose=0), atol=1e-5)


def test_scale_firing_rates_and_amplitude_do_not_apply(x_small):
    model = randomize(qcfs_models()[1], seed=1)
    model.layers[-1].threshold.assign(np.full(6, 0.8, "float32"))
    base = run_batches(Converter(model, swap_activations=SPIKING), x_small, 4)["output"]
    scaled = Converter(model, swap_activations=SPIKING, scale_firing_rates=10)
    np.testing.assert_array_equal(run_batches(scaled, x_small, 4)["output"], base)


def test_to_qcfs_and_spiking_accuracy(trained_cnn, digits):
    (x_train, _), (x_test, y_test) = digits
    model = to_qcfs(trained_cnn, levels=4, x=x_train[:300], per_channel=True)
    names = [layer.name for layer in model.layers[1:]]
    assert names == ["conv0", "conv0_qcfs", "conv1", "conv1_qcfs", "flatten", "dense"]
    assert model.get_layer("conv0").activation.__name__ == "linear"
    np.testing.assert_array_equal(model.get_layer("conv0").kernel.numpy(),
                                  trained_cnn.get_layer("conv0").kernel.numpy())
    act = keras.Model(trained_cnn.input, trained_cnn.get_layer("conv0").output).predict(
        x_train[:300], verbose=0)
    ref = [np.percentile(a[a > 0], 99.9) for a in act.reshape(-1, 16).T]
    np.testing.assert_allclose(model.get_layer("conv0_qcfs").threshold.numpy(), ref,
                               rtol=1e-5)
    x, y = x_test[:120], y_test[:120]
    keras_acc = np.mean(model.predict(x, verbose=0).argmax(-1) == y)
    res = evaluate(model, x, y, n_steps=4, swap_activations=SPIKING, readout="mean")
    assert res.accuracy >= keras_acc - 0.03 and keras_acc > 0.9
    assert set(res.spike_counts) == {"conv0_qcfs", "conv1_qcfs"}
    # at most one spike per neuron and step
    assert res.spike_counts["conv0_qcfs"] <= 4 * 576


def test_unknown_swap_types_still_refuse_unmappable_layers():
    model = keras.Sequential([keras.Input((4,)), L.Dense(3), QCFS(2, name="q"),
                              L.LayerNormalization(name="norm")])
    with pytest.raises(ConversionError, match="'norm'"):
        Converter(model, swap_activations=SPIKING)


def test_sweep_levels_knob_is_post_hoc_qcfs(trained_cnn, digits):
    from nbsnn.sweep.converted import evaluate_converted

    (x_train, _), (x_test, y_test) = digits
    x, y = x_test[:60], y_test[:60]
    out = evaluate_converted(trained_cnn, x, y, levels=4, x_calibrate=x_train[:300],
                             n_steps=4, readout="mean")
    ref = evaluate(to_qcfs(trained_cnn, 4, x=x_train[:300], per_channel=True), x, y,
                   n_steps=4, swap_activations=SPIKING, readout="mean")
    assert out["accuracy"] == ref.accuracy > 0.9
    assert out["spikes_per_inference"] == pytest.approx(sum(ref.spike_counts.values()))
    assert {"rate_conv0_qcfs", "rate_conv1_qcfs"} <= set(out)


def test_bias_calibration_corrects_the_mean_error_of_each_layer(trained_cnn, digits):
    from nbsnn.convert import calibrate_biases

    (x_train, _), _ = digits
    model = to_qcfs(trained_cnn, 4, x=x_train[:300], per_channel=True)
    x = x_train[:120]

    def mean_errors(m):
        """Mean |error| per channel of the spiking layers against the original model."""
        conv = Converter(m, swap_activations=SPIKING, minibatch_size=60)
        res = run_batches(conv, x, 1, probe_neurons=True)
        errors = []
        for name in ("conv0_qcfs", "conv1_qcfs"):
            layer = m.get_layer(name)
            ann = keras.Model(model.input, model.get_layer(name).output)(x).numpy()
            c = ann.shape[-1]
            snn = (res["neurons"][name] * 0.001).reshape(-1, c).mean(0) * layer.threshold.numpy()
            errors.append(np.abs(ann.reshape(-1, c).mean(0) - snn).mean())
        return errors

    calibrated = calibrate_biases(model, x, 1, SPIKING)
    before, after = mean_errors(model), mean_errors(calibrated)
    assert after[0] < 0.5 * before[0] and after[1] < 0.5 * before[1]
    np.testing.assert_array_equal(model.get_layer("conv0").bias.numpy(),
                                  trained_cnn.get_layer("conv0").bias.numpy())


def test_to_qcfs_sequential_with_relu_layers(x_small):
    model = keras.Sequential([keras.Input((8, 8, 1)), L.Conv2D(4, 3, activation="relu"),
                              L.ReLU(name="relu"), L.Flatten(), L.Dense(3, activation="relu"),
                              L.Dense(2)])
    randomize(model)
    qcfs = to_qcfs(model, 3, x=x_small, per_channel=True)
    kinds = [type(layer).__name__ for layer in qcfs.layers]
    assert kinds == ["Conv2D", "QCFS", "QCFS", "Flatten", "Dense", "QCFS", "Dense"]
    assert qcfs.get_layer("relu").levels == 3
    assert Converter(qcfs, minibatch_size=5).verify(x_small)
