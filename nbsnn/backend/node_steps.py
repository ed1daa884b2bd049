"""Running compiled Node functions: refreshing them and their steps in Python.

The builder (`nbsnn.backend.builders.pyfunc`) emits a ``NODE`` record for each Node
function that `nbsnn.backend.node_compile` compiles. At run time `NodeSteps`

- recompiles, before each chunk, functions whose captured values (closure cells,
  module globals) have changed, and writes their new address into the program (a
  function that no longer compiles then runs in Python at every step, with a
  `PerformanceWarning`, and `sim.python_reasons` lists it);
- runs a step in Python (Nengo's own step function) where the compiled function
  asks for it, then resumes the compiled program after that record
  (`NodeSteps.call`), so errors and values are exactly Nengo's.
"""

import warnings

from numba import cfunc

from ..exceptions import PerformanceWarning
from .builder import NotCompilable
from ..kernels import opcodes
from .node_compile import _SIGNATURE
from .owners import describe

__all__ = ["NodeSteps", "shared_arrays"]


@cfunc(_SIGNATURE)
def _in_python(t, x, y):
    """Stands in for a function that no longer compiles: every step runs in Python."""
    return 1


class NodeSteps:
    """The compiled Node functions of a `Runner`'s program."""

    def __init__(self, runner):
        self.runner = runner
        program = runner.program
        by_op = {id(e.op): e for e in runner.entries}
        #: record index -> (slot of its address in ``ia``, CompiledNode, Entry)
        self.records = {record: (slot, node, by_op[id(program.ops[record])])
                        for record, slot, node in program.nodes}
        codes = [program.code_of(k) for k in range(len(program))]
        self.time_record = codes.index(opcodes.TIME) if opcodes.TIME in codes else -1

    def refresh(self):
        """Recompile the functions whose captured values changed since compiled."""
        ia = self.runner.arrays["ia"]
        for slot, node, entry in self.records.values():
            try:
                if node.refresh():
                    ia[slot] = node.address
            except NotCompilable as e:  # from now on every step runs in Python
                ia[slot] = _in_python.address
                entry.kind, entry.reason = "python", f"(after a captured value changed) {e}"
                warnings.warn(f"{describe(entry.op, self.runner.model, self.runner.memory)} "
                              f"runs as Python from now on: {entry.reason}",
                              PerformanceWarning)

    def call(self, call, row, n, lo, hi):
        """Run records ``lo:hi`` for rows ``row:row + n`` through ``call(row, n, lo)``
        (the interpreter), running in Python the steps a Node function hands back."""
        end = row + n
        r, k = call(row, n, lo)
        while k <= -2:
            record = -2 - k
            self._python_step(record)
            if record + 1 < hi:  # the rest of row r
                found, k = call(r, 1, record + 1)
                if k != -1:
                    r = found  # another hand-back in this row, or a NaN found (k >= 0)
                    continue
            if r + 1 >= end:
                return -1, -1
            r, k = call(r + 1, end - r - 1, lo)
        return r, k

    def _python_step(self, record):
        """Nengo's step function of the node at ``record``; on error, time and step
        count go back to the last completed step and the error is raised."""
        entry = self.records[record][2]
        runner = self.runner
        try:
            entry.step_fn()
        except Exception as e:
            buf, ibuf = runner.memory.buf, runner.memory.ibuf
            if 0 <= self.time_record < record:  # this step's time was already set
                ibuf[runner.step_pos] -= 1
                buf[runner.time_pos] = ibuf[runner.step_pos] * runner.dt
            error = runner._named(entry.op, e, (ibuf[runner.step_pos] + 1) * runner.dt)
            if error is e:
                raise
            raise error from e


def shared_arrays(entries, program):
    """Compiled Node functions that capture arrays, in a model that also runs Python
    steps: those could change the arrays within a chunk, which a compiled function
    (reading the values it was compiled with until the next chunk) would miss.
    Returns ``{op: reason}``."""
    if not any(e.kind == "python" for e in entries):
        return {}
    found = {}
    for record, _, node in program.nodes:
        names = node.capture.arrays()
        if names:
            found[program.ops[record]] = (
                f"its function reads the array(s) {', '.join(names)}, which Python steps "
                "of this model could change during a run")
    return found
