"""Compiled kernels and the interpreter that runs a model's step program.

Numba's on-disk cache only notices edits to the file a function is defined in, not
to the kernels it calls. So the cache lives in a directory named by a hash of all
kernel sources (and numba's version): any change compiles afresh, an unchanged
install loads in well under a second. ``NBSNN_CACHE_DIR`` moves the cache.
"""

import hashlib
import os
from pathlib import Path

import numba

from .. import kernel_cache

_HERE = Path(__file__).parent


def cache_dir():
    """The directory holding the compiled kernels of this nbsnn version."""
    digest = hashlib.sha256(numba.__version__.encode())
    for path in sorted(_HERE.glob("*.py")) + [_HERE.parent / "config.py"]:
        digest.update(path.read_bytes())
    return os.path.join(kernel_cache.root(), f"kernels-{digest.hexdigest()[:16]}")


_previous = numba.config.CACHE_DIR
numba.config.CACHE_DIR = kernel_cache.private_dir(cache_dir())  # see nbsnn.kernel_cache
try:
    from . import interpreter  # noqa: E402,F401  (compiles into the cache dir above)
finally:
    numba.config.CACHE_DIR = _previous
kernel_cache.guard_loading(__name__)
