"""Input signals of a cell (``input step(...)``, ``white(...)``, ...) built as Nengo nodes."""

from __future__ import annotations

import nengo
import numpy as np

from ..learning.language import poisson_input
from .inputs import SliderInput
from .syntax import Call, InputDef
from .values import Values

__all__ = ["Signals"]


class Signals(Values):
    """Build the node of an ``input`` definition; mixed into the compiler."""

    def input(self, node: InputDef, scope, name):
        options = self.option_map(node.options, ("label",), "an input")
        label = self.text(options["label"]) if "label" in options else name
        if node.expression is not None:
            expr = node.expression
            if expr.uses_variable:
                output = expr
            else:
                output = np.atleast_1d(np.asarray(expr(), dtype=float))
                if output.ndim != 1 or not np.all(np.isfinite(output)):
                    self.fail(node.token, "a constant input must be a finite number or list")
            return nengo.Node(output, label=label)
        call = node.call
        builders = {"step": self.step, "piecewise": self.piecewise, "white": self.white,
                    "slider": self.slider, "constant": self.constant_input,
                    "passthrough": self.passthrough,
                    "poisson": lambda call, label: poisson_input(self, call, label)}
        return builders[call.name](call, label)

    def call_kwargs(self, call: Call, allowed):
        if call.pairs and "pairs" not in allowed:
            self.fail(call.pairs[0][0].token, "'t: value' pairs only go in piecewise(...)")
        return self.option_map(call.kwargs, [a for a in allowed if a != "pairs"],
                               f"{call.name}()")

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

    def constant_input(self, call: Call, name):
        self.call_kwargs(call, ())
        if len(call.args) != 1:
            self.fail(call.token, "constant() takes one value", expected="constant(0.3)")
        return nengo.Node(self.vector(call.args[0]), label=name)

    def passthrough(self, call: Call, name):
        options = self.call_kwargs(call, ("dims",))
        if call.args:
            self.fail(call.args[0].token, "passthrough() takes only dims=",
                      expected="passthrough(dims=2)")
        dims = self.integer(options["dims"], "dims") if "dims" in options else 1
        return nengo.Node(size_in=dims, label=name)
