"""IPython magics: ``%%snn NAME`` defines a network, ``%snn ...`` works with it.

Load them with ``%load_ext nbsnn.magics`` (``import nbsnn`` inside IPython does
it too). ``%snn help`` lists the subcommands.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import os
import shlex
import sys
import warnings

from IPython.core.error import UsageError
from IPython.core.magic import Magics, cell_magic, line_magic, magics_class

from .commands import PARSERS
from .commands.core import cell_parser
from .exceptions import SnnCellError, SnnSyntaxError, SnnWarning, SubcommandUnavailableError
from .subcommand import format_summary

__all__ = [
    "SnnMagics", "SubcommandUnavailableError", "SUBCOMMANDS",
    "load_ipython_extension", "register_if_in_ipython",
]

#: Subcommands provided by other parts of nbsnn: name -> "module:function".
#: Each function takes ``(shell, argv)``; its arguments are in `nbsnn.commands`.
SUBCOMMANDS = {
    "live": "nbsnn.dashboard.magic:run_magic",
    "convert": "nbsnn.convert.magic:run_magic",
    "push": "nbsnn.spinnaker.magic:run_magic",
    "sweep": "nbsnn.sweep.magic:run_magic",
    "export": "nbsnn.nir.magic:run_export",
    "import": "nbsnn.nir.magic:run_import",
}

#: The pip extra that each subcommand needs.
EXTRAS = {"live": "dashboard", "convert": "keras", "push": "spinnaker", "sweep": "sweep",
          "export": "nir", "import": "nir"}

#: Packages each subcommand needs, checked by ``%snn help`` without importing them.
REQUIRES = {"live": ("bokeh", "ipywidgets", "jupyter_bokeh"), "convert": ("keras",),
            "push": ("pyNN",), "sweep": ("dask", "distributed", "pandas"),
            "export": ("nir",), "import": ("nir",)}

_notebook_output_ready = False


def _unavailable(name: str, missing: str) -> SubcommandUnavailableError:
    module_name = SUBCOMMANDS[name].split(":")[0]
    if missing == module_name or module_name.startswith(missing + "."):
        reason = f"this nbsnn installation has no {module_name}"
    else:
        reason = f"it needs {missing!r}, which is not installed"
    return SubcommandUnavailableError(
        f"%snn {name} is unavailable: {reason}. "
        f"Install it with: pip install 'nbsnn[{EXTRAS[name]}]'")


def _load_subcommand(name: str):
    module_name, func_name = SUBCOMMANDS[name].split(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as err:
        raise _unavailable(name, err.name or "?") from None
    return module, getattr(module, func_name)


def _module_file(module_name: str) -> str | None:
    """Source file of a module, found without importing it or its packages."""
    parts = module_name.split(".")
    spec = importlib.util.find_spec(parts[0])
    if spec is None:
        return None
    path = spec.origin
    locations = list(spec.submodule_search_locations or [])
    for part in parts[1:]:
        for folder in locations:
            base = os.path.join(folder, part)
            if os.path.isfile(base + ".py"):
                path, locations = base + ".py", []
                break
            if os.path.isfile(os.path.join(base, "__init__.py")):
                path, locations = os.path.join(base, "__init__.py"), [base]
                break
        else:
            return None
    return path if path and path.endswith(".py") else None


def _missing(name: str) -> str | None:
    """The package a subcommand needs that is not installed, or None; found without
    importing it: its module, a package its module imports at the top, or one it
    `REQUIRES`."""
    module_name = SUBCOMMANDS[name].split(":")[0]
    path = _module_file(module_name)
    if path is None:
        return module_name
    with open(path, encoding="utf-8") as file:
        tree = ast.parse(file.read())
    needed = list(REQUIRES.get(name, ()))
    for node in tree.body:
        if isinstance(node, ast.Import):
            needed += [alias.name.split(".")[0] for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            needed.append(node.module.split(".")[0])
    return next((m for m in needed if importlib.util.find_spec(m) is None), None)


def _duration(text: str) -> float:
    from .dsl.lexer import tokenize
    from .dsl.vocabulary import TIME_UNITS

    try:
        lines = tokenize(text)
    except SnnSyntaxError:
        lines = []
    tokens = lines[0].tokens if lines else ()
    if len(tokens) == 2 and tokens[0].kind == "number":
        value = f"{tokens[0].value:g}"
        raise UsageError(f"{text!r} has no unit; write {value}s or {value}ms")
    if len(tokens) == 2 and tokens[0].kind == "quantity":
        token = tokens[0]
        scale = TIME_UNITS.get(token.unit)
        if scale is not None and token.value > 0:
            return token.value / scale
    raise UsageError(f"{text!r} is not a duration; write e.g. 2.5s or 500ms")


def _show_warnings(caught) -> None:
    """Print the located warnings of a cell (others are warned again as they were)."""
    for warning in caught:
        if issubclass(warning.category, SnnWarning):
            print(f"SnnWarning: {warning.message}", file=sys.stderr)
        else:
            warnings.warn_explicit(warning.message, warning.category, warning.filename,
                                   warning.lineno)


@magics_class
class SnnMagics(Magics):
    """The ``%%snn`` cell magic and the ``%snn`` line magic."""

    @cell_magic("snn")
    def snn_cell(self, line: str, cell: str):
        """Define a network from the cell and bind it to NAME.

        The network is a `nengo.Network`; its named objects are attributes
        (``NAME.a``). A malformed cell raises a short located error and leaves
        the namespace as it was. ``%snn help`` shows the arguments.
        """
        from IPython.display import display

        from .dsl import compile_cell

        args = cell_parser().parse_args(shlex.split(line))
        if not args.name.isidentifier():
            raise UsageError(f"%%snn needs a Python name, got {args.name!r}")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", SnnWarning)
            try:
                net = compile_cell(cell, label=args.name, seed=args.seed, first_line=2)
            except SnnSyntaxError as err:
                raise SnnCellError(err) from None
        _show_warnings(caught)
        self.shell.user_ns[args.name] = net
        display(net)

    @line_magic("snn")
    def snn_line(self, line: str):
        """Subcommands: ``%snn run``, ``%snn show``, ``%snn help``, and those of other parts.

        ``%snn help`` lists them all.
        """
        argv = shlex.split(line)
        if not argv:
            return self.help([])
        command, rest = argv[0], argv[1:]
        own = {"run": self.run, "show": self.show, "help": self.help}
        if command in own:
            return own[command](rest)
        if command in SUBCOMMANDS:
            _, function = _load_subcommand(command)
            return function(self.shell, rest)
        from .dsl.errors import suggest

        guess = suggest(command, [*own, *SUBCOMMANDS])
        hint = f" Did you mean '{guess}'?" if guess else ""
        raise UsageError(f"unknown %snn subcommand {command!r}.{hint} See %snn help.")

    # -- subcommands ------------------------------------------------------
    def network(self, name: str):
        """Return the network bound to ``name`` in the user namespace."""
        import nengo

        net = self.shell.user_ns.get(name)
        if not isinstance(net, nengo.Network):
            raise UsageError(f"no network named {name!r}; define one with %%snn {name}")
        return net

    def run(self, argv: list[str]):
        """``%snn run NAME DURATION``: simulate, plot, keep the data."""
        from .dsl.run import run

        args = PARSERS["run"]().parse_args(argv)
        net = self.network(args.name)
        out = args.out or f"{args.name}_result"
        if not out.isidentifier():
            raise UsageError(f"--out needs a Python name, got {out!r}")
        import nengo

        try:
            result = run(net, _duration(args.duration), dt=_duration(args.dt),
                         seed=args.seed)
        except nengo.exceptions.BuildError as err:
            raise UsageError(f"%snn run {args.name}: the network cannot be built: {err} "
                             "(the object named is the one of that name in the cell)"
                             ) from None
        self.shell.user_ns[out] = result
        if not args.no_plot and result.data:
            self.plot(result)
        print(f"ran {args.name!r} for {result.trange[-1]:g} s; data in {out} "
              f"(probes: {', '.join(result.probes) or 'none'})")

    def plot(self, result) -> None:
        """Show the probes of a `RunResult` as bokeh figures in the notebook."""
        global _notebook_output_ready
        from bokeh.io import output_notebook, show

        if not _notebook_output_ready:
            output_notebook(hide_banner=True)
            _notebook_output_ready = True
        show(result.layout())

    def show(self, argv: list[str]):
        """``%snn show NAME``: print the network as cell text."""
        from .dsl import to_text

        args = PARSERS["show"]().parse_args(argv)
        text = to_text(self.network(args.name), partial=True)
        skipped = sum(line.lstrip().startswith("# not expressible") for line in
                      text.splitlines())
        if skipped:
            text += (f"# {skipped} object(s) above cannot be written in %%snn (their "
                     "lines are comments); the rest compiles as a cell\n")
        if args.edit:
            self.shell.set_next_input(f"%%snn {args.name}\n{text}", replace=False)
        else:
            print(text, end="")

    def help(self, argv: list[str]):
        """``%snn help [SUBCOMMAND]``: the help made from each subcommand's parser."""
        args = PARSERS["help"]().parse_args(argv)
        if args.subcommand is not None:
            name = args.subcommand
            if name not in PARSERS:
                raise UsageError(f"unknown %snn subcommand {name!r}; see %snn help")
            missing = _missing(name) if name in SUBCOMMANDS else None
            if missing:
                raise _unavailable(name, missing)
            print(PARSERS[name]().help_text)
            return
        texts = [format_summary(cell_parser())]
        for name, parser in PARSERS.items():
            missing = _missing(name) if name in SUBCOMMANDS else None
            texts.append(f"%snn {name}\n    (not installed: pip install "
                         f"'nbsnn[{EXTRAS[name]}]')" if missing else format_summary(parser()))
        texts.append("%snn help SUBCOMMAND describes its arguments, with examples.")
        print("\n".join(texts))


def load_ipython_extension(ipython) -> None:
    """Register the ``%%snn`` and ``%snn`` magics (``%load_ext nbsnn.magics``)."""
    ipython.register_magics(SnnMagics)


def register_if_in_ipython() -> bool:
    """Register the magics if running inside IPython.

    Returns
    -------
    bool
        Whether an IPython shell was found (and the magics registered).
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None:
        return False
    load_ipython_extension(shell)
    return True
