"""The step program's record layout (`nbsnn.kernels.records`) matches both sides:
what builders emit (`Program.emit` counts) and the offsets each kernel reads."""

import inspect
import re

import pytest

import nbsnn.kernels as kernels
from nbsnn.backend.builders.neurons import NEURON_KERNELS
from nbsnn.backend.program import Program
from nbsnn.kernels import interpreter, opcodes, records

OPCODES = {name: v for name, v in vars(opcodes).items() if name.isupper()}


def _offsets(source):
    """Record offsets a kernel's source reads: ``code[p + K]``, and the fields that
    `nbsnn.kernels.neurons._views` reads for ``k`` states."""
    found = {int(k) for k in re.findall(r"code\[p \+ (\d+)\]", source)}
    for k in re.findall(r"_views\(buf, code, p, (\d)\)", source):
        found |= {1, 2, 3} | set(range(5, 5 + int(k)))
    return found


def _read_offsets():
    """``{opcode name: offsets}`` for every branch of the interpreter's dispatch."""
    source = inspect.getsource(interpreter.run.py_func)
    read = {}
    for branch in re.split(r"\n\s*(?:el)?if op == ", source)[1:]:
        name, body = branch.split(":", 1)
        body = body.split("if check")[0]
        found = _offsets(body)
        call = re.match(r"\s*(?:(\w+)\.)?(\w+)\(", body)
        if call and not body.lstrip().startswith(("ibuf", "buf")):
            module = getattr(kernels, call[1]) if call[1] else interpreter
            found |= _offsets(inspect.getsource(getattr(module, call[2]).py_func))
        read[name.strip()] = found
    return read


READ = _read_offsets()


def test_every_opcode_has_a_layout_and_a_kernel():
    assert set(records.FIELDS) == set(OPCODES.values())
    assert set(READ) == set(OPCODES)


@pytest.mark.parametrize("name", sorted(OPCODES))
def test_kernel_reads_exactly_the_declared_fields(name):
    fields = records.FIELDS[OPCODES[name]]
    assert READ[name] == set(range(1, len(fields) + 1)), fields


@pytest.mark.parametrize("neuron_cls", list(NEURON_KERNELS), ids=lambda c: c.__name__)
def test_neuron_states_follow_the_layout(neuron_cls):
    opcode, _, states = NEURON_KERNELS[neuron_cls]
    assert records.FIELDS[opcode] == ("n", "J", "out", "params") + tuple(states)


def test_emit_checks_the_field_count():
    program = Program()
    program.emit(opcodes.TIME, [0, 1])
    with pytest.raises(ValueError, match=r"TIME record takes 2 arguments \(step, time\), got 3"):
        program.emit(opcodes.TIME, [0, 1, 2])
