"""Every public exception class lives in `nbsnn.exceptions`, under one base."""

import ast
import pathlib

import nbsnn.exceptions as exceptions

PACKAGE = pathlib.Path(exceptions.__file__).parent

#: Signals passed between nbsnn's own modules and caught there; they never reach users.
INTERNAL = {"NotCompilable"}  # raised by a kernel builder, caught in backend/builder.py


def _is_exception(node, known):
    """True when a class statement derives from an exception or warning class."""
    for base in node.bases:
        name = base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "")
        if name in known or name.endswith(("Error", "Warning", "Exception")):
            return True
    return False


def test_public_exception_classes_are_defined_in_nbsnn_exceptions():
    known = set(exceptions.__all__)
    strays = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "exceptions.py" and path.parent == PACKAGE:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (isinstance(node, ast.ClassDef) and not node.name.startswith("_")
                    and node.name not in INTERNAL and _is_exception(node, known)):
                strays.append(f"{path.relative_to(PACKAGE.parent)}: {node.name}")
    assert strays == [], "define public exception classes in nbsnn/exceptions.py"


def test_errors_derive_from_nbsnn_error_and_warnings_from_user_warning():
    for name in exceptions.__all__:
        cls = getattr(exceptions, name)
        assert cls.__module__ == "nbsnn.exceptions"
        if issubclass(cls, Warning):
            assert issubclass(cls, UserWarning), name
        else:
            assert issubclass(cls, exceptions.NbsnnError), name


def test_moved_classes_keep_their_builtin_bases_and_old_import_paths():
    from nbsnn.convert.converter import ConversionError
    from nbsnn.dsl import SliderRangeError, SnnSyntaxError
    from nbsnn.magics import SubcommandUnavailableError
    from nbsnn.spinnaker import BoardUnreachableError
    from nbsnn.sweep.grid import SweepSpaceError

    assert issubclass(ConversionError, TypeError)
    assert issubclass(SliderRangeError, ValueError)
    assert issubclass(SnnSyntaxError, SyntaxError)
    assert issubclass(SubcommandUnavailableError, ImportError)
    assert issubclass(BoardUnreachableError, ConnectionError)
    assert issubclass(SweepSpaceError, ValueError)
    assert ConversionError is exceptions.ConversionError
