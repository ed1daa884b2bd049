"""Safe arithmetic expressions of ``x`` (connection functions) or ``t`` (inputs).

Expressions are parsed with Python's `ast` module and checked against a
whitelist: numbers, the variables of the context, ``pi`` and ``e``, arithmetic
and comparison operators, indexing such as ``x[0]``, lists, and calls to the
NumPy functions in `FUNCTIONS`. They are then evaluated by walking the tree;
nothing is ever passed to `eval` or `compile`.
"""

from __future__ import annotations

import ast
import operator
import warnings

import numpy as np

from .errors import SnnSyntaxError, suggest

__all__ = ["Expression", "FUNCTIONS", "CONSTANTS", "parse_expression"]

#: Functions callable in expressions: name -> (callable, min args, max args).
FUNCTIONS = {
    "sin": (np.sin, 1, 1),
    "cos": (np.cos, 1, 1),
    "tan": (np.tan, 1, 1),
    "arcsin": (np.arcsin, 1, 1),
    "arccos": (np.arccos, 1, 1),
    "arctan": (np.arctan, 1, 1),
    "arctan2": (np.arctan2, 2, 2),
    "sinh": (np.sinh, 1, 1),
    "cosh": (np.cosh, 1, 1),
    "tanh": (np.tanh, 1, 1),
    "exp": (np.exp, 1, 1),
    "log": (np.log, 1, 1),
    "log2": (np.log2, 1, 1),
    "log10": (np.log10, 1, 1),
    "sqrt": (np.sqrt, 1, 1),
    "square": (np.square, 1, 1),
    "abs": (np.abs, 1, 1),
    "sign": (np.sign, 1, 1),
    "floor": (np.floor, 1, 1),
    "ceil": (np.ceil, 1, 1),
    "minimum": (np.minimum, 2, 2),
    "maximum": (np.maximum, 2, 2),
    "clip": (np.clip, 3, 3),
    "where": (np.where, 3, 3),
    "sum": (np.sum, 1, 1),
    "prod": (np.prod, 1, 1),
    "mean": (np.mean, 1, 1),
    "dot": (np.dot, 2, 2),
    "norm": (np.linalg.norm, 1, 1),
}

#: Named constants usable in expressions.
CONSTANTS = {"pi": np.pi, "e": np.e}

_BINOPS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
_UNARYOPS = {ast.USub: operator.neg, ast.UAdd: operator.pos}
_COMPARE = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}


class Expression:
    """A checked expression, callable as a Nengo node output or connection function.

    Parameters
    ----------
    source : str
        The expression as written, e.g. ``"x[0] * x[1]"``.
    variable : str
        ``"x"`` for connection functions (called with the decoded vector) or
        ``"t"`` for inputs (called with the time in seconds).
    tree : ast.Expression
        The checked syntax tree of ``source``.
    constants : dict, optional
        Named constants of the cell that the expression uses (name -> number).

    Notes
    -----
    Create instances with `parse_expression`, which does the checking.
    """

    def __init__(self, source: str, variable: str, tree: ast.Expression,
                 constants: dict | None = None) -> None:
        self.source = source
        self.variable = variable
        self.tree = tree
        self.constants = dict(constants or {})

    @property
    def uses_variable(self) -> bool:
        """Whether the expression mentions its variable (else it is constant)."""
        return any(
            isinstance(n, ast.Name) and n.id == self.variable
            for n in ast.walk(self.tree)
        )

    def __call__(self, *args):
        """Evaluate at ``x`` (a vector) or ``t`` (a time); extra arguments are ignored."""
        value = args[0] if args else 0.0
        if self.variable == "x":
            value = np.asarray(value, dtype=np.float64)
        else:
            value = np.float64(value)
        with np.errstate(all="ignore"):
            return self._eval(self.tree.body, value)

    def __repr__(self) -> str:
        return f"Expression({self.source!r}, variable={self.variable!r})"

    def _eval(self, node, value):
        if isinstance(node, ast.Constant):
            return np.float64(node.value)
        if isinstance(node, ast.Name):
            if node.id == self.variable:
                return value
            return np.float64(self.constants.get(node.id, CONSTANTS.get(node.id)))
        if isinstance(node, ast.BinOp):
            left = self._eval(node.left, value)
            return _BINOPS[type(node.op)](left, self._eval(node.right, value))
        if isinstance(node, ast.UnaryOp):
            return _UNARYOPS[type(node.op)](self._eval(node.operand, value))
        if isinstance(node, ast.Compare):
            left = self._eval(node.left, value)
            result = True
            for op, right_node in zip(node.ops, node.comparators, strict=True):
                right = self._eval(right_node, value)
                result = np.logical_and(result, _COMPARE[type(op)](left, right))
                left = right
            return np.asarray(result, dtype=np.float64)
        if isinstance(node, ast.Call):
            func = FUNCTIONS[node.func.id][0]
            return func(*(self._eval(a, value) for a in node.args))
        if isinstance(node, ast.Subscript):
            return self._eval(node.value, value)[self._index(node.slice)]
        if isinstance(node, (ast.List, ast.Tuple)):
            parts = [np.ravel(self._eval(e, value)) for e in node.elts]
            return np.concatenate(parts) if parts else np.zeros(0)
        raise TypeError(f"unchecked node {type(node).__name__}")  # pragma: no cover

    def _index(self, node):
        if isinstance(node, ast.Slice):
            return slice(*(None if p is None else _const_int(p) for p in
                           (node.lower, node.upper, node.step)))
        return _const_int(node)


def _const_int(node) -> int:
    if isinstance(node, ast.UnaryOp):
        return -_const_int(node.operand)
    return int(node.value)


class _Checker:
    """Walks a parsed expression and rejects anything off the whitelist."""

    def __init__(self, variable, line, column, text, source, texts, constants, below):
        self.variable = variable
        self.line = line
        self.column = column
        self.text = text
        self.source = source
        self.texts = texts
        self.constants = constants
        self.below = below

    def fail(self, node, message, expected=None, suggestion=None, width=None):
        line, col, text = _locate(self, getattr(node, "lineno", 1),
                                  getattr(node, "col_offset", 0))
        end = getattr(node, "end_col_offset", None)
        same_line = getattr(node, "end_lineno", 1) == getattr(node, "lineno", 1)
        length = width or (end - node.col_offset if end is not None and same_line else 1)
        raise SnnSyntaxError(message, line, col, text, length, expected, suggestion)

    def check(self, node):
        if isinstance(node, ast.Constant):
            if type(node.value) not in (int, float):
                self.fail(node, f"{type(node.value).__name__} values are not allowed",
                          expected="a number")
            if type(node.value) is int and abs(node.value) > 2**63:
                self.fail(node, "number is too large")
        elif isinstance(node, ast.Name):
            names = {self.variable, *CONSTANTS, *self.constants}
            if node.id not in names:
                hint = suggest(node.id, sorted(names | set(FUNCTIONS)))
                other = "t" if self.variable == "x" else "x"
                message = f"unknown name '{node.id}'"
                if node.id in self.below:
                    message = f"'{node.id}' is defined below, on line {self.below[node.id]}"
                    hint = None
                elif node.id == other:
                    message = (f"'{other}' cannot be used here; this expression "
                               f"is a function of '{self.variable}'")
                    hint = None
                self.fail(node, message, expected=f"'{self.variable}', 'pi', 'e', "
                          "a number or a function call", suggestion=hint)
        elif isinstance(node, ast.BinOp):
            if type(node.op) not in _BINOPS:
                self.fail(node, "operator not allowed", expected="+ - * / // % **")
            self.check(node.left)
            self.check(node.right)
        elif isinstance(node, ast.UnaryOp):
            if type(node.op) not in _UNARYOPS:
                self.fail(node, "operator not allowed", expected="- or +")
            self.check(node.operand)
        elif isinstance(node, ast.Compare):
            for op in node.ops:
                if type(op) not in _COMPARE:
                    self.fail(node, "comparison not allowed", expected="< <= > >= == !=")
            self.check(node.left)
            for comp in node.comparators:
                self.check(comp)
        elif isinstance(node, ast.Call):
            self.check_call(node)
        elif isinstance(node, ast.Subscript):
            if not (isinstance(node.value, ast.Name) and node.value.id == self.variable):
                self.fail(node, f"only '{self.variable}' can be indexed",
                          expected=f"e.g. {self.variable}[0]")
            self.check_index(node.slice)
        elif isinstance(node, (ast.List, ast.Tuple)):
            if not node.elts:
                self.fail(node, "empty list", expected="at least one element")
            for elt in node.elts:
                self.check(elt)
        else:
            self.fail(node, f"'{ast.get_source_segment(self.source, node) or type(node).__name__}'"
                      " is not allowed in an expression",
                      expected="arithmetic on numbers, "
                      f"'{self.variable}', pi, e and numpy functions such as sin")

    def check_call(self, node):
        if not isinstance(node.func, ast.Name):
            self.fail(node.func, "only plain function names can be called",
                      expected="e.g. sin(x)")
        name = node.func.id
        if name not in FUNCTIONS:
            self.fail(node.func, f"unknown function '{name}'",
                      expected="one of " + ", ".join(sorted(FUNCTIONS)),
                      suggestion=suggest(name, FUNCTIONS))
        if node.keywords:
            self.fail(node.keywords[0].value, "keyword arguments are not allowed here")
        _, low, high = FUNCTIONS[name]
        if not low <= len(node.args) <= high:
            count = str(low) if low == high else f"{low} to {high}"
            self.fail(node, f"{name}() takes {count} argument(s), got {len(node.args)}")
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                self.fail(arg, "'*' arguments are not allowed")
            self.check(arg)

    def check_index(self, node):
        parts = (node.lower, node.upper, node.step) if isinstance(node, ast.Slice) else (node,)
        for part in parts:
            if part is None:
                continue
            inner = part.operand if (
                isinstance(part, ast.UnaryOp) and isinstance(part.op, ast.USub)) else part
            if not (isinstance(inner, ast.Constant) and type(inner.value) is int
                    and abs(inner.value) < 2**31):
                self.fail(part, "index must be a whole number", expected="e.g. x[0]")
        if isinstance(node, ast.Slice) and node.step is not None and _const_int(node.step) == 0:
            self.fail(node.step, "slice step cannot be zero")


#: Deepest expression tree accepted: evaluating it recurses once per level, and
#: Python's default limit of 1000 frames is shared with Nengo and Jupyter.
MAX_DEPTH = 500


def _depth(tree) -> int:
    """Levels of ``tree``, counted without recursion."""
    depth, level = 0, [tree]
    while level:
        depth += 1
        level = [child for node in level for child in ast.iter_child_nodes(node)]
    return depth


def _locate(where, lineno: int, col_offset: int):
    """Source line, column and text of a position in a (possibly wrapped) expression."""
    if lineno <= 1:
        return where.line, where.column + col_offset, where.text
    line = where.line + lineno - 1
    return line, col_offset + 1, where.texts.get(line, "")


def parse_expression(
    source: str, variable: str, line: int = 1, column: int = 1, text: str | None = None,
    texts: dict | None = None, constants: dict | None = None, below: dict | None = None,
) -> Expression:
    """Parse and check an expression.

    Parameters
    ----------
    source : str
        Expression text; it may span lines inside brackets.
    variable : {"x", "t"}
        The free variable allowed in the expression.
    line, column : int
        Position of ``source`` in the cell (for error messages).
    text : str, optional
        The whole source line (for error messages); defaults to ``source``.
    texts : dict, optional
        Source line number -> text, for expressions that span lines.
    constants : dict, optional
        Named constants of the cell (name -> number) the expression may use.
    below : dict, optional
        Names the cell defines further down (name -> line), for the message.

    Returns
    -------
    Expression
        Its ``source`` is on one line, also when it was written on several.

    Raises
    ------
    SnnSyntaxError
        If the text is not a valid expression or uses something outside the
        whitelist.
    """
    text = source if text is None else text
    constants = dict(constants or {})
    stripped = source.strip()
    lead = len(source) - len(source.lstrip())
    where = _Checker(variable, line, column + lead, text, stripped, texts or {}, constants,
                     below or {})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)
            tree = ast.parse(stripped, mode="eval")
    except SyntaxError as err:
        offset = (err.offset or 0) - 1
        msg = (err.msg or "invalid syntax").split(" (")[0]
        err_line, err_col, err_text = _locate(where, err.lineno or 1, max(offset, 0))
        if (err.lineno or 1) == 1 and not 0 <= offset < len(stripped.split("\n")[0]):
            err_col = where.column + len(stripped)
            msg = "the expression ends too early" if msg == "invalid syntax" else msg
        raise SnnSyntaxError(f"invalid expression: {msg}", err_line, err_col, err_text,
                             expected="an expression such as x**2 or sin(2*pi*t)"
                             ) from None
    except (ValueError, RecursionError, MemoryError):
        raise SnnSyntaxError("invalid expression", line, column, text,
                             max(len(stripped), 1)) from None
    if _depth(tree) > MAX_DEPTH:  # evaluation recurses once per level
        raise SnnSyntaxError(f"expression is nested too deeply (more than {MAX_DEPTH} "
                             "levels, e.g. terms of one sum)", line, column, text,
                             max(len(stripped), 1))
    try:
        where.check(tree.body)
    except RecursionError:
        raise SnnSyntaxError("expression is nested too deeply", line, column, text,
                             max(len(stripped), 1)) from None
    if "\n" in stripped:
        stripped = ast.unparse(tree)
        tree = ast.parse(stripped, mode="eval")
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    return Expression(stripped, variable, tree,
                      {k: v for k, v in constants.items() if k in used})
