"""Print a `nengo.Network` back as ``%%snn`` cell text (``%snn show``)."""

from __future__ import annotations

import inspect
import keyword

import nengo
import numpy as np

from ..exceptions import UnsupportedError
from ..learning.encoders import PoissonSpikes
from ..learning.language import SPIKE_RULES, rule_options
from .expressions import Expression
from .inputs import SliderInput
from .library import ARGUMENTS_ATTR, NETWORKS, parameter_kind, recover_arguments
from .parser import KEYWORDS
from .vocabulary import (
    RESERVED_NAMES, SOLVERS, TIME_PARAMETERS, default_probe_name, neuron_parameters,
    neuron_type_name,
)

__all__ = ["to_text"]

_INDENT = "    "
_DEFAULT_SYNAPSE = nengo.Connection.synapse.default
_DEFAULT_SOLVER = nengo.Connection.solver.default
_DEFAULT_RATES = nengo.Ensemble.max_rates.default
_DEFAULT_INTERCEPTS = nengo.Ensemble.intercepts.default
_DEFAULT_ENCODERS = nengo.Ensemble.encoders.default
_OBJECTS = (nengo.Node, nengo.Ensemble, nengo.Network, nengo.Connection, nengo.Probe)
_LIBRARY = tuple(cls for cls in NETWORKS.values()
                 if cls is not nengo.networks.EnsembleArray)


def _num(value) -> str:
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _time(seconds: float) -> str:
    seconds = float(seconds)
    if seconds == 0:
        return "0"
    for unit, scale in (("ms", 1e3), ("s", 1.0)):
        text = _num(round(seconds * scale, 9))
        if float(text) / scale == seconds and (unit == "s" or abs(seconds) < 1):
            return text + unit
    return repr(seconds) + "s"


def _array(value) -> str:
    value = np.asarray(value)
    if value.ndim == 0:
        return _num(value)
    return "[" + ", ".join(_array(v) for v in value) + "]"


def _vector(value) -> str:
    value = np.ravel(value)
    return _num(value[0]) if value.size == 1 else _array(value)


class _Unexpressible(UnsupportedError):
    """An object the language cannot write; ``reason`` says why, briefly."""

    def __init__(self, obj, reason: str) -> None:
        self.obj = obj
        self.reason = reason
        super().__init__(
            f"{obj} cannot be printed as %%snn text: {reason}. Print only networks "
            "built from %%snn cells, or change the object to one the language supports "
            "(see docs/snn_language.md).")


def _unsupported(obj, what: str):
    raise _Unexpressible(obj, what)


def _is_name(label, taken=()) -> bool:
    return (isinstance(label, str) and label.isidentifier() and not keyword.iskeyword(label)
            and label not in KEYWORDS and label not in RESERVED_NAMES
            and not label.startswith("_") and label not in taken)


def _opaque(net) -> bool:
    """Whether a subnetwork prints as one line (an array or a library network)."""
    return isinstance(net, (nengo.networks.EnsembleArray, *_LIBRARY)) or hasattr(
        net, ARGUMENTS_ATTR)


class _Namer:
    """Assigns each printable object a name that is unique in its network.

    Names come from the network's attributes (what a cell bound), then from
    labels, then are made up (``ensemble1``). Objects inside a library network
    get dotted names (``bg.input``).
    """

    def __init__(self) -> None:
        self.names: dict[int, str] = {}
        self.owner: dict[int, nengo.Network] = {}
        self.parent: dict[int, nengo.Network | None] = {}

    def assign(self, net: nengo.Network, parent=None) -> None:
        self.parent[id(net)] = parent
        attributes = {id(v): k for k, v in vars(net).items()
                      if isinstance(v, _OBJECTS) and _is_name(k)}
        taken: set[str] = set()
        groups = [net.nodes, net.ensembles, net.networks, net.connections, net.probes]
        counters: dict[str, int] = {}
        for group in groups:
            for obj in group:
                name = attributes.get(id(obj))
                if name is None or name in taken:
                    name = obj.label if _is_name(obj.label, taken) else None
                if name is None and not isinstance(obj, (nengo.Connection, nengo.Probe)):
                    base = type(obj).__name__.lower()
                    while True:
                        counters[base] = counters.get(base, 0) + 1
                        name = f"{base}{counters[base]}"
                        if name not in taken:
                            break
                if name is not None:
                    taken.add(name)
                    self.names[id(obj)] = name
                self.owner[id(obj)] = net
        for sub in net.networks:
            if _opaque(sub):
                self.members(sub, self.names[id(sub)], net)
            else:
                self.assign(sub, net)

    def members(self, sub, name: str, owner) -> None:
        for attr, obj in vars(sub).items():
            if isinstance(obj, (nengo.Node, nengo.Ensemble, nengo.Network)) and \
                    attr.isidentifier() and not attr.startswith("_"):
                self.names.setdefault(id(obj), f"{name}.{attr}")
                self.owner.setdefault(id(obj), owner)
                if isinstance(obj, nengo.networks.EnsembleArray):
                    for port in (obj.input, obj.output):
                        self.names.setdefault(id(port), f"{name}.{attr}")
                        self.owner.setdefault(id(port), owner)

    def ancestors(self, net):
        chain = []
        while net is not None:
            chain.append(net)
            net = self.parent.get(id(net))
        return chain

    def ref(self, obj, scope: nengo.Network) -> str:
        """Name of ``obj`` as seen from inside ``scope``."""
        owner = self.owner.get(id(obj))
        if owner is None or id(obj) not in self.names:
            _unsupported(obj, "it is not an object of this network that has a name")
        path = [self.names[id(obj)]]
        scope_chain = [id(n) for n in self.ancestors(scope)]
        while id(owner) not in scope_chain:
            path.insert(0, self.names[id(owner)])
            owner = self.parent[id(owner)]
        return ".".join(path)


class _Printer:
    def __init__(self, net: nengo.Network, partial: bool) -> None:
        self.namer = _Namer()
        self.namer.assign(net)
        self.partial = partial
        self.skipped: set[int] = set()
        self.arrays = {}
        self.array_functions = {}
        self.learning = {}
        self.constants: dict[str, float] = {}
        for sub in net.all_networks:
            if isinstance(sub, nengo.networks.EnsembleArray):
                self.array_ports(sub)
        for conn in net.all_connections:
            if isinstance(conn.post_obj, nengo.connection.LearningRule):
                self.learning[id(conn.post_obj.connection)] = conn
        self.lines: list[str] = []

    def array_ports(self, ea) -> None:
        ports = {id(ea.input): "", id(ea.output): ""}
        if ea.neuron_input is not None:
            ports[id(ea.neuron_input)] = ".neurons"
        if ea.neuron_output is not None:
            ports[id(ea.neuron_output)] = ".neurons"
        for node_id, suffix in ports.items():
            self.arrays[node_id] = (ea, suffix)
        for node in ea.nodes:
            if id(node) in ports:
                continue
            functions = {id(c.function): c.function for c in ea.connections
                         if c.post_obj is node}
            if len(functions) == 1:
                self.array_functions[id(node)] = (ea, next(iter(functions.values())))

    def emit(self, indent: str, text: str) -> None:
        self.lines.append(indent + text)

    def each(self, indent: str, obj, make, *args) -> None:
        """Emit ``make(*args)``; in partial mode, a comment for what cannot be expressed."""
        try:
            self.emit(indent, make(*args))
        except _Unexpressible as err:
            if not self.partial:
                raise
            self.skipped.add(id(obj))
            if isinstance(obj, nengo.Network):
                self.skipped.update(id(o) for o in obj.all_objects)
            name = self.namer.names.get(id(obj)) or str(obj)
            self.emit(indent, f"# not expressible: {name}: {err.reason}")

    def network(self, net: nengo.Network, indent: str) -> None:
        names = self.namer.names
        for node in net.nodes:
            self.each(indent, node, self.define, node, self.node, "input ")
        for ens in net.ensembles:
            self.each(indent, ens, self.define, ens, self.ensemble)
        for sub in net.networks:
            if isinstance(sub, nengo.networks.EnsembleArray):
                self.each(indent, sub, self.define, sub, self.array)
            elif _opaque(sub):
                self.each(indent, sub, self.define, sub, self.library)
            else:
                self.emit(indent, f"{names[id(sub)]} = network:")
                self.network(sub, indent + _INDENT)
        for conn in net.connections:
            if not isinstance(conn.post_obj, nengo.connection.LearningRule):
                self.each(indent, conn, self.named_connection, conn, net)
        for probe in net.probes:
            self.each(indent, probe, self.probe, probe, net)

    def define(self, obj, describe, keyword: str = "") -> str:
        """``NAME = [keyword]description`` for a node, ensemble or network."""
        return f"{self.namer.names[id(obj)]} = {keyword}{describe(obj)}"

    def named_connection(self, conn, scope) -> str:
        text = self.connection(conn, scope)
        name = self.namer.names.get(id(conn))
        return f"{name} = {text}" if name else text

    def label(self, obj, name=None) -> str:
        label = obj.label
        if label is None or label == (name or self.namer.names.get(id(obj))):
            return ""
        label = str(label)
        if '"' in label and "'" in label or "\n" in label:
            _unsupported(obj, "its label has both kinds of quotes or a line break")
        quote = "'" if '"' in label else '"'
        return f" label={quote}{label}{quote}"

    def expression(self, expr: Expression, owner) -> str:
        for name, value in expr.constants.items():
            if self.constants.setdefault(name, value) != value:
                _unsupported(owner, f"constant '{name}' has two values in this network")
        return expr.source

    # -- objects ----------------------------------------------------------
    def node(self, node: nengo.Node) -> str:
        return self.signal(node) + self.label(node)

    def signal(self, node: nengo.Node) -> str:
        out = node.output
        if out is None:
            return "passthrough()" if node.size_in == 1 else \
                f"passthrough(dims={node.size_in})"
        if isinstance(out, Expression):
            return self.expression(out, node)
        if isinstance(out, np.ndarray):
            return _vector(out)
        if isinstance(out, SliderInput):
            text = f"slider({_num(out.low)}, {_num(out.high)}, value={_num(out.value)}"
            return text + (f", dims={out.dimensions})" if out.dimensions > 1 else ")")
        if isinstance(out, nengo.processes.PresentInput):
            values = ", ".join(_vector(v) for v in out.inputs)
            return f"step({values}, every={_time(out.presentation_time)})"
        if isinstance(out, nengo.processes.Piecewise):
            if out.interpolation != "zero":
                _unsupported(node, "piecewise interpolation other than 'zero'")
            pairs = ", ".join(f"{_time(t)}: {_vector(v)}" for t, v in sorted(out.data.items()))
            return f"piecewise({pairs})"
        if isinstance(out, PoissonSpikes):
            return self.poisson(node, out)
        if isinstance(out, nengo.processes.WhiteSignal):
            text = f"white({_num(out.high)}Hz"
            if out.rms != 0.5:
                text += f", rms={_num(out.rms)}"
            if out.period != 10:
                text += f", period={_time(out.period)}"
            if out.seed is not None:
                text += f", seed={out.seed}"
            if node.size_out != 1:
                text += f", dims={node.size_out}"
            return text + ")"
        kind = "a Python function" if callable(out) else f"a {type(out).__name__}"
        _unsupported(node, f"its output is {kind}")

    def poisson(self, node: nengo.Node, out: PoissonSpikes) -> str:
        """``poisson(40Hz, dims=8)`` or ``poisson([10, 20, 40])``."""
        if len(out.data) != 1 or np.isfinite(out.presentation_time) or out.seed is not None:
            _unsupported(node, "a PoissonSpikes with several samples or a seed (the "
                         "language writes one fixed rate per input)")
        # rates to 12 digits: what was written, not the rounding of data * max_rate
        rates = [float(f"{r:.12g}") for r in out.data[0] * out.max_rate]
        if len(set(rates)) > 1:
            return f"poisson({_array(rates)})"
        dims = f", dims={len(rates)}" if len(rates) > 1 else ""
        return f"poisson({_num(rates[0])}Hz{dims})"

    def neuron(self, neuron_type) -> str:
        name = neuron_type_name(neuron_type)
        if name is None:
            _unsupported(neuron_type, "the language has no name for this neuron type")
        default = type(neuron_type)()
        params = []
        for key in neuron_parameters(type(neuron_type)):
            value = getattr(neuron_type, key)
            if np.all(value != getattr(default, key)):
                text = _time(value) if key in TIME_PARAMETERS else _num(value)
                params.append(f"{key}={text}")
        if neuron_type.initial_state:
            _unsupported(neuron_type, "initial_state is set")
        return f"{name}({', '.join(params)})" if params else name

    def dist(self, dist, owner, what) -> str:
        if isinstance(dist, nengo.dists.Uniform) and not dist.integer:
            return f"{_num(dist.low)}..{_num(dist.high)}"
        if isinstance(dist, nengo.dists.Choice) and np.asarray(dist.options).size == 1:
            return _num(np.ravel(dist.options)[0])
        if isinstance(dist, nengo.dists.Choice) and dist.weights is None:
            return "choice(" + ", ".join(_array(o) for o in dist.options) + ")"
        _unsupported(owner, f"its {what} is {dist!r}")

    def ensemble_options(self, ens: nengo.Ensemble) -> str:
        text = f"ensemble {ens.n_neurons} {self.neuron(ens.neuron_type)}"
        if ens.dimensions != 1:
            text += f" dims={ens.dimensions}"
        if ens.max_rates != _DEFAULT_RATES:
            text += f" rates={self.dist(ens.max_rates, ens, 'max_rates')}"
        if ens.intercepts != _DEFAULT_INTERCEPTS:
            text += f" intercepts={self.dist(ens.intercepts, ens, 'intercepts')}"
        if ens.radius != 1:
            text += f" radius={_num(ens.radius)}"
        encoders = ens.encoders
        if isinstance(encoders, nengo.dists.Choice):
            text += f" encoders={self.dist(encoders, ens, 'encoders')}"
        elif isinstance(encoders, np.ndarray):
            text += f" encoders={_array(encoders)}"
        elif encoders != _DEFAULT_ENCODERS:
            _unsupported(ens, f"its encoders are {encoders!r}")
        return text

    def ensemble(self, ens: nengo.Ensemble) -> str:
        text = self.ensemble_options(ens)
        if ens.seed is not None:
            text += f" seed={ens.seed}"
        return text + self.label(ens)

    def array(self, ea) -> str:
        text = f"{ea.n_ensembles} x {self.ensemble_options(ea.ea_ensembles[0])}"
        if ea.seed is not None:
            text += f" seed={ea.seed}"
        return text + self.label(ea)

    def library(self, net) -> str:
        arguments = getattr(net, ARGUMENTS_ATTR, None) or recover_arguments(net)
        if arguments is None:
            cls = type(net).__name__
            _unsupported(net, f"this nengo.networks.{cls} was built in Python and its "
                         f"arguments cannot be read back; write it in a cell as "
                         f"{cls}(...)")
        cls, kwargs = arguments
        defaults = inspect.signature(NETWORKS[cls].__init__).parameters
        args = []
        for key, value in kwargs.items():
            kind = parameter_kind(key, defaults[key].default)
            args.append(f"{key}=" + {"time": _time, "boolean": str,
                                     "frequency": lambda v: f"{_num(v)}Hz"}.get(kind, _num)(
                                         value))
        if net.seed is not None:
            args.append(f"seed={net.seed}")
        label = self.label(net).strip()
        if label:
            args.append(label)
        return f"{cls}({', '.join(args)})"

    # -- connections and probes ----------------------------------------------
    def endpoint(self, obj, scope) -> str:
        index = None
        if isinstance(obj, nengo.base.ObjView):
            index = obj.slice
            obj = obj.obj
        suffix = ""
        if isinstance(obj, nengo.ensemble.Neurons):
            obj, suffix = obj.ensemble, ".neurons"
        if id(obj) in self.arrays:
            obj, suffix = self.arrays[id(obj)]
        if id(obj) in self.skipped:
            _unsupported(obj, f"it connects to {self.namer.names.get(id(obj), obj)}, "
                         "which cannot be expressed")
        text = self.namer.ref(obj, scope) + suffix
        if index is None:
            return text
        if isinstance(index, slice):
            if index.step not in (None, 1):
                _unsupported(obj, "a slice with a step")
            start = "" if index.start is None else str(index.start)
            stop = "" if index.stop is None else str(index.stop)
            return f"{text}[{start}:{stop}]"
        if isinstance(index, (int, np.integer)):
            return f"{text}[{int(index)}]"
        _unsupported(obj, "an index list")

    def synapse(self, synapse, owner) -> str:
        if synapse is None:
            return "none"
        if type(synapse) is nengo.Lowpass:
            return _time(synapse.tau)
        if type(synapse) is nengo.Alpha:
            return f"alpha({_time(synapse.tau)})"
        _unsupported(owner, f"its synapse is {synapse!r}")

    def solver(self, solver, owner) -> str:
        names = {cls: name for name, cls in SOLVERS.items()}
        cls = type(solver)
        if cls not in names:
            _unsupported(owner, f"its solver is {solver!r}")
        kwargs = {key: getattr(solver, key)
                  for key, param in inspect.signature(cls).parameters.items()
                  if isinstance(param.default, (bool, int, float))
                  and getattr(solver, key) != param.default}
        if repr(cls(**kwargs)) != repr(solver):  # an argument the language cannot write
            _unsupported(owner, f"its solver is {solver!r}")
        args = ", ".join(f"{key}={value}" if isinstance(value, bool) else f"{key}={_num(value)}"
                         for key, value in kwargs.items())
        return f"{names[cls]}({args})"

    def connection(self, conn: nengo.Connection, scope) -> str:
        pre, function = conn.pre, conn.function
        if id(conn.pre_obj) in self.array_functions and isinstance(conn.pre, nengo.Node):
            ea, function = self.array_functions[id(conn.pre_obj)]
            pre = ea.output
        text = f"{self.endpoint(pre, scope)} -> {self.endpoint(conn.post, scope)}"
        if function is not None:
            if not isinstance(function, Expression):
                _unsupported(conn, "its function is Python code, not an snn expression")
            text += f" : {self.expression(function, conn)}"
        if conn.synapse != _DEFAULT_SYNAPSE:
            text += f" synapse={self.synapse(conn.synapse, conn)}"
        if repr(conn.solver) != repr(_DEFAULT_SOLVER):
            text += f" solver={self.solver(conn.solver, conn)}"
        transform = conn.transform
        if isinstance(transform, nengo.transforms.Dense):
            key = "weights" if isinstance(conn.pre_obj, nengo.ensemble.Neurons) and \
                isinstance(conn.post_obj, nengo.ensemble.Neurons) else "transform"
            init = transform.init
            if isinstance(init, nengo.dists.Distribution):
                text += f" {key}={self.dist(init, conn, 'transform')}"
            elif np.ndim(init) == 2 and init.size > 1 and np.all(init == init.flat[0]) and (
                    1 in init.shape and ".neurons" in text):
                text += f" {key}={_num(init.flat[0])}"
            else:
                text += f" {key}={_array(init)}"
        elif not isinstance(transform, nengo.transforms.NoTransform):
            _unsupported(conn, f"its transform is a {type(transform).__name__}")
        if conn.learning_rule_type is not None:
            text += f" learn={self.learning_rule(conn, scope)}"
        return text + self.label(conn)

    def learning_rule(self, conn: nengo.Connection, scope) -> str:
        """``pes(ERROR, rate=...)``, or a rule of `nbsnn.learning` with the options
        that differ from its defaults (``rstdp(REWARD, ...)`` names its reward)."""
        rule = conn.learning_rule_type
        names = {cls: (name, rewarded) for name, (cls, rewarded) in SPIKE_RULES.items()}
        if type(rule) is not nengo.PES and type(rule) not in names:
            _unsupported(conn, f"its learning rule is a {type(rule).__name__}; the language "
                         "writes pes, stdp, wstdp, hebbian and rstdp")
        name, signal = names.get(type(rule), ("pes", True))
        args = []
        if signal:
            if id(conn) not in self.learning:
                what = "error" if name == "pes" else "reward"
                _unsupported(conn, f"its {name} rule has no {what} connection")
            args.append(self.endpoint(self.learning[id(conn)].pre, scope))
        if name == "pes":
            return f"pes({args[0]}, rate={_num(rule.learning_rate)})"
        if rule.additive_traces:
            _unsupported(conn, "additive_traces=True is not in the language")
        for option in rule_options(type(rule)):
            key = "learning_rate" if option == "rate" else option
            value = getattr(rule, key)
            if value != getattr(type(rule), key).default:
                args.append(f"{option}=" + (_time(value) if key.startswith("tau") else
                                            _num(value)))
        return f"{name}({', '.join(args)})"

    def probe(self, probe: nengo.Probe, scope) -> str:
        target, attr = probe.target, probe.attr
        if isinstance(target, nengo.Connection):
            if attr != "weights":
                _unsupported(probe, f"it probes '{attr}' of a connection")
            kind, ref = "weights", self.namer.ref(target, scope)
        elif isinstance(target, nengo.ensemble.Neurons):
            spiking = target.ensemble.neuron_type.spiking
            kinds = {"output": "spikes" if spiking else "rates", "voltage": "voltage"}
            if attr not in kinds:
                _unsupported(probe, f"it probes neuron '{attr}'")
            kind, ref = kinds[attr], self.namer.ref(target.ensemble, scope)
        else:
            if attr not in (None, "decoded_output", "output", "input"):
                _unsupported(probe, f"it probes '{attr}'")
            if attr == "input" and not isinstance(target, nengo.Node):
                _unsupported(probe, "it probes the input of an ensemble")
            kind, ref = "value", self.endpoint(target, scope)
            if ref.endswith(".neurons"):
                kind = "spikes"
        text = f"probe {ref}" + ("" if kind == "value" else f" {kind}")
        if probe.synapse is not None:
            text += f" synapse={self.synapse(probe.synapse, probe)}"
        if probe.sample_every is not None:
            text += f" sample_every={_time(probe.sample_every)}"
        name = self.namer.names.get(id(probe))
        default = default_probe_name(ref.split("[")[0], kind)
        if name and name != default:
            text = f"{name} = {text}"
        return text + self.label(probe, name or default)


def to_text(net: nengo.Network, partial: bool = False) -> str:
    """Print a network as ``%%snn`` text that compiles back to the same network.

    Parameters
    ----------
    net : nengo.Network
        A network built from ``%%snn`` text (or one using only what the
        language can express).
    partial : bool
        Print what the language can express and, for each object it cannot, a
        comment ``# not expressible: NAME: why`` (``%snn show`` does this).

    Returns
    -------
    str
        Cell text, one statement per line, ending with a newline. Constants
        that expressions use come first (``sigma = 10``).

    Raises
    ------
    UnsupportedError
        Unless ``partial``: naming the first object the language cannot express.
    """
    printer = _Printer(net, partial)
    printer.network(net, "")
    head = [f"{name} = {_num(value)}" for name, value in printer.constants.items()]
    return "\n".join(head + printer.lines) + "\n"
