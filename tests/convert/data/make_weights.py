"""Train the anchor digits CNN and write the weights files in this folder.

Run from the repository root: ``python tests/convert/data/make_weights.py``.
Recipe of shared/anchors/nengodl_digits.md: plain Keras, Adam(1e-3), 40 epochs,
batch 32, seed 0, on the first 1437 images of RandomState(0).permutation(1797).
Writes ``digits_cnn.weights.h5`` (inputs in [0, 1]); ``benchmarks/bench_converter.py``
trains the other variants with `train` when it runs.
"""

import pathlib
import sys

import keras

from nbsnn.convert.data import load_digits_split
from nbsnn.convert.models import digits_cnn

HERE = pathlib.Path(__file__).parent


def train(scale, epochs=40):
    """Train the CNN on digits scaled to [0, scale]; return the model."""
    keras.utils.set_random_seed(0)
    (x_train, y_train), (x_test, y_test) = load_digits_split(scale)
    model = digits_cnn()
    model.compile(
        optimizer=keras.optimizers.Adam(1e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    model.fit(x_train, y_train, epochs=epochs, batch_size=32, verbose=0)
    _, acc = model.evaluate(x_test, y_test, verbose=0)
    print(f"scale {scale}: Keras test accuracy {acc:.4f}", file=sys.stderr)
    return model


if __name__ == "__main__":
    train(1.0).save_weights(HERE / "digits_cnn.weights.h5")
