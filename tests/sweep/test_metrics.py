"""Metrics: latency to a stable answer and rates combined over layers."""

import numpy as np
import pytest

from nbsnn.sweep.metrics import decisions, layer_rates, stable_latency


def one_hot_over_time(classes, n_out=3):
    classes = np.asarray(classes)
    return np.eye(n_out)[classes]


def test_stable_latency_finds_the_last_change():
    preds = one_hot_over_time([
        [0, 0, 0, 0],  # stable from the first step
        [1, 0, 2, 2],  # changes at step 2, stable from there
        [2, 2, 1, 2],  # back to 2 only on the last step
    ])
    np.testing.assert_allclose(stable_latency(preds, dt=0.01), [0.01, 0.03, 0.04])


def test_mean_readout_smooths_the_answer():
    preds = one_hot_over_time([[1, 1, 1, 0]])
    assert decisions(preds, "last").tolist() == [[1, 1, 1, 0]]
    assert decisions(preds, "mean").tolist() == [[1, 1, 1, 1]]
    np.testing.assert_allclose(stable_latency(preds, 0.001, readout="mean"), [0.001])
    with pytest.raises(ValueError, match="readout"):
        decisions(preds, "max")
    with pytest.raises(ValueError, match="n_samples, n_steps"):
        decisions(preds[0])


def test_layer_rates_weight_by_neurons():
    mean, peak = layer_rates({"a": 10.0, "b": 40.0}, {"a": 50.0, "b": 200.0}, {"a": 300, "b": 100})
    assert mean == pytest.approx((10 * 300 + 40 * 100) / 400)
    assert peak == 200.0
    assert all(np.isnan(layer_rates({}, {}, {})))
