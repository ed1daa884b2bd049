"""Print a `nengo.Network` back as ``%%snn`` cell text (``%snn show``)."""

from __future__ import annotations

import keyword

import nengo
import numpy as np

from ..exceptions import UnsupportedError
from .expressions import Expression
from .inputs import SliderInput
from .parser import KEYWORDS
from .vocabulary import (
    RESERVED_NAMES, default_probe_name, neuron_parameters, neuron_type_name,
)

__all__ = ["to_text"]

_INDENT = "    "
_DEFAULT_SYNAPSE = nengo.Connection.synapse.default
_DEFAULT_RATES = nengo.Ensemble.max_rates.default
_DEFAULT_INTERCEPTS = nengo.Ensemble.intercepts.default


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


def _unsupported(obj, what: str):
    raise UnsupportedError(
        f"{obj} cannot be printed as %%snn text: {what}. Print only networks "
        "built from %%snn cells, or change the object to one the language supports "
        "(see docs/snn_language.md).")


class _Namer:
    """Assigns each printable object a name that is unique in its network."""

    def __init__(self) -> None:
        self.names: dict[int, str] = {}
        self.owner: dict[int, nengo.Network] = {}
        self.parent: dict[int, nengo.Network | None] = {}

    def assign(self, net: nengo.Network, parent=None) -> None:
        self.parent[id(net)] = parent
        taken: set[str] = set()
        groups = [net.nodes, net.ensembles, net.networks, net.connections, net.probes]
        counters: dict[str, int] = {}
        for group in groups:
            for obj in group:
                label = obj.label
                if (isinstance(label, str) and label.isidentifier()
                        and not keyword.iskeyword(label) and label not in KEYWORDS
                        and label not in RESERVED_NAMES and label not in taken):
                    name = label
                elif isinstance(obj, (nengo.Connection, nengo.Probe)):
                    name = None
                else:
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
            if not isinstance(sub, nengo.networks.EnsembleArray):
                self.assign(sub, net)

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
    def __init__(self, net: nengo.Network) -> None:
        self.namer = _Namer()
        self.namer.assign(net)
        self.arrays = {}
        self.learning = {}
        for sub in net.all_networks:
            if isinstance(sub, nengo.networks.EnsembleArray):
                self.arrays[id(sub.input)] = sub
                self.arrays[id(sub.output)] = sub
        for conn in net.all_connections:
            if isinstance(conn.post_obj, nengo.connection.LearningRule):
                self.learning[id(conn.post_obj.connection)] = conn
        self.lines: list[str] = []

    def emit(self, indent: str, text: str) -> None:
        self.lines.append(indent + text)

    def network(self, net: nengo.Network, indent: str) -> None:
        for node in net.nodes:
            self.emit(indent, f"{self.namer.names[id(node)]} = input {self.node(node)}")
        for ens in net.ensembles:
            self.emit(indent, f"{self.namer.names[id(ens)]} = {self.ensemble(ens)}")
        for sub in net.networks:
            name = self.namer.names[id(sub)]
            if isinstance(sub, nengo.networks.EnsembleArray):
                self.emit(indent, f"{name} = {self.array(sub)}")
            else:
                self.emit(indent, f"{name} = network:")
                self.network(sub, indent + _INDENT)
        for conn in net.connections:
            if isinstance(conn.post_obj, nengo.connection.LearningRule):
                continue
            text = self.connection(conn, net)
            name = self.namer.names.get(id(conn))
            self.emit(indent, f"{name} = {text}" if name else text)
        for probe in net.probes:
            self.emit(indent, self.probe(probe, net))

    # -- objects ----------------------------------------------------------
    def node(self, node: nengo.Node) -> str:
        out = node.output
        if isinstance(out, Expression):
            return out.source
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
        _unsupported(node, f"its output is a {type(out).__name__}")

    def neuron(self, neuron_type) -> str:
        name = neuron_type_name(neuron_type)
        if name is None:
            _unsupported(neuron_type, "the language has no name for this neuron type")
        default = type(neuron_type)()
        params = []
        for key in neuron_parameters(type(neuron_type)):
            value = getattr(neuron_type, key)
            if np.all(value != getattr(default, key)):
                params.append(f"{key}={_num(value)}")
        if neuron_type.initial_state:
            _unsupported(neuron_type, "initial_state is set")
        return f"{name}({', '.join(params)})" if params else name

    def dist(self, dist, owner, what) -> str:
        if isinstance(dist, nengo.dists.Uniform) and not dist.integer:
            return f"{_num(dist.low)}..{_num(dist.high)}"
        if isinstance(dist, nengo.dists.Choice) and np.asarray(dist.options).size == 1:
            return _num(np.ravel(dist.options)[0])
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
        return text

    def ensemble(self, ens: nengo.Ensemble) -> str:
        text = self.ensemble_options(ens)
        if ens.seed is not None:
            text += f" seed={ens.seed}"
        return text

    def array(self, ea) -> str:
        text = f"{ea.n_ensembles} x {self.ensemble_options(ea.ea_ensembles[0])}"
        if ea.seed is not None:
            text += f" seed={ea.seed}"
        return text

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
            obj = self.arrays[id(obj)]
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

    def connection(self, conn: nengo.Connection, scope) -> str:
        text = f"{self.endpoint(conn.pre, scope)} -> {self.endpoint(conn.post, scope)}"
        if conn.function is not None:
            if not isinstance(conn.function, Expression):
                _unsupported(conn, "its function is Python code, not an snn expression")
            text += f" : {conn.function.source}"
        if conn.synapse != _DEFAULT_SYNAPSE:
            text += f" synapse={self.synapse(conn.synapse, conn)}"
        transform = conn.transform
        if isinstance(transform, nengo.transforms.Dense):
            key = "weights" if isinstance(conn.pre_obj, nengo.ensemble.Neurons) and \
                isinstance(conn.post_obj, nengo.ensemble.Neurons) else "transform"
            init = transform.init
            if isinstance(init, nengo.dists.Distribution):
                text += f" {key}={self.dist(init, conn, 'transform')}"
            else:
                text += f" {key}={_array(init)}"
        elif not isinstance(transform, nengo.transforms.NoTransform):
            _unsupported(conn, f"its transform is a {type(transform).__name__}")
        rule = conn.learning_rule_type
        if rule is not None:
            if type(rule) is not nengo.PES or id(conn) not in self.learning:
                _unsupported(conn, "only PES learning with an error connection is supported")
            error = self.learning[id(conn)]
            text += (f" learn=pes({self.endpoint(error.pre, scope)}, "
                     f"rate={_num(rule.learning_rate)})")
        return text

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
            if attr not in (None, "decoded_output", "output"):
                _unsupported(probe, f"it probes '{attr}'")
            kind, ref = "value", self.endpoint(target, scope)
        text = f"probe {ref}" + ("" if kind == "value" else f" {kind}")
        if probe.synapse is not None:
            text += f" synapse={self.synapse(probe.synapse, probe)}"
        if probe.sample_every is not None:
            text += f" sample_every={_time(probe.sample_every)}"
        name = self.namer.names.get(id(probe))
        if name and name != default_probe_name(ref.split("[")[0], kind):
            text = f"{name} = {text}"
        return text


def to_text(net: nengo.Network) -> str:
    """Print a network as ``%%snn`` text that compiles back to the same network.

    Parameters
    ----------
    net : nengo.Network
        A network built from ``%%snn`` text (or one using only what the
        language can express).

    Returns
    -------
    str
        Cell text, one statement per line, ending with a newline.

    Raises
    ------
    UnsupportedError
        Naming the first object the language cannot express.
    """
    printer = _Printer(net)
    printer.network(net, "")
    return "\n".join(printer.lines) + "\n"
