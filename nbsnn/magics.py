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
from IPython.core.magic_arguments import (
    MagicArgumentParser, argument, magic_arguments, parse_argstring,
)

from .exceptions import SnnCellError, SnnSyntaxError, SnnWarning, SubcommandUnavailableError

__all__ = [
    "SnnMagics", "SubcommandUnavailableError", "SUBCOMMANDS",
    "load_ipython_extension", "register_if_in_ipython",
]

#: Subcommands provided by other parts of nbsnn: name -> "module:function".
#: Each module defines ``run_magic(shell, argv)`` and a ``HELP`` string.
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
            "push": ("pyNN",), "sweep": ("dask", "distributed", "pandas")}

_OWN_HELP = {
    "run": "%snn run NAME DURATION [--dt DT] [--seed N] [--no-plot] [--out VAR]\n"
           "    simulate network NAME (e.g. 2.5s) on nbsnn.Simulator, plot its probes,\n"
           "    and keep the data as VAR\n"
           "    (default NAME_result: .trange, .data, ['b_probe'])\n"
           "    --seed N fixes the whole run: the simulator's noise and, if the cell\n"
           "    gave no --seed, the neurons (encoders, gains, biases)",
    "show": "%snn show NAME [--edit]\n"
            "    print network NAME (any nengo.Network) as %%snn text; objects the\n"
            "    language cannot write become '# not expressible' comments\n"
            "    (--edit: put it in the next cell)",
    "help": "%snn help [SUBCOMMAND]\n    list the subcommands, or describe one",
}

_CELL_HELP = ("%%snn NAME [--seed N]\n"
              "    define network NAME from the cell (see docs/snn_language.md)\n"
              "    --seed N fixes the neurons (encoders, gains, biases) and, through\n"
              "    Nengo's rule (seed N+1), the simulator of every later run")

_notebook_output_ready = False


def _parser(prog: str) -> MagicArgumentParser:
    return MagicArgumentParser(prog=prog, add_help=False)


def _run_parser() -> MagicArgumentParser:
    """Arguments of ``%snn run`` (described in ``_OWN_HELP["run"]``)."""
    parser = _parser("%snn run")
    parser.add_argument("name")
    parser.add_argument("duration")
    parser.add_argument("--dt", default="1ms")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--no-plot", action="store_true")
    parser.add_argument("--out", default=None)
    return parser


def _show_parser() -> MagicArgumentParser:
    """Arguments of ``%snn show`` (described in ``_OWN_HELP["show"]``)."""
    parser = _parser("%snn show")
    parser.add_argument("name")
    parser.add_argument("--edit", action="store_true")
    return parser


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


def _describe(name: str) -> tuple[str, str | None]:
    """``(HELP text, missing package or None)`` of a subcommand, read without importing it.

    The help is the module's literal ``HELP`` string; a package is missing if
    the module imports it at the top or the subcommand `REQUIRES` it and it
    cannot be found.
    """
    module_name = SUBCOMMANDS[name].split(":")[0]
    path = _module_file(module_name)
    if path is None:
        return f"%snn {name}", module_name
    with open(path, encoding="utf-8") as file:
        tree = ast.parse(file.read())
    text, needed = f"%snn {name}", list(REQUIRES.get(name, ()))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "HELP" for t in node.targets):
            try:
                text = str(ast.literal_eval(node.value)).rstrip("\n")
            except ValueError:
                pass
        elif isinstance(node, ast.Import):
            needed += [alias.name.split(".")[0] for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            needed.append(node.module.split(".")[0])
    missing = next((m for m in needed if importlib.util.find_spec(m) is None), None)
    return text, missing


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

    @magic_arguments()
    @argument("name", help="Python name the network is bound to")
    @argument("--seed", type=int, default=None, help="seed of the network")
    @cell_magic("snn")
    def snn_cell(self, line: str, cell: str):
        """Define a network from the cell and bind it to NAME.

        The network is a `nengo.Network`; its named objects are attributes
        (``NAME.a``). A malformed cell raises a short located error and leaves
        the namespace as it was.
        """
        from IPython.display import display

        from .dsl import compile_cell

        args = parse_argstring(self.snn_cell, line)
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

        args = _run_parser().parse_args(argv)
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

        args = _show_parser().parse_args(argv)
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
        """``%snn help [SUBCOMMAND]``."""
        if argv:
            name = argv[0]
            if name in _OWN_HELP:
                print(_OWN_HELP[name])
            elif name in SUBCOMMANDS:
                text, missing = _describe(name)
                if missing:
                    raise _unavailable(name, missing)
                print(text)
            else:
                raise UsageError(f"unknown %snn subcommand {name!r}; see %snn help")
            return
        lines = [_CELL_HELP, *(_OWN_HELP[k] for k in ("run", "show", "help"))]
        for name in SUBCOMMANDS:
            text, missing = _describe(name)
            if missing:
                text = f"%snn {name}\n    (not installed: pip install 'nbsnn[{EXTRAS[name]}]')"
            if text not in lines:  # subcommands of one module share its HELP
                lines.append(text)
        print("\n".join(lines))


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
