"""Reading out unsupervised networks: spike counts per sample, label assignment from
activity and classification by assigned neurons (Diehl & Cook, 2015)."""

import numpy as np

__all__ = ["assign_labels", "predict", "spike_counts"]


def spike_counts(spikes, encoder, dt=0.001):
    """Spikes of each neuron during each presentation of ``encoder``.

    Parameters
    ----------
    spikes : ndarray, shape ``(steps, n_neurons)``
        Probed neuron output (``amplitude / dt`` per spike), covering whole periods.
    encoder : nbsnn.learning.Presentation
        The encoder that drove the network (any encoder of `nbsnn.learning`).

    Returns
    -------
    ndarray, shape ``(n_presentations, n_neurons)``
        Spike counts; rest periods are left out.
    """
    pres, rest = encoder.steps(dt)
    period = pres + rest
    n = spikes.shape[0] // period
    counts = spikes[: n * period].reshape(n, period, -1)[:, :pres].sum(axis=1) * dt
    return np.round(counts, 6)


def assign_labels(counts, labels, n_classes=None):
    """Label of each neuron: the class whose samples make it fire most on average.

    ``counts`` is ``(n_samples, n_neurons)``, ``labels`` the samples' classes.
    """
    labels = np.asarray(labels)
    n_classes = labels.max() + 1 if n_classes is None else n_classes
    means = np.array([counts[labels == c].mean(axis=0) if (labels == c).any()
                      else np.zeros(counts.shape[1]) for c in range(n_classes)])
    return means.argmax(axis=0)


def predict(counts, assignments, n_classes=None):
    """Class of each sample: the one whose assigned neurons fire most on average."""
    n_classes = assignments.max() + 1 if n_classes is None else n_classes
    votes = np.zeros((counts.shape[0], n_classes))
    for c in range(n_classes):
        members = assignments == c
        if members.any():
            votes[:, c] = counts[:, members].mean(axis=1)
    return votes.argmax(axis=1)
