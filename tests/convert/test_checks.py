"""The converter's entry points refuse wrong models, options and data shapes clearly."""

import nengo
import numpy as np
import pytest

from nbsnn.convert import ConversionError, Converter, evaluate, run_batches
from nbsnn.exceptions import InvalidArgumentError


@pytest.fixture(scope="module")
def model():
    import keras

    inp = keras.Input((8,))
    hidden = keras.layers.Dense(6, activation="relu", name="hidden")(inp)
    out = keras.layers.Dense(3, name="out")(hidden)
    model = keras.Model(inp, out, name="small")
    rng = np.random.RandomState(0)
    model.set_weights([rng.uniform(-1, 1, w.shape) for w in model.get_weights()])
    return model


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(1)
    return rng.uniform(0, 1, (10, 8)), rng.randint(3, size=10)


@pytest.mark.parametrize("x_shape", [(10, 5), (80,), (10, 8, 1), (10, 2, 4)])
def test_inputs_of_the_wrong_shape_are_refused(model, x_shape):
    x = np.zeros(x_shape)
    with pytest.raises(InvalidArgumentError, match=r"model 'small' takes inputs of shape "
                                                   r"\(n_samples, 8\)"):
        evaluate(model, x, n_steps=2)
    with pytest.raises(InvalidArgumentError, match=r"x has shape"):
        run_batches(Converter(model), x, n_steps=2)


def test_labels_must_match_inputs(model, data):
    x, y = data
    with pytest.raises(InvalidArgumentError, match="x has 10 samples but y has 9 labels"):
        evaluate(model, x, y[:9], n_steps=2)


def test_matching_data_still_runs(model, data):
    x, y = data
    res = evaluate(model, x, y, n_steps=2, minibatch_size=5)
    assert res.predictions.shape == (10, 2, 3)
    np.testing.assert_allclose(res.predictions[:, -1], model.predict(x, verbose=0), atol=1e-5)


@pytest.mark.parametrize("not_a_model", ["hello", None, np.zeros(3)])
def test_something_that_is_not_a_keras_model_is_refused(not_a_model):
    with pytest.raises(ConversionError, match="Converter needs a Keras model"):
        Converter(not_a_model)


@pytest.mark.parametrize("scale", [0, -5, float("nan"), "10", {"hidden": 0}])
def test_firing_rate_scales_must_be_positive_numbers(model, scale):
    with pytest.raises(InvalidArgumentError, match=r"scale_firing_rates.* must be a finite "
                                                   r"number > 0"):
        Converter(model, scale_firing_rates=scale)


def test_a_mistyped_layer_in_the_scale_dict_is_refused(model):
    with pytest.raises(InvalidArgumentError, match=r"key 'hiden' that is not a layer of model "
                                                   r"'small'; its layers are .*'hidden'"):
        Converter(model, scale_firing_rates={"hiden": 10})
    conv = Converter(model, scale_firing_rates={"hidden": 10, model.layers[2]: 2})
    assert conv.scale_for(model.get_layer("hidden")) == 10


def test_a_mistyped_activation_in_the_swap_dict_is_refused(model):
    with pytest.raises(InvalidArgumentError, match="key 'rleu' that is not a Keras activation"):
        Converter(model, swap_activations={"rleu": nengo.SpikingRectifiedLinear()})
    conv = Converter(model, swap_activations={"relu": nengo.SpikingRectifiedLinear()})
    assert isinstance(next(iter(conv.neuron_layers.values())).neuron_type,
                      nengo.SpikingRectifiedLinear)
