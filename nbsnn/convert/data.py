"""Data sets that work offline: scikit-learn's digits and MNIST from a local file."""

from __future__ import annotations

import numpy as np

__all__ = ["load_digits_split", "load_mnist"]


def load_digits_split(scale: float = 1.0, size: int = 8):
    """Return the 8x8 digits split used by the NengoDL anchor measurements.

    ``RandomState(0).permutation(1797)``; the first 1437 images train, the last
    360 test. Pixels (0..16 in scikit-learn) are divided by 16 and multiplied by
    ``scale`` (``scale=255`` reproduces the raw-pixel range of NengoDL's MNIST
    example). ``size`` other than 8 upsamples the images bilinearly to ``size`` x
    ``size`` (for deeper models).

    Returns
    -------
    (x_train, y_train), (x_test, y_test)
        Images of shape ``(n, size, size, 1)`` (float32) and integer labels.
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    images = digits.images
    if size != 8:
        from scipy.ndimage import zoom

        images = zoom(images, (1, size / 8, size / 8), order=1)
    x = (images[..., None] / 16.0 * scale).astype(np.float32)
    y = digits.target.astype(np.int64)
    perm = np.random.RandomState(0).permutation(len(x))
    train, test = perm[:1437], perm[1437:]
    return (x[train], y[train]), (x[test], y[test])


def load_mnist(path, scale: float = 1.0):
    """Load MNIST from a local ``mnist.npz`` (the file ``keras.datasets.mnist`` uses).

    Parameters
    ----------
    path : str or path-like
        File with arrays ``x_train``, ``y_train``, ``x_test``, ``y_test``
        (uint8 images 28x28, integer labels).
    scale : float
        Pixel values are divided by 255 and multiplied by ``scale``.

    Returns
    -------
    (x_train, y_train), (x_test, y_test)
        Images of shape ``(n, 28, 28, 1)`` (float32) and integer labels.
    """
    with np.load(path) as f:
        parts = [f[k] for k in ("x_train", "y_train", "x_test", "y_test")]
    x_train, y_train, x_test, y_test = parts
    prep = lambda x: (x[..., None] / 255.0 * scale).astype(np.float32)  # noqa: E731
    return (prep(x_train), y_train.astype(np.int64)), (prep(x_test), y_test.astype(np.int64))
