"""Fixtures for the converter tests: real digits data and the trained anchor CNN."""

import os
import pathlib

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

DATA = pathlib.Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def digits():
    """The anchor split of scikit-learn's digits, inputs in [0, 1]."""
    from nbsnn.convert.data import load_digits_split

    return load_digits_split()


@pytest.fixture(scope="session")
def x_small(digits):
    """40 test images, shape (40, 8, 8, 1)."""
    return digits[1][0][:40]


@pytest.fixture(scope="session")
def trained_cnn():
    """The anchor CNN with the committed weights (made by data/make_weights.py)."""
    from nbsnn.convert.models import digits_cnn

    model = digits_cnn()
    model.load_weights(DATA / "digits_cnn.weights.h5")
    return model


def randomize(model, seed=0):
    """Give every weight of ``model`` seeded random values (BN variances positive)."""
    rng = np.random.RandomState(seed)
    for layer in model.layers:
        weights = []
        for w in layer.get_weights():
            values = rng.uniform(-0.5, 0.5, size=w.shape)
            if "variance" in layer.name or layer.__class__.__name__ == "BatchNormalization":
                values = np.abs(values) + 0.1
            weights.append(values.astype(w.dtype))
        layer.set_weights(weights)
    return model
