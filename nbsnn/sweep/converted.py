"""A ready evaluate function for sweeps over converted Keras networks.

.. code-block:: python

    from nbsnn.sweep import sweep
    from nbsnn.sweep.converted import evaluate_converted

    df = sweep(evaluate_converted,
               {"synapse": [0, 0.005, 0.01], "scale_firing_rates": [1, 10, 100]},
               data={"model": model, "x": x_test, "y": y_test})

    # conversion-aware: post-hoc QCFS levels against steps (IntegrateAndFire, mean read-out)
    df = sweep(evaluate_converted, {"levels": [2, 4, 8], "n_steps": [2, 4, 8]},
               data={"model": model, "x": x_test, "y": y_test, "x_calibrate": x_train,
                     "readout": "mean"})
"""

from __future__ import annotations

import math

import numpy as np

from .metrics import layer_rates, stable_latency

__all__ = ["evaluate_converted", "neuron_type_from"]


def neuron_type_from(value):
    """Return a Nengo neuron type for a sweep value.

    ``None``, ``"rate"`` or ``"RectifiedLinear"`` keep the rate ReLU (no swap);
    a name such as ``"SpikingRectifiedLinear"``, ``"LIF"`` or ``"IntegrateAndFire"``
    gives that class of `nengo` or `nbsnn.neurons` with default parameters; a
    `nengo.neurons.NeuronType` is used as it is.
    """
    import nengo

    from .. import neurons

    if value is None or value == "rate":
        return None
    if isinstance(value, nengo.neurons.NeuronType):
        return value
    cls = getattr(nengo, str(value), None) or getattr(neurons, str(value), None)
    if not (isinstance(cls, type) and issubclass(cls, nengo.neurons.NeuronType)):
        raise ValueError(f"neuron_type {value!r} is not a nengo neuron type; use e.g. "
                         f"'SpikingRectifiedLinear', 'LIF' or 'rate'")
    return cls()


def _synapse(value):
    if value is None or (isinstance(value, float) and math.isnan(value)) or value == 0:
        return None
    return value


def evaluate_converted(model, x, y=None, *, synapse=None, scale_firing_rates=None,
                       n_steps=30, neuron_type="auto", activation="relu", levels=None,
                       x_calibrate=None, readout="last", minibatch_size=60, seed=0,
                       dt=0.001) -> dict:
    """Convert ``model`` with the given options and measure it on ``(x, y)``.

    A thin layer over `nbsnn.convert.evaluate` that returns the sweep's metrics.

    Parameters
    ----------
    model : keras.Model
        Trained model with one input and one output.
    x, y : ndarray
        Inputs and integer labels (``y`` optional: no ``accuracy`` without it).
    synapse : float, optional
        Lowpass time constant (s) on connections leaving neurons; ``0`` or
        ``None`` for none.
    scale_firing_rates : float, optional
        Scale of neuron inputs (outputs by its inverse).
    n_steps : int
        Steps each input is presented for.
    neuron_type : str or nengo.neurons.NeuronType
        What ``activation`` is swapped to (see `neuron_type_from`); ``"auto"``:
        ``SpikingRectifiedLinear`` for ``relu``, ``IntegrateAndFire`` for ``qcfs``.
    activation : str
        The Keras activation to swap (``"qcfs"`` for `nbsnn.convert.QCFS` layers).
    levels : int, optional
        Post-hoc conversion-aware option: replace every ReLU by ``QCFS(levels)``
        (`nbsnn.convert.to_qcfs`, per-channel thresholds at the 99.9th percentile of
        the activity on ``x_calibrate``, no retraining) and swap the ``qcfs``
        activation. ``None`` (or NaN) leaves the model as it is.
    x_calibrate : ndarray, optional
        Inputs for the ``levels`` thresholds (training data; ``x`` if not given).
    readout, minibatch_size, seed, dt
        Passed to `nbsnn.convert.evaluate`.

    Returns
    -------
    dict
        ``accuracy``, ``mean_rate`` and ``max_rate`` (Hz, over all neurons of
        all layers), ``spikes_per_inference`` (spikes per input over all layers
        and steps; NaN for rate neurons), ``latency`` (mean seconds to a stable answer), per-layer
        ``rate_LAYER``, and ``build_time``/``run_time`` (s).
    """
    from ..convert import evaluate

    if levels is not None and not (isinstance(levels, float) and math.isnan(levels)):
        from ..convert import to_qcfs

        model = to_qcfs(model, int(levels), x=x if x_calibrate is None else x_calibrate,
                        per_channel=True)
        activation = "qcfs"
    if neuron_type == "auto":
        neuron_type = "IntegrateAndFire" if activation == "qcfs" else "SpikingRectifiedLinear"
    neuron = neuron_type_from(neuron_type)
    swap = {activation: neuron} if neuron is not None else None
    scale = None if scale_firing_rates in (None, 1) else float(scale_firing_rates)
    res = evaluate(model, x, y, n_steps=int(n_steps), minibatch_size=minibatch_size,
                   swap_activations=swap, scale_firing_rates=scale,
                   synapse=_synapse(synapse), readout=readout, seed=seed, dt=dt)
    sizes = {name: int(np.prod(model.get_layer(name).output.shape[1:]))
             for name in res.mean_rates}
    mean_rate, max_rate = layer_rates(res.mean_rates, res.max_rates, sizes)
    out = {
        "accuracy": res.accuracy,
        "mean_rate": mean_rate,
        "max_rate": max_rate,
        "spikes_per_inference": (float(sum(res.spike_counts.values()))
                                 if res.spike_counts else float("nan")),
        "latency": float(stable_latency(res.predictions, dt, readout).mean()),
    }
    out.update({f"rate_{name}": rate for name, rate in res.mean_rates.items()})
    out.update(build_time=res.build_time, run_time=res.run_time)
    return out
