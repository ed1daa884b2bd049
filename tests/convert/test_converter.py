"""Converter options, registry, lookups and error messages."""

import keras
import nengo
import numpy as np
import pytest

from nbsnn.convert import ConversionError, Converter, LayerConverter, LinearMap, run_batches

from .conftest import randomize

L = keras.layers


def small_model(*layers):
    inp = keras.Input((8, 8, 1), name="inp")
    x = inp
    for layer in layers:
        x = layer(x)
    return keras.Model(inp, x)


def test_lookup_by_layer_and_tensor(trained_cnn):
    conv = Converter(trained_cnn)
    conv0 = trained_cnn.get_layer("conv0")
    assert conv.layers[conv0] is conv.layers[conv0.output]
    assert isinstance(conv.layers[conv0], nengo.ensemble.Neurons)
    assert conv.layers[conv0].size_out == 6 * 6 * 16
    assert conv.inputs[trained_cnn.input].size_out == 64
    assert isinstance(conv.outputs[trained_cnn.output], nengo.Probe)
    # Flatten is a no-op: it shares the object of the layer before it
    flatten, conv1 = trained_cnn.get_layer("flatten"), trained_cnn.get_layer("conv1")
    assert conv.layers[flatten] is conv.layers[conv1]
    assert isinstance(conv.layers[trained_cnn.get_layer("dense")], nengo.Node)


@pytest.mark.parametrize(
    "layer, words",
    [
        (L.MaxPooling2D(2), ["MaxPooling2D", "max_to_avg_pool=True"]),
        (L.ReLU(max_value=6.0), ["max_value=6.0", "ReLU"]),
        (L.Conv2D(2, 3, dilation_rate=2), ["dilation_rate", "Conv2D"]),
        (L.LayerNormalization(), ["LayerNormalization", "Converter.register"]),
        (L.Dense(3, activation="softmax"), ["softmax", "swap_activations"]),
    ],
)
def test_unsupported_layers_name_layer_argument_and_options(layer, words):
    model = small_model(layer)
    with pytest.raises(ConversionError) as info:
        Converter(model)
    message = str(info.value)
    assert layer.name in message
    for word in words:
        assert word in message


def test_scale_needs_amplitude():
    model = randomize(small_model(L.Flatten(), L.Dense(4, activation="sigmoid")))
    with pytest.raises(ConversionError, match="amplitude"):
        Converter(model, scale_firing_rates=10)


def test_register_custom_layer(x_small):
    class Double(L.Layer):
        def call(self, x):
            return 2 * x

    @Converter.register(Double)
    class DoubleConverter(LayerConverter):
        def convert(self, inputs, output_shape):
            (x,) = inputs
            return self.converter.add_layer(
                self.layer, [(x, LinearMap(2 * np.eye(x.size)))], output_shape)

    try:
        model = randomize(small_model(L.Flatten(), Double(), L.Dense(3, activation="relu")))
        assert Converter(model, minibatch_size=4).verify(x_small)
    finally:
        del Converter.converters[Double]


def test_rate_scaling_keeps_rate_network_exact(trained_cnn, x_small):
    keras_out = trained_cnn.predict(x_small, verbose=0)
    conv = Converter(trained_cnn, scale_firing_rates={"conv0": 7.0, "conv1": 0.5},
                     minibatch_size=10)
    out = run_batches(conv, x_small, n_steps=1)["output"][:, -1]
    np.testing.assert_allclose(out, keras_out, atol=1e-5)
    assert conv.neuron_layers[trained_cnn.get_layer("conv0")].neuron_type.amplitude == 1 / 7


def test_swap_by_name_and_by_neuron_type(trained_cnn):
    spiking = nengo.SpikingRectifiedLinear()
    for key in ("relu", keras.activations.relu, nengo.RectifiedLinear()):
        conv = Converter(trained_cnn, swap_activations={key: spiking})
        types = {type(e.neuron_type) for e in conv.neuron_layers.values()}
        assert types == {nengo.SpikingRectifiedLinear}


def test_swap_applies_to_relu_and_activation_layers(x_small):
    model = randomize(small_model(L.Conv2D(3, 3), L.ReLU(), L.Conv2D(2, 3),
                                  L.Activation("relu"), L.Flatten(), L.Dense(4)))
    conv = Converter(model, swap_activations={keras.activations.relu: nengo.LIF()})
    assert [type(e.neuron_type) for e in conv.neuron_layers.values()] == [nengo.LIF] * 2


def test_synapse_only_on_connections_leaving_neurons(trained_cnn):
    conv = Converter(trained_cnn, synapse=0.01)
    for c in conv.net.all_connections:
        from_neurons = isinstance(c.pre_obj, nengo.ensemble.Neurons)
        assert (c.synapse is not None) == from_neurons


def test_spiking_with_scale_approaches_keras(trained_cnn, digits):
    x, y = digits[1][0][:120], digits[1][1][:120]
    keras_acc = np.mean(trained_cnn.predict(x, verbose=0).argmax(-1) == y)
    results = {}
    for scale in (1, 100):
        conv = Converter(trained_cnn, swap_activations={"relu": nengo.SpikingRectifiedLinear()},
                         scale_firing_rates=scale, synapse=0.01, minibatch_size=60, seed=0)
        out = run_batches(conv, x, n_steps=30)["output"][:, -1]
        results[scale] = np.mean(out.argmax(-1) == y)
    assert results[1] < 0.5
    assert results[100] > keras_acc - 0.04


def test_seed_makes_spiking_runs_reproducible(trained_cnn, x_small):
    def run(seed):
        conv = Converter(trained_cnn, swap_activations={"relu": nengo.SpikingRectifiedLinear()},
                         minibatch_size=20, seed=seed)
        return run_batches(conv, x_small, n_steps=5, probe_neurons=True)["neurons"]["conv0"]

    np.testing.assert_array_equal(run(3), run(3))
    assert not np.array_equal(run(3), run(4))


def test_initial_state_drawn_once_per_layer_and_repeated_per_sample(trained_cnn):
    refractory = nengo.dists.Choice([2.5e-4])
    neuron = nengo.LIF(initial_state={"refractory_time": refractory})
    conv = Converter(trained_cnn, swap_activations={"relu": neuron}, minibatch_size=3, seed=1)
    n = 6 * 6 * 16
    state = conv.neuron_layers[trained_cnn.get_layer("conv0")].neuron_type.initial_state
    voltage = np.asarray(state["voltage"]).reshape(3, n)
    np.testing.assert_array_equal(voltage, voltage[[0, 0, 0]])
    assert 0 <= voltage.min() and voltage.max() < 1 and voltage.std() > 0.2  # Uniform(0, 1)
    np.testing.assert_array_equal(state["refractory_time"], np.full(3 * n, 2.5e-4))
    assert neuron.initial_state == {"refractory_time": refractory}  # user's type untouched
    # rate neurons have no state to draw
    rate = Converter(trained_cnn, minibatch_size=3, seed=1)
    assert rate.neuron_layers[trained_cnn.get_layer("conv0")].neuron_type.initial_state is None
