"""Connections of a cell: ends, functions, transforms (broadcast to neurons), learning."""

from __future__ import annotations

import nengo
import numpy as np

from ..learning.language import SPIKE_RULES, spike_rule
from .errors import suggest
from .signals import Signals
from .syntax import Call, Connect, Range, Ref, Word
from .values import NENGO_ERRORS

__all__ = ["Connections", "CONNECT_OPTIONS"]

CONNECT_OPTIONS = ("synapse", "transform", "weights", "inhibit", "solver", "learn", "label")


class Connections(Signals):
    """Build ``a -> b`` statements; mixed into the compiler.

    Needs the compiler's ``resolve(ref, scope, role)``, ``label(options, name)``,
    ``nengo_error(token, err)`` and ``scope``, and fills ``arrays``,
    ``array_outputs`` and ``neuron_nodes`` together with its ``endpoint``.
    """

    def connect(self, node: Connect, scope, name):
        options = self.option_map(node.options, CONNECT_OPTIONS, "a connection")
        given = [k for k in ("transform", "weights", "inhibit") if k in options]
        if len(given) > 1:
            self.fail(options[given[1]].token, f"give one of {', '.join(given)}, not both")
        pre = self.resolve(node.pre, scope, "pre")
        post_ref = node.post
        if "inhibit" in options and not post_ref.neurons:
            post_ref = Ref(post_ref.parts, post_ref.token, True, post_ref.index)
        post = self.resolve(post_ref, scope, "post")
        kwargs = {"label": self.label(options, name)}
        if "synapse" in options:
            kwargs["synapse"] = self.synapse(options["synapse"])
        if "solver" in options:
            kwargs["solver"] = self.solver(options["solver"])
        pre = self.function_source(node, pre, kwargs)
        size = self.check_sizes(node, pre, post, bool(given))
        if given:
            key = given[0]
            kwargs["transform"] = self.transform(options[key], key, pre, post, size)
        error = None
        if "learn" in options:
            kwargs["learning_rule_type"], error = self.learning_rule(options["learn"], scope)
        try:
            conn = nengo.Connection(pre, post, **kwargs)
        except NENGO_ERRORS as err:
            token = node.function_token if (node.function is not None and
                                            "function" in str(err).lower()) else node.token
            self.nengo_error(token, err)
        if error is not None:
            nengo.Connection(error, conn.learning_rule)
        return conn

    def function_source(self, node: Connect, pre, kwargs):
        """Where a function is computed: ``pre`` itself, or an array's added output."""
        if node.function is None:
            return pre
        source = node.function.source
        base = pre.obj if isinstance(pre, nengo.base.ObjView) else pre
        if id(base) in self.arrays:
            if base is not pre:
                self.fail(node.pre.token, "a function on an array applies to every "
                          f"ensemble; '{node.pre.dotted}' is indexed",
                          expected="the whole array before ':', and an index on the "
                          "other end, e.g. arr -> b[0] : x**2")
            array = self.arrays[id(base)]
            key = (id(array), source)
            if key not in self.array_outputs:
                self.check_function(node, array.dimensions_per_ensemble)
                name = f"out{len(array.nodes) - 1}"
                while hasattr(array, name):
                    name += "_"
                self.array_outputs[key] = array.add_output(name, node.function)
            return self.array_outputs[key]
        if isinstance(base, nengo.Node) and base.output is None:
            self.fail(node.function_token, f"'{node.pre.dotted}' is a passthrough node "
                      f"and cannot compute '{source}'", length=len(source),
                      expected="the function on a connection from an ensemble, e.g. "
                      f"into {node.pre.dotted} or out of the ensemble feeding it")
        kwargs["function"] = node.function
        return pre

    def check_function(self, node: Connect, size_in: int) -> int:
        source = node.function.source
        try:
            out = np.asarray(node.function(np.zeros(size_in)), dtype=float)
        except Exception as err:  # noqa: BLE001 - any failure is the user's expression
            self.fail(node.function_token, f"cannot evaluate '{source}' on a "
                      f"{size_in}-D input: {err}", length=len(source))
        if out.ndim > 1:
            self.fail(node.function_token, f"'{source}' gives a matrix, not a vector",
                      length=len(source))
        return out.size

    def check_sizes(self, node: Connect, pre, post, has_transform: bool) -> int:
        """Size of what ``pre`` sends (after the function); checks it fits ``post``."""
        size = pre.size_out
        if node.function is not None and pre not in self.array_outputs.values():
            size = self.check_function(node, pre.size_out)
        if has_transform or size == post.size_in:
            return size
        what = (f"'{node.function.source}' gives {size} value(s)"
                if node.function is not None
                else f"'{node.pre.dotted}' has {size} dimension(s)")
        self.fail(node.token, f"{what} but '{node.post.dotted}' takes {post.size_in}",
                  expected="matching sizes: add a function such as ': x[0]', "
                  "an index such as 'b[0]', or a transform=")

    def transform(self, value, key, pre, post, size):
        """A transform, broadcast to or from neurons: ``inhib -> a.neurons transform=-2``."""
        if isinstance(value, Range) or (isinstance(value, Call) and
                                        value.name in ("uniform", "choice")):
            return self.distribution(value, key, self.number)
        data = self.array(value, f"{key}=")
        if key == "inhibit":
            data = -data
        rows = post.size_in
        if size != rows and (self.is_neurons(pre) or self.is_neurons(post)):
            if np.ndim(data) == 0:
                return np.full((rows, size), data)
            if np.ndim(data) == 1 and size == 1 and len(data) == rows:
                return data[:, None]
            if np.ndim(data) == 1 and rows == 1 and len(data) == size:
                return data[None, :]
        shape = np.shape(data)
        square = size == rows and shape in ((), (rows,))  # times the identity, or diagonal
        if not (square or shape == (rows, size)):
            self.fail(value.token, f"a {key} of shape {shape or 'scalar'} cannot map "
                      f"{size} value(s) to {rows}", expected=f"a number (sizes equal, or "
                      f"to/from neurons), a list of {rows}, or a {rows}x{size} matrix")
        return data

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

    def is_neurons(self, obj) -> bool:
        """Whether ``obj`` is (a slice of) neurons: an ensemble's, or an array's node."""
        obj = obj.obj if isinstance(obj, nengo.base.ObjView) else obj
        return isinstance(obj, nengo.ensemble.Neurons) or id(obj) in self.neuron_nodes
