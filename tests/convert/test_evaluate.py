"""Batched evaluation: minibatch invariance, accuracy, rates and spike counts."""

import keras
import nengo
import numpy as np

from nbsnn.convert import evaluate


def test_rate_evaluation_equals_keras(trained_cnn, digits):
    x, y = digits[1][0][:100], digits[1][1][:100]
    res = evaluate(trained_cnn, x, y, n_steps=3, minibatch_size=32)
    keras_out = trained_cnn.predict(x, verbose=0)
    assert res.predictions.shape == (100, 3, 10)
    np.testing.assert_allclose(res.predictions[:, -1], keras_out, atol=1e-5)
    assert res.accuracy == np.mean(keras_out.argmax(-1) == y)
    acts = keras.Model(trained_cnn.input, trained_cnn.get_layer("conv0").output).predict(
        x, verbose=0)
    np.testing.assert_allclose(res.mean_rates["conv0"], acts.mean(), rtol=1e-5)
    np.testing.assert_allclose(res.max_rates["conv0"], acts.max(), rtol=1e-5)
    assert res.spike_counts == {}


def test_minibatch_size_does_not_change_rate_results(trained_cnn, x_small):
    a = evaluate(trained_cnn, x_small, n_steps=2, minibatch_size=1)
    b = evaluate(trained_cnn, x_small, n_steps=2, minibatch_size=13)
    np.testing.assert_allclose(a.predictions, b.predictions, atol=1e-10)


def test_spike_counts_match_rates(trained_cnn, digits):
    x, y = digits[1][0][:60], digits[1][1][:60]
    n_steps, dt = 20, 0.001
    res = evaluate(trained_cnn, x, y, n_steps=n_steps, minibatch_size=30,
                   swap_activations={keras.activations.relu: nengo.SpikingRectifiedLinear()},
                   scale_firing_rates=50, synapse=0.005, dt=dt)
    for name, n in (("conv0", 576), ("conv1", 128)):
        counts = res.spike_counts[name]
        assert counts > 0
        np.testing.assert_allclose(counts, res.mean_rates[name] * n * n_steps * dt, rtol=1e-9)
        assert res.max_rates[name] >= res.mean_rates[name]
    assert res.accuracy_over_time.shape == (n_steps,)
    assert res.accuracy_over_time[-1] > res.accuracy_over_time[0]
    assert res.spikes_over_time.shape == (n_steps,)
    assert np.all(np.diff(res.spikes_over_time) >= 0)
    np.testing.assert_allclose(res.spikes_over_time[-1], sum(res.spike_counts.values()))


def test_mean_readout_uses_the_whole_presentation(trained_cnn, digits):
    x, y = digits[1][0][:60], digits[1][1][:60]
    options = dict(n_steps=10, minibatch_size=60, scale_firing_rates=100,
                   swap_activations={"relu": nengo.SpikingRectifiedLinear()})
    last = evaluate(trained_cnn, x, y, readout="last", **options)
    mean = evaluate(trained_cnn, x, y, readout="mean", **options)
    np.testing.assert_array_equal(last.predictions, mean.predictions)
    expected = np.mean(mean.predictions.mean(axis=1).argmax(-1) == y)
    assert mean.accuracy == expected and mean.readout == "mean"
    assert mean.accuracy > last.accuracy + 0.2


def test_spiking_results_do_not_depend_on_minibatch(trained_cnn, x_small):
    # every sample starts from the same initial voltages (NengoDL tiles its initial
    # state along the minibatch), so neither the minibatch size nor a sample's slot
    # in it changes its spikes
    options = dict(n_steps=10, scale_firing_rates=20, synapse=0.005, seed=3,
                   swap_activations={"relu": nengo.SpikingRectifiedLinear()})
    results = [evaluate(trained_cnn, x_small[:26], minibatch_size=b, **options)
               for b in (1, 7, 13)]
    assert results[0].spike_counts["conv0"] > 0
    for res in results[1:]:
        np.testing.assert_allclose(res.predictions, results[0].predictions, atol=1e-9)
    # the same image in two slots of one minibatch spikes identically
    twice = evaluate(trained_cnn, np.concatenate([x_small[:1]] * 2), minibatch_size=2,
                     **options)
    np.testing.assert_array_equal(twice.predictions[0], twice.predictions[1])
