"""Stream compaction: the indices of the entries of a contiguous array that pass a test
(above a threshold, inside an interval, nonzero), eight at a time; and its inverse for
recorded spike events.

Neuron kernels gather the few neurons that spike (or leave their refractory period)
in a step, and spike-driven products their nonzero inputs. A scalar loop pays a cycle
or more per element for that; here blocks of eight values are compared at once and
the selected indices packed with one ``vpcompressq`` into a register and stored as
a whole vector on AVX-512 CPUs (the memory form of the instruction took twice as long
on an AMD Zen 5), or written with LLVM's ``masked.compressstore`` on
other CPUs (LLVM expands it into scalar code there, with the same result). The
vector store writes eight lanes at the current count: positions up to the last full
block of eight may be overwritten beyond the returned count, never past ``n``.
"""

from llvmlite import binding as llvm
from llvmlite import ir
from numba import config, njit, types
from numba.core import cgutils
from numba.extending import intrinsic

from ..config import JIT_OPTIONS

_LANES = 8

#: Whether kernels compile for this CPU (not a portable target) and it has AVX-512.
_AVX512 = config.CPU_NAME is None and bool(llvm.get_host_cpu_features().get("avx512f"))


def _compress_blocks(compare):
    """An intrinsic ``(x, n_blocks, where, lo, hi) -> count`` that writes every
    ``i < 8 * n_blocks`` with ``compare(builder, x[i], lo, hi)`` true to ``where``, in
    increasing order."""

    @intrinsic
    def compress(typingctx, x, n_blocks, where, lo, hi):
        sig = types.int64(x, types.int64, where, types.float64, types.float64)

        def codegen(context, builder, signature, args):
            xs, n_blocks, ws, lo, hi = args
            xdata = context.make_array(signature.args[0])(context, builder, xs).data
            wdata = context.make_array(signature.args[2])(context, builder, ws).data
            i64, f64 = ir.IntType(64), ir.DoubleType()
            vd, vi = ir.VectorType(f64, _LANES), ir.VectorType(i64, _LANES)
            vb = ir.VectorType(ir.IntType(1), _LANES)
            if _AVX512:
                pack = cgutils.get_or_insert_function(
                    builder.module, ir.FunctionType(vi, [vi, vi, vb]),
                    f"llvm.x86.avx512.mask.compress.v{_LANES}i64")
            else:
                store = cgutils.get_or_insert_function(
                    builder.module, ir.FunctionType(ir.VoidType(), [vi, i64.as_pointer(), vb]),
                    f"llvm.masked.compressstore.v{_LANES}i64")
            ctpop = builder.module.declare_intrinsic("llvm.ctpop", [ir.IntType(_LANES)])
            lo, hi = _splat(builder, lo, vd), _splat(builder, hi, vd)
            lanes = ir.Constant(vi, list(range(_LANES)))
            count = cgutils.alloca_once_value(builder, ir.Constant(i64, 0))
            with cgutils.for_range(builder, n_blocks) as loop:
                start = builder.mul(loop.index, ir.Constant(i64, _LANES))
                values = builder.load(
                    builder.bitcast(builder.gep(xdata, [start]), vd.as_pointer()), align=8)
                mask = compare(builder, values, lo, hi)
                index = builder.add(_splat(builder, start, vi), lanes)
                m = builder.load(count)
                if _AVX512:
                    packed = builder.call(pack, [index, index, mask])
                    builder.store(
                        packed, builder.bitcast(builder.gep(wdata, [m]), vi.as_pointer()), align=8)
                else:
                    builder.call(store, [index, builder.gep(wdata, [m]), mask])
                selected = builder.call(ctpop, [builder.bitcast(mask, ir.IntType(_LANES))])
                builder.store(builder.add(m, builder.zext(selected, i64)), count)
            return builder.load(count)

        return sig, codegen

    return compress


_above = _compress_blocks(lambda builder, x, lo, hi: builder.fcmp_ordered(">", x, lo))
_nonzero = _compress_blocks(lambda builder, x, lo, hi: builder.fcmp_unordered("!=", x, lo))
_inside = _compress_blocks(lambda builder, x, lo, hi: builder.and_(
    builder.fcmp_unordered(">", x, lo), builder.fcmp_unordered("<", x, hi)))


def _splat(builder, value, vector_type):
    vec = ir.Constant(vector_type, ir.Undefined)
    for lane in range(vector_type.count):
        vec = builder.insert_element(vec, value, ir.Constant(ir.IntType(32), lane))
    return vec


@njit(**JIT_OPTIONS)
def indices_above(x, n, threshold, where):
    """Write the indices ``i < n`` with ``x[i] > threshold`` (NaN never is) into
    ``where``, in increasing order; returns how many there are."""
    blocks = n // _LANES
    m = _above(x, blocks, where, threshold, threshold)
    for i in range(blocks * _LANES, n):
        where[m] = i
        m += x[i] > threshold
    return m


@njit(**JIT_OPTIONS)
def indices_inside(x, n, lo, hi, where):
    """Write the indices ``i < n`` with ``lo < x[i] < hi`` or ``x[i]`` NaN into
    ``where``, in increasing order; returns how many there are."""
    blocks = n // _LANES
    m = _inside(x, blocks, where, lo, hi)
    for i in range(blocks * _LANES, n):
        where[m] = i
        m += not ((x[i] <= lo) | (x[i] >= hi))
    return m


@njit(**JIT_OPTIONS)
def nonzero_indices(x, where):
    """Write the indices of the nonzero (or NaN) entries of ``x`` into ``where``, in
    increasing order; returns how many there are."""
    n = x.size
    blocks = n // _LANES
    m = _nonzero(x, blocks, where, 0.0, 0.0)
    for i in range(blocks * _LANES, n):
        where[m] = i
        m += x[i] != 0.0
    return m


@njit(**JIT_OPTIONS)
def expand_events(data, dense):
    """Fill the rows of ``dense`` (zeros) from events ``[count, indices..., values...]``
    stored one row after the other in ``data``; the inverse of recording them."""
    pos = 0
    for row in range(dense.shape[0]):
        n = int(data[pos])
        for c in range(n):
            dense[row, int(data[pos + 1 + c])] = data[pos + 1 + n + c]
        pos += 1 + 2 * n
