"""Metrics of one evaluation: latency to a stable answer, rates over layers."""

from __future__ import annotations

import numpy as np

__all__ = ["decisions", "layer_rates", "stable_latency"]


def decisions(predictions, readout: str = "last") -> np.ndarray:
    """Return the class chosen at each step, shape ``(n_samples, n_steps)``.

    Parameters
    ----------
    predictions : ndarray
        Network output over time, ``(n_samples, n_steps, n_outputs)``.
    readout : {"last", "mean"}
        Classify by the output on each step, or by its mean since the first step
        (as `nbsnn.convert.evaluate` does).
    """
    predictions = np.asarray(predictions, dtype=float)
    if predictions.ndim != 3:
        raise ValueError(f"predictions must be (n_samples, n_steps, n_outputs), "
                         f"got shape {predictions.shape}")
    if readout == "mean":
        steps = np.arange(1, predictions.shape[1] + 1)[None, :, None]
        predictions = np.cumsum(predictions, axis=1) / steps
    elif readout != "last":
        raise ValueError(f"readout must be 'last' or 'mean', got {readout!r}")
    return predictions.argmax(axis=-1)


def stable_latency(predictions, dt: float = 0.001, readout: str = "last") -> np.ndarray:
    """Return, per sample, the time from which the chosen class no longer changes.

    The answer of a sample is stable from step ``s`` when the class chosen on
    every step from ``s`` to the end equals the final one; the latency is the
    simulated time up to and including step ``s``, ``(s + 1) * dt``. A sample
    that answers on the first step and never changes has latency ``dt``.

    Parameters
    ----------
    predictions : ndarray
        Network output over time, ``(n_samples, n_steps, n_outputs)``.
    dt : float
        Simulator time step in seconds.
    readout : {"last", "mean"}
        See `decisions`.

    Returns
    -------
    ndarray
        Latency in seconds, shape ``(n_samples,)``.
    """
    chosen = decisions(predictions, readout)
    n_steps = chosen.shape[1]
    differs = chosen != chosen[:, -1:]
    # last step whose choice differs from the final one; stable from the next step
    last_diff = np.where(differs.any(axis=1),
                         n_steps - 1 - np.argmax(differs[:, ::-1], axis=1), -1)
    return (last_diff + 2) * dt


def layer_rates(mean_rates: dict, max_rates: dict, sizes: dict) -> tuple[float, float]:
    """Combine per-layer firing rates into one mean (weighted by neurons) and one max.

    Parameters
    ----------
    mean_rates, max_rates : dict
        Layer name -> mean and max rate (Hz), as `nbsnn.convert.evaluate` gives.
    sizes : dict
        Layer name -> number of neurons per sample.

    Returns
    -------
    (float, float)
        Mean rate over all neurons of all layers, and the largest rate of any one.
    """
    if not mean_rates:
        return float("nan"), float("nan")
    total = sum(sizes[name] for name in mean_rates)
    mean = sum(rate * sizes[name] for name, rate in mean_rates.items()) / total
    return float(mean), float(max(max_rates.values()))
