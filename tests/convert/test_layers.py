"""With no swaps the converted network computes exactly what Keras computes."""

import keras
import numpy as np
import pytest

from nbsnn.convert import Converter

from .conftest import randomize

L = keras.layers


def image_model(*layers, head=True):
    inp = keras.Input((8, 8, 1))
    x = inp
    for layer in layers:
        x = layer(x)
    if head:
        x = L.Dense(10)(L.Flatten()(x))
    return keras.Model(inp, x)


def sequence_model(*layers):
    inp = keras.Input((8, 8, 1))
    x = L.Reshape((64, 1))(inp)
    for layer in layers:
        x = layer(x)
    x = L.Dense(10)(L.Flatten()(x))
    return keras.Model(inp, x)


def add_model():
    inp = keras.Input((8, 8, 1))
    a = L.Conv2D(4, 3, padding="same", activation="relu")(inp)
    b = L.Conv2D(4, 3, padding="same")(inp)
    x = L.Add()([a, b])
    return keras.Model(inp, L.Dense(10)(L.Flatten()(x)))


def concat_model(axis):
    inp = keras.Input((8, 8, 1))
    a = L.Conv2D(3, 3, activation="relu")(inp)
    b = L.Conv2D(2 if axis == -1 else 3, 3, activation="tanh")(inp)
    x = L.Concatenate(axis=axis)([a, b, a])
    return keras.Model(inp, L.Dense(10)(L.Flatten()(x)))


MODELS = {
    "dense_relu": lambda: image_model(L.Flatten(), L.Dense(12, activation="relu"), head=False),
    "dense_sigmoid": lambda: image_model(L.Flatten(), L.Dense(12, activation="sigmoid")),
    "dense_tanh": lambda: image_model(L.Flatten(), L.Dense(12, activation="tanh")),
    "dense_on_last_axis": lambda: image_model(L.Dense(3, activation="relu")),
    "conv2d_valid": lambda: image_model(L.Conv2D(5, 3, activation="relu")),
    "conv2d_same_stride2": lambda: image_model(
        L.Conv2D(5, 3, strides=2, padding="same", activation="relu")),
    "conv2d_rect_kernel": lambda: image_model(
        L.Conv2D(3, (2, 4), strides=(1, 2), use_bias=False, activation="relu")),
    "conv2d_stack": lambda: image_model(
        L.Conv2D(4, 3, activation="relu"), L.Conv2D(6, 3, strides=2, activation="relu")),
    "conv1d_valid": lambda: sequence_model(L.Conv1D(4, 5, strides=2, activation="relu")),
    "conv1d_same": lambda: sequence_model(L.Conv1D(4, 4, padding="same", activation="relu")),
    "conv1d_causal": lambda: sequence_model(
        L.Conv1D(4, 3, padding="causal", activation="relu")),
    "avgpool2d": lambda: image_model(L.Conv2D(4, 3, activation="relu"), L.AveragePooling2D(2)),
    "avgpool2d_same": lambda: image_model(
        L.Conv2D(4, 2, activation="relu"), L.AveragePooling2D(3, 2, padding="same")),
    "avgpool1d": lambda: sequence_model(L.AveragePooling1D(3, padding="same")),
    "global_avgpool2d": lambda: image_model(
        L.Conv2D(6, 3, activation="relu"), L.GlobalAveragePooling2D(), head=False),
    "global_avgpool1d": lambda: sequence_model(
        L.Conv1D(3, 3, activation="relu"), L.GlobalAveragePooling1D()),
    "reshape_dropout": lambda: image_model(L.Reshape((16, 4)), L.Dropout(0.5)),
    "activation_relu_layer": lambda: image_model(L.Conv2D(4, 3), L.Activation("relu")),
    "relu_layer": lambda: image_model(L.Conv2D(4, 3), L.ReLU()),
    "batchnorm": lambda: image_model(
        L.Conv2D(4, 3), L.BatchNormalization(), L.Activation("relu")),
    "add": add_model,
    "concat_channels": lambda: concat_model(-1),
    "concat_rows": lambda: concat_model(1),
    "sequential": lambda: keras.Sequential([
        keras.Input((8, 8, 1)), L.Conv2D(4, 3, activation="relu"), L.Flatten(),
        L.Dense(8, activation="relu"), L.Dense(10)]),
}


@pytest.mark.parametrize("minibatch_size", [1, 7])
@pytest.mark.parametrize("name", sorted(MODELS))
def test_matches_keras_predict(name, minibatch_size, x_small):
    keras.utils.set_random_seed(0)
    model = randomize(MODELS[name]())
    converter = Converter(model, minibatch_size=minibatch_size)
    assert converter.verify(x_small, rtol=1e-5, atol=1e-5)


def test_max_to_avg_pool_equals_average_pooling(x_small):
    keras.utils.set_random_seed(0)
    max_model = randomize(image_model(L.Conv2D(4, 3, activation="relu"), L.MaxPooling2D(2)))
    avg_model = image_model(L.Conv2D(4, 3, activation="relu"), L.AveragePooling2D(2))
    avg_model.set_weights(max_model.get_weights())
    converter = Converter(max_model, max_to_avg_pool=True, minibatch_size=8)
    from nbsnn.convert import run_batches

    out = run_batches(converter, x_small, n_steps=1)["output"][:, -1]
    np.testing.assert_allclose(out, avg_model.predict(x_small, verbose=0), atol=1e-5)
    assert not np.allclose(out, max_model.predict(x_small, verbose=0), atol=1e-3)


def test_single_sample_uses_nengo_convolution(x_small):
    import nengo

    model = randomize(image_model(L.Conv2D(4, 3, activation="relu")))
    conn_transforms = {
        type(c.transform) for c in Converter(model).net.all_connections
    }
    assert nengo.Convolution in conn_transforms
    scaled = Converter(model, scale_firing_rates=3.0)
    assert nengo.Convolution in {type(c.transform) for c in scaled.net.all_connections}
    assert scaled.verify(x_small)
    batched = {type(c.transform) for c in Converter(model, minibatch_size=3).net.all_connections}
    assert nengo.Convolution not in batched and nengo.transforms.Sparse in batched
