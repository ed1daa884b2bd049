"""Settings kept in one place (a light module: ``%snn help`` imports it).

Numba freezes module globals into compiled code, so the compiled core's settings
are compile-time constants: change them before the first simulator is built.
"""

#: Matrix-vector products with at least this many entries are handed to BLAS.
BLAS_MIN_SIZE = 16384

#: Target wall time of one compiled chunk (seconds); between chunks the simulator
#: notices Ctrl-C, updates the progress bar and checks the state for NaN/inf.
CHUNK_SECONDS = 0.05

#: Options of every compiled kernel: cached on disk; NumPy's floating-point error
#: model (division by zero gives inf/nan as in Nengo, with no checks); and no numba
#: runtime (NRT): kernels only take views of the simulator's buffers and never
#: allocate, and without NRT each call and view skips atomic reference counting,
#: which costs more than a small operator's own work.
JIT_OPTIONS = {"cache": True, "error_model": "numpy", "_nrt": False}

#: Default ``max_points`` of `nbsnn.sweep.sweep` and ``%snn sweep --max-points``:
#: larger sweeps must be asked for explicitly.
SWEEP_MAX_POINTS = 100_000

#: Frames per second a live session aims for (`nbsnn.dashboard.LiveSession`, ``%snn live``).
LIVE_FPS = 25.0
