"""Sweeps over a converted Keras network, directly and through the %snn sweep magic."""

import numpy as np
import pytest

from nbsnn.convert import evaluate
from nbsnn.sweep import sweep
from nbsnn.sweep.converted import evaluate_converted, neuron_type_from


def test_evaluate_converted_reports_the_sweep_metrics(digits_model_and_data):
    model, x, y = digits_model_and_data
    out = evaluate_converted(model, x, y, synapse=0.01, scale_firing_rates=50, n_steps=10,
                             minibatch_size=30)
    ref = evaluate(model, x, y, n_steps=10, minibatch_size=30, synapse=0.01,
                   scale_firing_rates=50.0,
                   swap_activations={"relu": neuron_type_from("SpikingRectifiedLinear")})
    assert out["accuracy"] == ref.accuracy
    sizes = {"conv0": 6 * 6 * 16, "conv1": 2 * 2 * 32}
    expected_mean = sum(ref.mean_rates[k] * n for k, n in sizes.items()) / sum(sizes.values())
    assert out["mean_rate"] == pytest.approx(expected_mean)
    assert out["max_rate"] == max(ref.max_rates.values())
    assert out["spikes_per_inference"] == pytest.approx(sum(ref.spike_counts.values()))
    assert 0.001 <= out["latency"] <= 0.010
    assert out["rate_conv0"] == ref.mean_rates["conv0"]
    rate = evaluate_converted(model, x, y, neuron_type="rate", n_steps=2, minibatch_size=30)
    assert np.isnan(rate["spikes_per_inference"]) and rate["latency"] == pytest.approx(0.001)
    with pytest.raises(ValueError, match="'Bogus' is not a nengo neuron type"):
        neuron_type_from("Bogus")


def test_converted_sweep_on_the_cluster_and_by_magic(client, digits_model_and_data, ipython):
    from nbsnn.sweep.magic import run_magic

    model, x, y = digits_model_and_data
    space = {"synapse": [0, 0.01], "scale_firing_rates": [100]}
    df = sweep(evaluate_converted, space, client=client, progress=False,
               data={"model": model, "x": x, "y": y, "n_steps": 10, "minibatch_size": 30})
    assert df["error_type"].isna().all(), df["error"].tolist()
    serial = evaluate_converted(model, x, y, synapse=0.01, scale_firing_rates=100, n_steps=10,
                                minibatch_size=30)
    assert df.loc[1, "accuracy"] == serial["accuracy"]
    assert df.loc[1, "mean_rate"] == pytest.approx(serial["mean_rate"])
    assert {"accuracy", "mean_rate", "max_rate", "spikes_per_inference", "latency",
            "wall_time"} <= set(df.columns)

    shell = ipython
    shell.user_ns.update(model=model, xs=x, ys=y)
    magic_df = run_magic(shell, ["sweep", "model", "--data", "xs", "ys", "--synapse", "0",
                                 "0.01", "--scale", "100", "--n-steps", "10", "--no-plot",
                                 "--address", client.scheduler.address, "--out", "res"])
    assert shell.user_ns["res"] is magic_df
    np.testing.assert_allclose(magic_df["accuracy"], df["accuracy"], atol=0.04)
    assert magic_df.attrs["params"] == ["synapse", "scale_firing_rates", "n_steps"]
