"""Data loaders, the firing-rate regulariser and data-based rate scales."""

import keras
import nengo
import numpy as np

from nbsnn.convert import Converter, evaluate
from nbsnn.convert.data import load_digits_split, load_mnist
from nbsnn.convert.models import digits_cnn
from nbsnn.convert.regularization import FiringRateRegularizer, rate_scales_from_data


def test_digits_split_matches_anchor():
    from sklearn.datasets import load_digits

    (x_train, y_train), (x_test, y_test) = load_digits_split(scale=255)
    assert x_train.shape == (1437, 8, 8, 1) and x_test.shape == (360, 8, 8, 1)
    digits = load_digits()
    perm = np.random.RandomState(0).permutation(1797)
    np.testing.assert_array_equal(y_test, digits.target[perm[1437:]])
    np.testing.assert_allclose(x_train[5, ..., 0], digits.images[perm[5]] / 16 * 255, rtol=1e-6)


def test_load_mnist_from_local_file(tmp_path):
    rng = np.random.RandomState(0)
    arrays = {
        "x_train": rng.randint(0, 256, (5, 28, 28)).astype(np.uint8),
        "y_train": rng.randint(0, 10, 5).astype(np.uint8),
        "x_test": rng.randint(0, 256, (3, 28, 28)).astype(np.uint8),
        "y_test": rng.randint(0, 10, 3).astype(np.uint8),
    }
    np.savez(tmp_path / "mnist.npz", **arrays)
    (x_train, y_train), (x_test, y_test) = load_mnist(tmp_path / "mnist.npz")
    assert x_train.shape == (5, 28, 28, 1) and x_test.dtype == np.float32
    np.testing.assert_allclose(x_test[..., 0], arrays["x_test"] / 255.0, rtol=1e-6)
    np.testing.assert_array_equal(y_train, arrays["y_train"])


def test_regularizer_value_and_effect(digits):
    reg = FiringRateRegularizer(target=20.0, weight=0.01, scale=2.0)
    x = np.array([[1.0, 3.0], [0.0, 10.0]], dtype="float32")
    expected = 0.01 * np.mean((x * 2.0 - 20.0) ** 2) * len(x)  # Keras divides by batch size
    np.testing.assert_allclose(float(reg(keras.ops.convert_to_tensor(x))), expected, rtol=1e-6)

    (x_train, y_train), _ = digits

    def trained(regularizer):
        keras.utils.set_random_seed(0)
        inp = keras.Input((8, 8, 1))
        h = keras.layers.Dense(16, activation="relu", name="hidden",
                               activity_regularizer=regularizer)(keras.layers.Flatten()(inp))
        model = keras.Model(inp, keras.layers.Dense(10)(h))
        model.compile(keras.optimizers.Adam(0.01),
                      keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model.fit(x_train[:512], y_train[:512], epochs=5, batch_size=64, verbose=0)
        hidden = keras.Model(inp, model.get_layer("hidden").output)
        return hidden.predict(x_train[:200], verbose=0).mean()

    toward_10 = FiringRateRegularizer(target=10.0, weight=1.0)
    assert abs(trained(toward_10) - 10.0) < 0.5 * abs(trained(None) - 10.0)


def test_rate_scales_put_percentile_at_target(trained_cnn, digits):
    x_train = digits[0][0][:300]
    scales = rate_scales_from_data(trained_cnn, x_train, target_rate=80.0, percentile=90)
    assert set(layer.name for layer in scales) == {"conv0", "conv1"}
    # rate of a neuron = activity * scale: the 90th percentile of positive activity is 80 Hz
    acts = keras.Model(trained_cnn.input, trained_cnn.get_layer("conv1").output).predict(
        x_train, verbose=0)
    rates = acts[acts > 0] * scales[trained_cnn.get_layer("conv1")]
    np.testing.assert_allclose(np.percentile(rates, 90), 80.0, rtol=1e-6)
    conv = Converter(trained_cnn, scale_firing_rates=scales)
    ens = conv.neuron_layers[trained_cnn.get_layer("conv1")]
    conv1_scale = scales[trained_cnn.get_layer("conv1")]
    np.testing.assert_allclose(ens.neuron_type.amplitude, 1 / conv1_scale)


def test_regularised_layer_fires_near_its_target_once_converted(trained_cnn, digits):
    """The tutorial's case: a 100 Hz target on both conv layers of the trained CNN.

    Asking the [0, 1]-input activity (about 0.5) itself to reach 100 leaves conv0 near
    1-2 Hz after 15 epochs (Adam moves a parameter by about lr per step); expressing the
    target at the conversion scale (``scale=100``: activity target 1) lands there.
    """
    (x_train, y_train), (x_test, y_test) = digits
    keras.utils.set_random_seed(0)
    model = digits_cnn(FiringRateRegularizer(target=100.0, weight=1e-3, scale=100.0))
    model.set_weights(trained_cnn.get_weights())
    model.compile(keras.optimizers.Adam(1e-2),
                  keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(x_train, y_train, epochs=5, batch_size=32, verbose=0)
    res = evaluate(model, x_test[:60], y_test[:60], n_steps=30, synapse=0.01,
                   swap_activations={"relu": nengo.SpikingRectifiedLinear()},
                   scale_firing_rates=100.0)
    assert 80.0 < res.mean_rates["conv0"] < 120.0
    assert res.accuracy > 0.5  # a working classifier (fine-tuned 5 epochs only)
