"""Compile a ``%%snn`` syntax tree into a `nengo.Network` (no IPython involved).

The compiler is split by concern: `nbsnn.dsl.values` turns option values into
numbers and Nengo objects (units, warnings), `nbsnn.dsl.signals` builds input
nodes, `nbsnn.dsl.connections` builds connections (transforms, functions,
learning), `nbsnn.dsl.scope` keeps the names, and this module walks the
statements and builds ensembles, networks, references and probes.
"""

from __future__ import annotations

import inspect
import re

import nengo
import numpy as np

from .connections import Connections
from .errors import SnnSyntaxError, suggest
from .expressions import CONSTANTS, FUNCTIONS
from .library import ARGUMENTS_ATTR, NETWORKS, parameter_kind, parameters
from .network import SnnNetwork
from .parser import parse
from .scope import Scope
from .syntax import (
    ArrayDef, Assign, Call, ConstantDef, Connect, EnsembleDef, InputDef, LibraryDef,
    NetworkDef, ProbeDef, Program, Ref,
)
from .values import NENGO_ERRORS
from .vocabulary import (
    NEURON_TYPES, RESERVED_NAMES, TIME_PARAMETERS, default_probe_name, neuron_parameters,
)

__all__ = ["compile_cell", "compile_program"]

_ENSEMBLE_OPTIONS = ("dims", "dimensions", "rates", "intercepts", "radius", "encoders",
                     "seed", "label")
_PROBE_OPTIONS = ("synapse", "sample_every", "label")
_EXPRESSION_NAMES = {"x", "t", *CONSTANTS, *FUNCTIONS}
_ADVICE = "docs/snn_language.md lists what each statement takes"


class _Compiler(Connections):
    def __init__(self, text_lines: dict[int, str]) -> None:
        self.text_lines = text_lines
        self.scope: Scope | None = None
        self.arrays: dict[int, nengo.networks.EnsembleArray] = {}  # id(output) -> array
        self.array_outputs: dict[tuple[int, str], nengo.Node] = {}  # function outputs
        self.neuron_nodes: set[int] = set()  # arrays' neuron_input / neuron_output

    def constant(self, name: str):
        return self.scope.constant(name) if self.scope is not None else None

    def defined_below(self, name: str) -> int | None:
        return self.scope.defined_below(name) if self.scope is not None else None

    # -- statements -------------------------------------------------------
    def block(self, statements, scope: Scope) -> None:
        outer, self.scope = self.scope, scope
        for statement in statements:
            if isinstance(statement, Assign):
                scope.below.setdefault(statement.name.text, statement.name.line)
        with scope.network:
            for statement in statements:
                if isinstance(statement, Assign):
                    scope.below.pop(statement.name.text, None)
                self.statement(statement, scope)
        self.scope = outer

    def statement(self, statement, scope: Scope) -> None:
        if isinstance(statement, Assign):
            self.assign(statement, scope)
        elif isinstance(statement, Connect):
            self.guard(self.connect, statement, scope, None)
        else:
            probe, name = self.guard(self.probe, statement, scope, None)
            self.bind(scope, name, probe, statement.token)

    def guard(self, method, node, scope, name):
        try:
            return method(node, scope, name)
        except SnnSyntaxError:
            raise
        except NENGO_ERRORS as err:
            self.nengo_error(node.token, err)

    def nengo_error(self, token, err: Exception):
        """Fail with Nengo's complaint in the language's words, where it can be read."""
        attr = getattr(err, "attr", None)
        text = re.sub(r"^\w+(\.\w+)*: ", "", _first_line(err))
        if attr:
            self.fail(token, f"invalid {attr}: {text}",
                      expected=f"another value for {attr}= ({_ADVICE})")
        self.fail(token, f"this cannot be built: {text}", expected=_ADVICE)

    def assign(self, statement: Assign, scope: Scope) -> None:
        name, value = statement.name, statement.value
        if name.text in scope.lines:
            self.fail(name, f"'{name.text}' is already defined on line "
                      f"{scope.lines[name.text]}", expected="a new name")
        if name.text.startswith("_"):
            self.fail(name, f"'{name.text}': names cannot start with '_'",
                      expected="a name starting with a letter")
        if name.text in RESERVED_NAMES:
            self.fail(name, f"'{name.text}' is an attribute of nengo.Network and "
                      "cannot name an object", expected="another name")
        if isinstance(value, ConstantDef):
            if name.text in _EXPRESSION_NAMES:
                self.fail(name, f"'{name.text}' already means something in expressions",
                          expected="another name for the constant")
            scope.constants[name.text] = value.value
            scope.lines[name.text] = name.line
            return
        if isinstance(value, NetworkDef):
            sub = SnnNetwork(label=name.text)
            inner = Scope(sub, scope)
            self.block(value.body, inner)
            self.bind(scope, name, sub, name)
            scope.scopes[name.text] = inner
            return
        methods = {EnsembleDef: self.ensemble, ArrayDef: self.ensemble_array,
                   InputDef: self.input, LibraryDef: self.library,
                   Connect: self.connect, ProbeDef: self.probe}
        obj = self.guard(methods[type(value)], value, scope, name.text)
        if isinstance(value, ProbeDef):
            obj = obj[0]
        self.bind(scope, name, obj, name)

    def bind(self, scope: Scope, name, obj, token) -> None:
        text = name if isinstance(name, str) else name.text
        scope.names[text] = obj
        scope.lines[text] = token.line
        setattr(scope.network, text, obj)

    def label(self, options, name):
        return self.text(options["label"]) if "label" in options else name

    # -- ensembles and networks ---------------------------------------------
    def ensemble_kwargs(self, node: EnsembleDef, n_neurons):
        options = self.option_map(node.options, _ENSEMBLE_OPTIONS, "an ensemble")
        kwargs = {"neuron_type": self.neuron_type(node)}
        for key, value in options.items():
            if key in ("dims", "dimensions"):
                if "dimensions" in kwargs:
                    self.fail(value.token, "dimensions given twice")
                kwargs["dimensions"] = self.integer(value, "dims")
            elif key == "rates":
                kwargs["max_rates"] = self.distribution(value, "rates", self.frequency)
            elif key == "intercepts":
                kwargs["intercepts"] = dist = self.distribution(value, "intercepts",
                                                                self.number)
                high = dist.high if isinstance(dist, nengo.dists.Uniform) else np.max(
                    dist.options)
                if high >= 1:
                    self.fail(value.token, f"intercepts up to {high:g}: a neuron with an "
                              "intercept of 1 or more never fires", expected="intercepts "
                              "below 1 (fractions of the radius), e.g. -0.5..0.5")
            elif key == "radius":
                kwargs["radius"] = self.number(value, "a radius")
                if kwargs["radius"] <= 0:
                    self.fail(value.token, "radius must be positive")
            elif key == "seed":
                kwargs["seed"] = self.integer(value, "seed", low=0)
            elif key == "label":
                kwargs["label"] = self.text(value)
        if "encoders" in options:
            kwargs["encoders"] = self.encoders(options["encoders"], n_neurons,
                                               kwargs.get("dimensions", 1))
        if "rates" in options:
            self.check_rates(options["rates"], kwargs["max_rates"], kwargs["neuron_type"])
        return kwargs

    def check_rates(self, value, rates, neuron_type) -> None:
        """Rates a refractory period allows (Nengo would refuse them only at build time)."""
        tau_ref = getattr(neuron_type, "tau_ref", 0)
        highest = rates.high if isinstance(rates, nengo.dists.Uniform) else np.max(
            rates.options)
        if tau_ref > 0 and highest >= 1 / tau_ref:
            self.fail(value.token, f"rates up to {highest:g} Hz, but with tau_ref="
                      f"{tau_ref * 1e3:g}ms a neuron fires below {1 / tau_ref:g} Hz",
                      expected="lower rates, or a shorter tau_ref")
        if highest < 1:
            self.warn(value.token, f"maximum rates of {highest:g} Hz are very low "
                      "(rates are in hertz)", expected="rates such as 40..60 or 200..400")

    def encoders(self, value, n_neurons, dims):
        if isinstance(value, Call):
            dist = self.distribution(value, "encoders", self.number)
            if not isinstance(dist, nengo.dists.Choice) or dist.options.shape[1] != dims:
                self.fail(value.token, f"encoders are {dims}-D vectors",
                          expected=f"choice(...) of {dims}-D vectors")
            return dist
        data = self.array(value, "encoders")
        if np.ndim(data) != 2 or np.shape(data) != (n_neurons, dims):
            self.fail(value.token, f"encoders take one {dims}-D vector per neuron "
                      f"({n_neurons} rows)", expected="a matrix, or choice([1, 1], "
                      "[-1, 1], ...) to draw each neuron's encoder from a few")
        return data

    def neuron_type(self, node: EnsembleDef):
        spec = node.neuron
        if spec is None:
            return nengo.LIF()
        if spec.name not in NEURON_TYPES:
            self.fail(spec.token, f"unknown neuron type '{spec.name}'",
                      expected="one of " + ", ".join(NEURON_TYPES),
                      suggestion=suggest(spec.name, NEURON_TYPES))
        cls = NEURON_TYPES[spec.name]
        options = self.option_map(spec.options, neuron_parameters(cls), spec.name)
        params = {}
        for key, value in options.items():
            params[key] = self.time(value, key, long=key) if key in TIME_PARAMETERS \
                else self.number(value, key)
        try:
            neuron_type = cls(**params)
        except NENGO_ERRORS as err:
            self.nengo_error(spec.token, err)
        tau_rc, tau_ref = getattr(neuron_type, "tau_rc", None), getattr(
            neuron_type, "tau_ref", None)
        if tau_rc is not None and tau_ref is not None and tau_ref >= tau_rc:
            self.warn(spec.token, f"tau_ref ({tau_ref * 1e3:g}ms) is not shorter than "
                      f"tau_rc ({tau_rc * 1e3:g}ms): the neurons will barely fire",
                      expected="a refractory period of a few ms, e.g. "
                      f"{spec.name}(tau_rc=20ms, tau_ref=2ms)")
        return neuron_type

    def ensemble(self, node: EnsembleDef, scope, name):
        kwargs = self.ensemble_kwargs(node, node.n_neurons)
        kwargs.setdefault("label", name)
        return nengo.Ensemble(node.n_neurons, kwargs.pop("dimensions", 1), **kwargs)

    def ensemble_array(self, node: ArrayDef, scope, name):
        kwargs = self.ensemble_kwargs(node.ensemble, node.ensemble.n_neurons)
        dims = kwargs.pop("dimensions", 1)
        seed = kwargs.pop("seed", None)
        label = kwargs.pop("label", name)
        return nengo.networks.EnsembleArray(
            node.ensemble.n_neurons, node.count, ens_dimensions=dims, label=label,
            seed=seed, **kwargs)

    def library(self, node: LibraryDef, scope, name):
        call = node.call
        if call.name not in NETWORKS:
            self.fail(call.token, f"unknown network '{call.name}'",
                      expected="one of " + ", ".join(NETWORKS),
                      suggestion=suggest(call.name, NETWORKS))
        if node.options:
            self.fail(node.options[0].token, "options go inside the brackets",
                      expected=f"{call.name}(..., {node.options[0].key}=...)")
        if call.pairs:
            self.fail(call.pairs[0][0].token, "'t: value' pairs only go in piecewise(...)")
        cls = NETWORKS[call.name]
        names = parameters(cls)
        signature = inspect.signature(cls.__init__).parameters
        if len(call.args) > len(names):
            self.fail(call.args[len(names)].token, f"{call.name}() takes at most "
                      f"{len(names)} values", expected=", ".join(names))
        given = dict(zip(names, call.args, strict=False))
        for option in call.kwargs:
            key = "dimensions" if option.key == "dims" and "dimensions" in names \
                else option.key
            if key not in (*names, "label", "seed"):
                self.fail(option.token, f"unknown option '{option.key}' for {call.name}()",
                          expected=", ".join(names), suggestion=suggest(key, names))
            if key in given:
                self.fail(option.token, f"'{key}' given twice")
            given[key] = option.value
        missing = [p for p in names if signature[p].default is signature[p].empty
                   and p not in given]
        if missing:
            self.fail(call.token, f"{call.name}() needs {', '.join(missing)}",
                      expected=f"{call.name}({', '.join(f'{p}=...' for p in names)})")
        kwargs = {}
        for key, value in given.items():
            if key == "label":
                kwargs[key] = self.text(value)
                continue
            kind = "integer" if key == "seed" else parameter_kind(
                key, signature[key].default)
            kwargs[key] = {"integer": lambda v, k: self.integer(v, k, low=0 if k == "seed"
                                                                 else 1),
                           "time": lambda v, k: self.time(v, k, long=k),
                           "frequency": self.frequency, "boolean": self.boolean,
                           "number": self.number}[kind](value, key)
        arguments = {k: v for k, v in kwargs.items() if k not in ("label", "seed")}
        kwargs.setdefault("label", name)
        net = cls(**kwargs)
        setattr(net, ARGUMENTS_ATTR, (call.name, arguments))
        return net

    # -- references -------------------------------------------------------
    def resolve(self, ref: Ref, scope: Scope, role: str):
        first = ref.parts[0]
        obj, inner = scope.lookup(first.text)
        if obj is None:
            below = scope.defined_below(first.text)
            if below is not None:
                self.fail(first, f"'{first.text}' is defined below, on line {below}",
                          expected=f"'{first.text}' defined before it is used: move "
                          "this line below its definition")
            if self.constant(first.text) is not None:
                self.fail(first, f"'{first.text}' is a constant, not an object",
                          expected="an ensemble, an input or a network")
            self.fail(first, f"unknown name '{first.text}'",
                      expected="a name defined above",
                      suggestion=suggest(first.text, scope.visible()))
        for part in ref.parts[1:]:
            if inner is not None:
                obj = inner.names.get(part.text)
                if obj is None:
                    self.fail(part, f"subnetwork has no '{part.text}'",
                              suggestion=suggest(part.text, inner.names))
                inner = inner.scopes.get(part.text)
            elif isinstance(obj, nengo.Network):
                obj = self.member(obj, part, ref)
            else:
                self.fail(part, f"'{first.text}' is not a subnetwork, so it has no "
                          f"'{part.text}'")
        return self.endpoint(obj, ref, role)

    def member(self, net: nengo.Network, part, ref: Ref):
        """An object inside a library network (``bg.output``, ``prod.input_a``)."""
        members = _members(net)
        if part.text not in members:
            self.fail(part, f"'{net.label}' has no '{part.text}'",
                      expected="one of " + ", ".join(sorted(members)),
                      suggestion=suggest(part.text, members))
        return members[part.text]

    def endpoint(self, obj, ref: Ref, role: str):
        token = ref.token
        if isinstance(obj, nengo.networks.EnsembleArray):
            if ref.neurons:
                if isinstance(obj.ea_ensembles[0].neuron_type, nengo.Direct):
                    self.fail(token, f"'{ref.dotted}' has Direct neurons, which cannot be "
                              "addressed", expected="a spiking neuron type")
                obj = (obj.neuron_input or obj.add_neuron_input() if role == "post"
                       else obj.neuron_output or obj.add_neuron_output())
                self.neuron_nodes.add(id(obj))
                ref = Ref(ref.parts, ref.token, False, ref.index)
            else:
                self.arrays[id(obj.output)] = obj
                obj = obj.input if role == "post" else obj.output
        elif isinstance(obj, nengo.Network):
            port = "input" if role == "post" else "output"
            if not isinstance(getattr(obj, port, None), (nengo.Node, nengo.Ensemble)):
                self.fail(token, f"'{ref.dotted}' is a subnetwork", expected=f"an object "
                          f"inside it, e.g. {ref.dotted}.NAME")
            obj = getattr(obj, port)
        elif isinstance(obj, (nengo.Connection, nengo.Probe)) and role != "probe":
            self.fail(token, f"'{ref.dotted}' is a {type(obj).__name__.lower()}",
                      expected="an ensemble or an input")
        if ref.neurons:
            if not isinstance(obj, nengo.Ensemble):
                self.fail(token, f"'{ref.dotted}' has no neurons",
                          expected="an ensemble")
            obj = obj.neurons
        if ref.index is not None:
            size = obj.size_out if role != "post" else obj.size_in
            index = ref.index
            indices = range(size)[index] if isinstance(index, slice) else None
            if indices is not None and len(indices) == 0 or (
                    indices is None and not -size <= index < size):
                self.fail(token, f"index {_index_text(index)} is out of range for "
                          f"'{ref.dotted}' of size {size}", length=None)
            obj = obj[index]
        return obj

    # -- probes ----------------------------------------------------------------
    def probe(self, node: ProbeDef, scope, name):
        obj = self.resolve(node.target, scope, "probe")
        options = self.option_map(node.options, _PROBE_OPTIONS, "a probe")
        kwargs = {}
        if "synapse" in options:
            kwargs["synapse"] = self.synapse(options["synapse"])
        if "sample_every" in options:
            kwargs["sample_every"] = self.time(options["sample_every"], "sample_every=")
        kind, target, attr = node.kind, obj, None
        target_token = node.target.token
        if kind == "weights":
            if not isinstance(obj, nengo.Connection):
                self.fail(target_token, "only connections have weights to probe",
                          expected="a named connection, e.g. c = a -> b")
            attr = "weights"
        elif isinstance(obj, (nengo.Connection, nengo.Probe)):
            self.fail(target_token, f"cannot probe the {kind} of a "
                      f"{type(obj).__name__.lower()}", expected="'probe CONNECTION weights'")
        elif isinstance(obj, nengo.Node) and self.is_neurons(obj):
            if kind != "spikes":
                self.fail(target_token, "an array's neurons give their spikes",
                          expected=f"'probe {node.target.dotted}.neurons spikes'")
        elif self.is_neurons(obj) and kind == "value":
            self.fail(target_token, "say what to record from neurons",
                      expected=f"'probe {node.target.dotted} spikes' (or rates, voltage)")
        elif kind in ("spikes", "rates", "voltage"):
            ens = obj.ensemble if isinstance(obj, nengo.ensemble.Neurons) else obj
            if not isinstance(ens, nengo.Ensemble):
                self.fail(target_token, f"only ensembles have {kind}",
                          expected="the name of an ensemble")
            if kind == "voltage" and "voltage" not in ens.neuron_type.state:
                self.fail(target_token, f"{type(ens.neuron_type).__name__} neurons have no "
                          "voltage", expected="spikes, or a LIF/Izhikevich ensemble")
            if kind == "spikes" and not ens.neuron_type.spiking:
                self.fail(target_token, f"{type(ens.neuron_type).__name__} neurons do not "
                          "spike", expected=f"'probe {node.target.dotted} rates'")
            if kind == "rates" and ens.neuron_type.spiking:
                self.fail(target_token, f"{type(ens.neuron_type).__name__} neurons spike",
                          expected=f"'probe {node.target.dotted} spikes'")
            target, attr = ens.neurons, ("voltage" if kind == "voltage" else "output")
        if name is None:
            name = self.probe_name(scope, default_probe_name(node.target.dotted, kind))
        label = self.label(options, name)
        return nengo.Probe(target, attr, label=label, **kwargs), name

    def probe_name(self, scope, base):
        name, count = base, 1
        while name in scope.lines or name in RESERVED_NAMES:
            count += 1
            name = f"{base}_{count}"
        return name


def _members(net: nengo.Network) -> dict:
    """Named Nengo objects of a library network: ``{"input": Node, "strD1": EnsembleArray}``."""
    kinds = (nengo.Node, nengo.Ensemble, nengo.Network)
    return {k: v for k, v in vars(net).items()
            if isinstance(v, kinds) and not k.startswith("_")}


def _first_line(err: Exception) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


def _index_text(index) -> str:
    if isinstance(index, slice):
        return f"{'' if index.start is None else index.start}:" \
               f"{'' if index.stop is None else index.stop}"
    return str(index)


def compile_program(program: Program, text: str, label: str | None = None,
                    seed: int | None = None, first_line: int = 1) -> SnnNetwork:
    """Build the network described by a parsed program.

    Parameters
    ----------
    program : Program
        Output of `nbsnn.dsl.parser.parse`.
    text : str
        The text that was parsed (for error messages).
    label : str, optional
        Label of the network.
    seed : int, optional
        Seed of the network.
    first_line : int
        Line number of the first line of ``text``.

    Returns
    -------
    SnnNetwork
    """
    lines = {i + first_line: line for i, line in enumerate(text.split("\n"))}
    net = SnnNetwork(label=label, seed=seed)
    _Compiler(lines).block(program.statements, Scope(net, None))
    return net


def compile_cell(text: str, label: str | None = None, seed: int | None = None,
                 first_line: int = 1) -> SnnNetwork:
    """Turn ``%%snn`` text into a Nengo network.

    Parameters
    ----------
    text : str
        The cell body.
    label : str, optional
        Label of the network (the magic uses the cell's NAME).
    seed : int, optional
        Seed of the network, for reproducible builds.
    first_line : int
        Line number of the first line of ``text``, for error messages.

    Returns
    -------
    SnnNetwork
        A `nengo.Network` whose named objects are also attributes.

    Raises
    ------
    SnnSyntaxError
        If the text is not valid; nothing else is raised for bad input.

    Warns
    -----
    nbsnn.exceptions.SnnWarning
        For values that compile but are probably slips (a 5 s synapse,
        ``tau_ref >= tau_rc``), located like the errors.

    Examples
    --------
    >>> net = compile_cell('''
    ... stim = input sin(2*pi*t)
    ... a = ensemble 50 LIF
    ... stim -> a
    ... probe a synapse=10ms
    ... ''')
    >>> net.a.n_neurons
    50
    """
    program = parse(text, first_line)
    return compile_program(program, text, label, seed, first_line)
