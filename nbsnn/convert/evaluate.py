"""Batched evaluation of converted networks on a data set.

A network converted with ``minibatch_size=B`` holds ``B`` samples side by side,
so one simulator step advances a whole minibatch: each layer is one sparse
product and one neuron update, whatever ``B`` is. `run_batches` presents each
minibatch for ``n_steps`` (the input held constant, the state reset in
between, as NengoDL does with ``stateful=False``) and collects outputs and
neuron activity.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from .batches import run_batches
from .checks import check_data
from .converter import Converter

__all__ = ["EvaluationResult", "evaluate"]


@dataclasses.dataclass
class EvaluationResult:
    """What `evaluate` measured.

    Attributes
    ----------
    predictions : ndarray
        Network output over time, shape ``(n_samples, n_steps, n_outputs)``.
    accuracy : float or None
        Fraction of samples whose read-out argmax equals the label at the end.
    accuracy_over_time : ndarray or None
        The same accuracy after each step, shape ``(n_steps,)``.
    readout : str
        ``"last"`` (the output on the step, as NengoDL) or ``"mean"`` (the mean
        output since the first step).
    mean_rates, max_rates : dict
        Per neuron layer name: firing rate in Hz (neuron output divided by its
        amplitude, averaged over time) averaged over neurons and samples, and the
        largest single neuron-sample rate.
    spike_counts : dict
        Per spiking layer name: mean number of spikes per sample over all steps.
    spikes_over_time : ndarray
        Spikes per sample of all spiking layers together up to each step, shape
        ``(n_steps,)`` (zeros without spiking layers).
    build_time, run_time : float
        Seconds spent building the simulator and running all minibatches.
    """

    predictions: np.ndarray
    accuracy: float | None
    accuracy_over_time: np.ndarray | None
    readout: str
    mean_rates: dict
    max_rates: dict
    spike_counts: dict
    spikes_over_time: np.ndarray
    build_time: float
    run_time: float


def evaluate(model, x, y=None, n_steps=30, minibatch_size=60, swap_activations=None,
             scale_firing_rates=None, synapse=None, max_to_avg_pool=False,
             readout="last", simulator=None, seed=0, dt=0.001,
             calibration_data=None) -> EvaluationResult:
    """Convert ``model`` and measure it on ``(x, y)`` with batched simulation.

    Parameters
    ----------
    model : keras.Model
        Model with one input and one output.
    x : ndarray
        Inputs, shape ``(n_samples, *input_shape)``.
    y : ndarray, optional
        Integer labels (or one-hot rows); gives ``accuracy``.
    n_steps : int
        Steps each input is presented for.
    minibatch_size : int
        Samples simulated side by side in one network.
    swap_activations, scale_firing_rates, synapse, max_to_avg_pool
        Passed to `Converter`.
    readout : {"last", "mean"}
        Classify by the output on the last step (NengoDL's choice) or by its mean
        over all steps so far, which uses every spike of the presentation instead
        of the last synaptic time constant's worth.
    simulator : class, optional
        Simulator class; `nbsnn.simulator.Simulator` by default.
    seed : int
        Seed of the converted network and of the simulator.
    dt : float
        Simulator time step.
    calibration_data : ndarray, optional
        For models with `QCFS` layers: inputs (training data) on which to calibrate
        the biases for ``n_steps`` first (`calibrate_biases`, Li et al. 2021); the
        model itself is not changed.

    Returns
    -------
    EvaluationResult
    """
    check_data(model, x, y)
    if readout not in ("last", "mean"):
        raise ValueError(f"readout must be 'last' or 'mean', got {readout!r}")
    if calibration_data is not None:
        from .calibration import calibrate_biases

        model = calibrate_biases(model, calibration_data, n_steps, swap_activations,
                                 minibatch_size, dt, seed)
    converter = Converter(
        model, swap_activations=swap_activations, scale_firing_rates=scale_firing_rates,
        synapse=synapse, max_to_avg_pool=max_to_avg_pool,
        minibatch_size=min(minibatch_size, len(x)), seed=seed, dt=dt,
    )
    res = run_batches(converter, x, n_steps, probe_neurons=True, simulator=simulator,
                      seed=seed, dt=dt)
    predictions = res["output"]
    accuracy = acc_time = None
    if y is not None:
        y = np.asarray(y)
        labels = y.argmax(axis=-1) if y.ndim > 1 else y
        decision = predictions
        if readout == "mean":
            steps = np.arange(1, predictions.shape[1] + 1)[None, :, None]
            decision = np.cumsum(predictions, axis=1) / steps
        acc_time = np.mean(decision.argmax(axis=-1) == labels[:, None], axis=0)
        accuracy = float(acc_time[-1])
    mean_rates, max_rates, spike_counts = {}, {}, {}
    spikes_over_time = np.zeros(n_steps)
    for name, activity in res["neurons"].items():
        rates = activity.mean(axis=1)
        mean_rates[name] = float(rates.mean())
        max_rates[name] = float(rates.max())
        if res["spiking"][name]:
            spike_counts[name] = float(activity.sum(axis=(1, 2)).mean() * dt)
            spikes_over_time += np.cumsum(activity.sum(axis=2).mean(axis=0)) * dt
    return EvaluationResult(
        predictions=predictions,
        accuracy=accuracy,
        accuracy_over_time=acc_time,
        readout=readout,
        mean_rates=mean_rates,
        max_rates=max_rates,
        spike_counts=spike_counts,
        spikes_over_time=spikes_over_time,
        build_time=res["build_time"],
        run_time=res["run_time"],
    )
