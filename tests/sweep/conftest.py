"""Fixtures for the sweep tests: one real Dask local cluster shared by the session."""

import os
import pathlib

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import pytest  # noqa: E402

WEIGHTS = pathlib.Path(__file__).parents[1] / "convert" / "data" / "digits_cnn.weights.h5"


@pytest.fixture(scope="session")
def client():
    """A two-worker `distributed.LocalCluster` (worker processes) and its client."""
    from nbsnn.sweep import local_client

    c = local_client(n_workers=2)
    yield c
    cluster = c.cluster
    c.close()
    cluster.close()


@pytest.fixture(scope="session")
def digits_model_and_data():
    """The trained anchor CNN and 30 test digits (inputs in [0, 1])."""
    from nbsnn.convert.data import load_digits_split
    from nbsnn.convert.models import digits_cnn

    model = digits_cnn()
    model.load_weights(WEIGHTS)
    _, (x, y) = load_digits_split()
    return model, x[:30], y[:30]
