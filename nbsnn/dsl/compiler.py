"""Compile a ``%%snn`` syntax tree into a `nengo.Network` (no IPython involved)."""

from __future__ import annotations

import nengo
import numpy as np

from ..learning.language import SPIKE_RULES, poisson_input, spike_rule
from .errors import SnnSyntaxError, suggest
from .inputs import SliderInput
from .lexer import Token
from .network import SnnNetwork
from .parser import parse
from .syntax import (
    ArrayDef, Assign, Call, Connect, EnsembleDef, InputDef, ListValue,
    NetworkDef, Number, ProbeDef, Program, Quantity, Range, Ref, Word,
)
from .vocabulary import (
    FREQUENCY_UNITS, NEURON_TYPES, RESERVED_NAMES, TIME_UNITS,
    default_probe_name, neuron_parameters,
)

__all__ = ["compile", "compile_program"]

_ENSEMBLE_OPTIONS = ("dims", "dimensions", "rates", "intercepts", "radius", "seed")
_CONNECT_OPTIONS = ("synapse", "transform", "weights", "learn")
_PROBE_OPTIONS = ("synapse", "sample_every")
_NENGO_ERRORS = (nengo.exceptions.NengoException, ValueError, TypeError,
                 IndexError, ArithmeticError)


class _Scope:
    """Names defined in one (sub)network, looked up outwards."""

    def __init__(self, network: nengo.Network, parent: _Scope | None) -> None:
        self.network = network
        self.parent = parent
        self.names: dict[str, object] = {}
        self.lines: dict[str, int] = {}
        self.scopes: dict[str, _Scope] = {}

    def lookup(self, name: str):
        scope = self
        while scope is not None:
            if name in scope.names:
                return scope.names[name], scope.scopes.get(name)
            scope = scope.parent
        return None, None

    def visible(self) -> set[str]:
        scope, names = self, set()
        while scope is not None:
            names |= set(scope.names)
            scope = scope.parent
        return names


class _Compiler:
    def __init__(self, text_lines: dict[int, str]) -> None:
        self.text_lines = text_lines

    # -- errors -----------------------------------------------------------
    def fail(self, token: Token, message, expected=None, suggestion=None, length=None):
        raise SnnSyntaxError(message, token.line, token.column,
                             self.text_lines.get(token.line, ""),
                             length or max(len(token.text), 1), expected, suggestion)

    # -- statements -------------------------------------------------------
    def block(self, statements, scope: _Scope) -> None:
        with scope.network:
            for statement in statements:
                self.statement(statement, scope)

    def statement(self, statement, scope: _Scope) -> None:
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
        except _NENGO_ERRORS as err:
            self.fail(node.token, f"Nengo rejected this: {_first_line(err)}")

    def assign(self, statement: Assign, scope: _Scope) -> None:
        name, value = statement.name, statement.value
        if name.text in scope.names:
            self.fail(name, f"'{name.text}' is already defined on line "
                      f"{scope.lines[name.text]}", expected="a new name")
        if name.text.startswith("_"):
            self.fail(name, f"'{name.text}': names cannot start with '_'",
                      expected="a name starting with a letter")
        if name.text in RESERVED_NAMES:
            self.fail(name, f"'{name.text}' is an attribute of nengo.Network and "
                      "cannot name an object", expected="another name")
        if isinstance(value, NetworkDef):
            sub = SnnNetwork(label=name.text)
            inner = _Scope(sub, scope)
            self.block(value.body, inner)
            self.bind(scope, name, sub, name)
            scope.scopes[name.text] = inner
            return
        methods = {EnsembleDef: self.ensemble, ArrayDef: self.ensemble_array, InputDef: self.input,
                   Connect: self.connect, ProbeDef: self.probe}
        obj = self.guard(methods[type(value)], value, scope, name.text)
        if isinstance(value, ProbeDef):
            obj = obj[0]
        self.bind(scope, name, obj, name)

    def bind(self, scope: _Scope, name, obj, token: Token) -> None:
        text = name if isinstance(name, str) else name.text
        scope.names[text] = obj
        scope.lines[text] = token.line
        setattr(scope.network, text, obj)

    # -- values -----------------------------------------------------------
    def option_map(self, options, allowed, what):
        found = {}
        for option in options:
            if option.key not in allowed:
                self.fail(option.token, f"unknown option '{option.key}' for {what}",
                          expected=", ".join(allowed),
                          suggestion=suggest(option.key, allowed))
            if option.key in found:
                self.fail(option.token, f"option '{option.key}' given twice")
            found[option.key] = option.value
        return found

    def number(self, value, what="a number"):
        if not isinstance(value, Number):
            self.fail(value.token, f"expected {what}")
        return float(value.value)

    def integer(self, value, what, low=1):
        number = self.number(value, what)
        if not number.is_integer() or number < low:
            self.fail(value.token, f"{what} must be a whole number >= {low}")
        return int(number)

    def time(self, value, what="a time"):
        if isinstance(value, Number):
            return float(value.value)
        if isinstance(value, Quantity) and value.unit in TIME_UNITS:
            return value.value / TIME_UNITS[value.unit]
        unit = value.unit if isinstance(value, Quantity) else None
        self.fail(value.token, f"expected {what} such as 5ms or 0.1s",
                  suggestion=suggest(unit, TIME_UNITS) if unit else None)

    def frequency(self, value, what="a frequency"):
        if isinstance(value, Number):
            return float(value.value)
        if isinstance(value, Quantity) and value.unit in FREQUENCY_UNITS:
            return value.value * FREQUENCY_UNITS[value.unit]
        unit = value.unit if isinstance(value, Quantity) else None
        self.fail(value.token, f"expected {what} such as 5Hz",
                  suggestion=suggest(unit, FREQUENCY_UNITS) if unit else None)

    def distribution(self, value, what, convert):
        if isinstance(value, Range):
            low, high = convert(value.low, what), convert(value.high, what)
            if not low < high:
                self.fail(value.token, f"{what} range needs low < high")
            return nengo.dists.Uniform(low, high)
        return nengo.dists.Choice([convert(value, what)])

    def array(self, value, what="a number or a list of numbers", depth=0):
        if isinstance(value, ListValue):
            rows = [self.array(item, what, depth + 1) for item in value.items]
            if len({np.shape(r) for r in rows}) > 1:
                self.fail(value.token, "rows of a matrix must have the same length")
            return np.array(rows, dtype=float)
        return self.number(value, what)

    def synapse(self, value):
        if isinstance(value, Word) and value.name == "none":
            return None
        if isinstance(value, Call):
            kinds = {"lowpass": nengo.Lowpass, "alpha": nengo.Alpha}
            if value.name not in kinds:
                self.fail(value.token, f"unknown synapse '{value.name}'",
                          expected="a time like 5ms, none, lowpass(5ms) or alpha(5ms)",
                          suggestion=suggest(value.name, kinds))
            if len(value.args) != 1 or value.kwargs or value.pairs:
                self.fail(value.token, f"{value.name}() takes one time constant")
            return kinds[value.name](self.time(value.args[0], "a time constant"))
        return nengo.Lowpass(self.time(value, "a synapse time constant"))

    # -- definitions ------------------------------------------------------
    def ensemble_kwargs(self, node: EnsembleDef):
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
                kwargs["intercepts"] = self.distribution(value, "intercepts", self.number)
            elif key == "radius":
                kwargs["radius"] = self.number(value, "a radius")
                if kwargs["radius"] <= 0:
                    self.fail(value.token, "radius must be positive")
            else:
                kwargs["seed"] = self.integer(value, "seed", low=0)
        return kwargs

    def neuron_type(self, node: EnsembleDef):
        spec = node.neuron
        if spec is None:
            return nengo.LIF()
        if spec.name not in NEURON_TYPES:
            self.fail(spec.token, f"unknown neuron type '{spec.name}'",
                      expected="one of " + ", ".join(NEURON_TYPES),
                      suggestion=suggest(spec.name, NEURON_TYPES))
        cls = NEURON_TYPES[spec.name]
        allowed = neuron_parameters(cls)
        options = self.option_map(spec.options, allowed, spec.name)
        params = {}
        for key, value in options.items():
            params[key] = self.time(value, key) if key.startswith("tau") else \
                self.number(value, key)
        try:
            return cls(**params)
        except _NENGO_ERRORS as err:
            self.fail(spec.token, f"invalid {spec.name} parameters: {err}")

    def ensemble(self, node: EnsembleDef, scope, name):
        kwargs = self.ensemble_kwargs(node)
        return nengo.Ensemble(node.n_neurons, kwargs.pop("dimensions", 1),
                              label=name, **kwargs)

    def ensemble_array(self, node: ArrayDef, scope, name):
        kwargs = self.ensemble_kwargs(node.ensemble)
        dims = kwargs.pop("dimensions", 1)
        seed = kwargs.pop("seed", None)
        return nengo.networks.EnsembleArray(
            node.ensemble.n_neurons, node.count, ens_dimensions=dims, label=name,
            seed=seed, **kwargs)

    def input(self, node: InputDef, scope, name):
        if node.options:
            self.fail(node.options[0].token, f"unknown option '{node.options[0].key}' for an input",
                      expected="options inside the call, e.g. white(5Hz, rms=0.3)")
        if node.expression is not None:
            expr = node.expression
            if expr.uses_variable:
                output = expr
            else:
                output = np.atleast_1d(np.asarray(expr(), dtype=float))
                if output.ndim != 1 or not np.all(np.isfinite(output)):
                    self.fail(node.token, "a constant input must be a finite number or list")
            return nengo.Node(output, label=name)
        call = node.call
        builders = {"step": self.step, "piecewise": self.piecewise, "white": self.white,
                    "slider": self.slider, "constant": self.constant,
                    "poisson": lambda call, name: poisson_input(self, call, name)}
        return builders[call.name](call, name)

    def call_kwargs(self, call: Call, allowed):
        if call.pairs and "pairs" not in allowed:
            self.fail(call.pairs[0][0].token, "'t: value' pairs only go in piecewise(...)")
        return self.option_map(call.kwargs, [a for a in allowed if a != "pairs"],
                               f"{call.name}()")

    def vector(self, value):
        data = self.array(value, "a number or a list of numbers")
        data = np.atleast_1d(data)
        if data.ndim != 1:
            self.fail(value.token, "expected a number or a flat list of numbers")
        return data

    def step(self, call: Call, name):
        options = self.call_kwargs(call, ("every", "at"))
        if not call.args:
            self.fail(call.token, "step() needs values", expected="step(-1, 1, every=0.5s)")
        values = [self.vector(v) for v in call.args]
        if len({v.shape for v in values}) > 1:
            self.fail(call.token, "step() values must all have the same size")
        if ("every" in options) == ("at" in options):
            self.fail(call.token, "step() needs exactly one of every= or at=",
                      expected="step(-1, 1, every=0.5s) or step(0, 1, at=0.2s)")
        if "every" in options:
            period = self.time(options["every"], "every=")
            if period <= 0:
                self.fail(options["every"].token, "every= must be positive")
            process = nengo.processes.PresentInput(np.array(values), period)
        else:
            if len(values) != 2:
                self.fail(call.token, "step(..., at=T) takes two values: before and after")
            when = self.time(options["at"], "at=")
            if when <= 0:
                self.fail(options["at"].token, "at= must be positive")
            process = nengo.processes.Piecewise({0: values[0], when: values[1]})
        return nengo.Node(process, label=name)

    def piecewise(self, call: Call, name):
        self.call_kwargs(call, ("pairs",))
        if call.args or not call.pairs:
            token = call.args[0].token if call.args else call.token
            self.fail(token, "piecewise() takes 'time: value' pairs",
                      expected="piecewise(0: 0, 0.5s: 1)")
        data = {}
        for key, value in call.pairs:
            when = self.time(key, "a time")
            if when in data:
                self.fail(key.token, "time given twice")
            data[when] = self.vector(value)
        if len({v.shape for v in data.values()}) > 1:
            self.fail(call.token, "piecewise() values must all have the same size")
        return nengo.Node(nengo.processes.Piecewise(data), label=name)

    def white(self, call: Call, name):
        options = self.call_kwargs(call, ("high", "rms", "period", "seed", "dims"))
        if len(call.args) > 1 or (call.args and "high" in options):
            self.fail(call.token, "white() takes one cutoff frequency",
                      expected="white(5Hz, rms=0.5, period=10s)")
        high = call.args[0] if call.args else options.get("high")
        if high is None:
            self.fail(call.token, "white() needs a cutoff frequency", expected="white(5Hz)")
        kwargs = {"high": self.frequency(high, "a cutoff frequency"),
                  "period": self.time(options["period"], "a period") if "period" in options
                  else 10.0,
                  "rms": self.number(options["rms"], "an rms") if "rms" in options else 0.5}
        if "seed" in options:
            kwargs["seed"] = self.integer(options["seed"], "seed", low=0)
        dims = self.integer(options["dims"], "dims") if "dims" in options else 1
        return nengo.Node(nengo.processes.WhiteSignal(**kwargs), size_out=dims, label=name)

    def slider(self, call: Call, name):
        options = self.call_kwargs(call, ("value", "dims"))
        if len(call.args) != 2:
            self.fail(call.token, "slider() takes a low and a high value",
                      expected="slider(-1, 1)")
        low, high = (self.number(v, "a number") for v in call.args)
        value = self.number(options["value"]) if "value" in options else None
        dims = self.integer(options["dims"], "dims") if "dims" in options else 1
        try:
            slider = SliderInput(low, high, value, dims)
        except ValueError as err:
            self.fail(call.token, str(err))
        return nengo.Node(slider, size_out=dims, label=name)

    def constant(self, call: Call, name):
        self.call_kwargs(call, ())
        if len(call.args) != 1:
            self.fail(call.token, "constant() takes one value", expected="constant(0.3)")
        return nengo.Node(self.vector(call.args[0]), label=name)

    # -- references -------------------------------------------------------
    def resolve(self, ref: Ref, scope: _Scope, role: str):
        first = ref.parts[0]
        obj, inner = scope.lookup(first.text)
        if obj is None:
            self.fail(first, f"unknown name '{first.text}'",
                      expected="a name defined above",
                      suggestion=suggest(first.text, scope.visible()))
        for part in ref.parts[1:]:
            if inner is None:
                self.fail(part, f"'{first.text}' is not a subnetwork, so it has no "
                          f"'{part.text}'")
            obj = inner.names.get(part.text)
            if obj is None:
                self.fail(part, f"subnetwork has no '{part.text}'",
                          suggestion=suggest(part.text, inner.names))
            inner = inner.scopes.get(part.text)
        return self.endpoint(obj, ref, role)

    def endpoint(self, obj, ref: Ref, role: str):
        token = ref.token
        if isinstance(obj, nengo.networks.EnsembleArray):
            if ref.neurons:
                self.fail(token, f"'{ref.dotted}' is an ensemble array; its neurons are "
                          "not addressable here", expected="one of its values, e.g. "
                          f"{ref.dotted}[0]")
            obj = obj.input if role == "post" else obj.output
        elif isinstance(obj, nengo.Network):
            self.fail(token, f"'{ref.dotted}' is a subnetwork", expected=f"an object "
                      f"inside it, e.g. {ref.dotted}.NAME")
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

    # -- connections and probes --------------------------------------------
    def connect(self, node: Connect, scope, name):
        pre = self.resolve(node.pre, scope, "pre")
        post = self.resolve(node.post, scope, "post")
        options = self.option_map(node.options, _CONNECT_OPTIONS, "a connection")
        kwargs = {}
        if "transform" in options and "weights" in options:
            self.fail(options["weights"].token, "give transform= or weights=, not both")
        if "synapse" in options:
            kwargs["synapse"] = self.synapse(options["synapse"])
        for key in ("transform", "weights"):
            if key in options:
                value = options[key]
                kwargs["transform"] = (self.distribution(value, key, self.number)
                                       if isinstance(value, Range) else self.array(value))
        if node.function is not None:
            kwargs["function"] = node.function
        self.check_sizes(node, pre, post, kwargs)
        error = None
        if "learn" in options:
            kwargs["learning_rule_type"], error = self.learning_rule(options["learn"], scope)
        try:
            conn = nengo.Connection(pre, post, label=name, **kwargs)
        except _NENGO_ERRORS as err:
            token = node.function_token if (node.function is not None and
                                            "function" in str(err).lower()) else node.token
            self.fail(token, f"Nengo rejected this connection: {_first_line(err)}")
        if error is not None:
            nengo.Connection(error, conn.learning_rule)
        return conn

    def check_sizes(self, node: Connect, pre, post, kwargs) -> None:
        size = pre.size_out
        if node.function is not None:
            source = node.function.source
            try:
                out = np.asarray(node.function(np.zeros(pre.size_out)), dtype=float)
            except Exception as err:  # noqa: BLE001 - any failure is the user's expression
                self.fail(node.function_token, f"cannot evaluate '{source}' on a "
                          f"{pre.size_out}-D input: {err}", length=len(source))
            if out.ndim > 1:
                self.fail(node.function_token, f"'{source}' gives a matrix, not a vector",
                          length=len(source))
            size = out.size
        if "transform" in kwargs:
            return
        if size != post.size_in:
            what = (f"'{node.function.source}' gives {size} value(s)"
                    if node.function is not None
                    else f"'{node.pre.dotted}' has {size} dimension(s)")
            self.fail(node.token, f"{what} but '{node.post.dotted}' takes {post.size_in}",
                      expected="matching sizes: add a function such as ': x[0]', "
                      "an index such as 'b[0]', or a transform=")

    def learning_rule(self, value, scope):
        if isinstance(value, Call) and value.name in SPIKE_RULES:
            return spike_rule(self, value, scope)
        if not isinstance(value, Call) or value.name != "pes":
            self.fail(value.token, "unknown learning rule",
                      expected="pes(ERROR, rate=1e-4), stdp(...), wstdp(...), hebbian(...) "
                      "or rstdp(REWARD, ...)",
                      suggestion=suggest(value.name, ["pes", *SPIKE_RULES])
                      if isinstance(value, Call) else None)
        options = self.call_kwargs(value, ("rate",))
        if len(value.args) != 1 or not isinstance(value.args[0], Word):
            self.fail(value.token, "pes() takes the name of the error signal",
                      expected="pes(error, rate=1e-4)")
        word = value.args[0]
        ref = Ref([word.token], word.token)
        error = self.resolve(ref, scope, "pre")
        rate = self.number(options["rate"], "a learning rate") if "rate" in options else 1e-4
        return nengo.PES(learning_rate=rate), error

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
        elif isinstance(obj, nengo.Connection) or isinstance(obj, nengo.Probe):
            self.fail(target_token, f"cannot probe the {kind} of a "
                      f"{type(obj).__name__.lower()}", expected="'probe CONNECTION weights'")
        elif isinstance(obj, nengo.ensemble.Neurons) and kind == "value":
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
        return nengo.Probe(target, attr, label=name, **kwargs), name

    def probe_name(self, scope, base):
        name, count = base, 1
        while name in scope.names or name in RESERVED_NAMES:
            count += 1
            name = f"{base}_{count}"
        return name


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
    _Compiler(lines).block(program.statements, _Scope(net, None))
    return net


def compile(text: str, label: str | None = None, seed: int | None = None,
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

    Examples
    --------
    >>> net = compile('''
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
