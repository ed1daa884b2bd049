"""Import Keras (and TensorFlow) without TensorFlow's C++ start-up logs.

TensorFlow 2.21 writes INFO lines (oneDNN, CUDA drivers) from C++ straight to file
descriptor 2 while it loads, before its log level applies; notebooks show them as
cell output. `import_keras` points descriptor 2 at /dev/null for the import only;
Python exceptions still propagate.
"""

from __future__ import annotations

import os
import sys

__all__ = ["import_keras"]


def import_keras():
    """Import and return `keras`, silencing TensorFlow's start-up logs the first time."""
    if "tensorflow" in sys.modules:
        import keras

        return keras
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    sys.stderr.flush()
    saved, devnull = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        import keras
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)
    return keras
