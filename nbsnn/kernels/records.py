"""The record layout of the step program: each op code's fields, in order.

A record is ``[opcode, *fields]``. Builders emit records through
`nbsnn.backend.program.Program.emit`, which checks the count against this table;
kernels read field ``i`` at the fixed offset ``code[p + 1 + i]`` (numba reads
constants fastest), and tests/test_records.py checks each kernel's offsets against
this table. Operands named ``x`` with an ``x_mode`` field are addressed with
`nbsnn.kernels.linalg.at`; other names say what the integer is (a size, a start
in ``buf``, an offset in ``ia`` or ``fc``, a flag).
"""

from . import opcodes as o

__all__ = ["FIELDS", "name"]

_NEURON = ("n", "J", "out", "params")

FIELDS = {
    o.TIME: ("step", "time"),
    o.RESET: ("dst", "dst_mode", "n", "value"),
    o.COPY: ("dst", "dst_mode", "src", "src_mode", "n"),
    o.COPY_INC: ("dst", "dst_mode", "src", "src_mode", "n"),
    o.MULTIPLY_INC: ("y", "y_mode", "a", "a_mode", "x", "x_mode", "n"),
    o.DOT_INC: ("A", "m", "n", "A_rs", "A_cs", "X", "k", "X_rs", "X_cs", "Y", "Y_rs", "Y_cs"),
    o.CSR_INC: ("data", "indices", "indptr", "m", "nnz", "x", "x_mode", "y", "y_mode", "n",
                "csc_data", "csc_rows", "csc_ptr"),
    o.BSR_INC: ("blocks", "r", "c", "indices", "indptr", "n_block_rows", "x", "x_mode", "y",
                "y_mode", "transposed"),
    o.PREFETCH: ("out", "n", "column"),
    o.PREFETCH_INC: ("out", "n", "column"),
    o.PROBE: ("src", "src_mode", "n", "slot", "period", "step", "events"),
    o.LTI: ("kind", "n", "k", "u", "u_mode", "y", "y_mode", "X", "X_mode", "mats", "mode"),
    o.TRIANGLE: ("n", "u", "y", "Y", "X", "Xi", "n_taps", "coef", "mode"),
    # neurons: the state fields follow NEURON_KERNELS in nbsnn/backend/builders/neurons.py
    o.RECTIFIED_LINEAR: _NEURON,
    o.SPIKING_RECTIFIED_LINEAR: _NEURON + ("voltage",),
    o.SIGMOID: _NEURON,
    o.TANH: _NEURON,
    o.LIF_RATE: _NEURON,
    o.LIF: _NEURON + ("voltage", "refractory_time"),
    o.ADAPTIVE_LIF_RATE: _NEURON + ("adaptation",),
    o.ADAPTIVE_LIF: _NEURON + ("voltage", "refractory_time", "adaptation"),
    o.IZHIKEVICH: _NEURON + ("voltage", "recovery"),
    o.REGULAR_SPIKING: _NEURON + ("voltage",),
    o.STOCHASTIC_SPIKING: _NEURON + ("rng_stream", "negative"),
    o.POISSON_SPIKING: _NEURON + ("rng_stream", "negative"),
    o.INTEGRATE_AND_FIRE: _NEURON + ("voltage",),
    o.QCFS_RATE: _NEURON,
    # a LIF population whose input current is computed from its bias and 1-D encoders
    # (``segments``: offset in ``ia`` of (neurons, x position, encoder start) triples)
    o.LIF_ENCODED: _NEURON + ("voltage", "refractory_time", "bias", "segments", "n_segments"),
    # consecutive first-order filters (Lowpass) on runs: ``items`` is the offset in ``ia``
    # of (n, u, y, X, coefficients in fc, mode) per filter
    o.FIRST_ORDER_FILTERS: ("count", "items"),
    o.ADAPTIVE_THRESHOLD_LIF: _NEURON + ("voltage", "refractory_time", "theta"),
    o.NIR_NEURON: _NEURON + ("voltage", "current", "integration", "synaptic", "spiking"),
    o.PES: ("m", "n", "error", "pre", "delta", "alpha"),
    o.BCM: ("m", "n", "post", "theta", "pre", "delta", "alpha"),
    o.OJA: ("m", "n", "post", "pre", "weights", "delta", "params"),
    o.VOJA: ("m", "n", "post", "pre_decoded", "scaled_encoders", "delta", "learning_signal",
             "alpha", "scale"),
    o.RLS: ("n", "m", "r", "P", "error", "delta"),
    o.STDP: ("m", "n", "pre", "post", "w", "rs", "cs", "x_pre", "x_post", "count", "params",
             "weight_dependent", "additive", "normalize"),
    o.NODE: ("fn", "t", "x", "x_mode", "n_in", "y", "y_mode", "n_out"),
    o.REWARD_STDP: ("m", "n", "pre", "post", "w", "rs", "cs", "x_pre", "x_post",
                    "eligibility", "reward", "params", "additive"),
}


def name(opcode):
    """The name of ``opcode`` in `nbsnn.kernels.opcodes`."""
    return next(k for k, v in vars(o).items() if k.isupper() and v == opcode)
