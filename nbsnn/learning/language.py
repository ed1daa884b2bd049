"""``%%snn`` words for `nbsnn.learning`: ``learn=stdp(...)`` (and ``wstdp``, ``hebbian``,
``rstdp``) and ``input poisson(...)``.

The language's compiler calls these with itself as ``compiler``, for its error
reporting and value readers (``fail``, ``number``, ``time``, ``call_kwargs``, ...), so
the language only needs a two-line hook for each.
"""

from __future__ import annotations

import inspect

import nengo
import numpy as np

from .encoders import PoissonSpikes
from .rules import STDP, Hebbian, RewardSTDP, WeightDependentSTDP

__all__ = ["SPIKE_RULES", "poisson_input", "rule_options", "spike_rule"]

#: Rule names -> (class, whether the first argument names the reward signal).
SPIKE_RULES = {
    "stdp": (STDP, False),
    "wstdp": (WeightDependentSTDP, False),
    "hebbian": (Hebbian, False),
    "rstdp": (RewardSTDP, True),
}


def rule_options(cls) -> list[str]:
    """A rule's options in the language (``rate`` is ``learning_rate``)."""
    base = RewardSTDP if issubclass(cls, RewardSTDP) else STDP
    params = inspect.signature(base.__init__).parameters
    return ["rate"] + [p for p in params
                       if p not in ("self", "learning_rate", "additive_traces")]


def spike_rule(compiler, call, scope):
    """``stdp(rate=0.01, tau_plus=20ms, wmax=1, ...)``; ``rstdp(REWARD, ...)`` also
    names its reward signal. Returns ``(rule, reward object or None)``."""
    from ..dsl.syntax import Ref, Word

    cls, rewarded = SPIKE_RULES[call.name]
    options = compiler.call_kwargs(call, rule_options(cls))
    reward = None
    if rewarded:
        if len(call.args) != 1 or not isinstance(call.args[0], Word):
            compiler.fail(call.token, f"{call.name}() takes the name of the reward signal",
                          expected=f"{call.name}(reward, rate=0.01)")
        word = call.args[0]
        reward = compiler.resolve(Ref([word.token], word.token), scope, "pre")
    elif call.args:
        compiler.fail(call.args[0].token, f"{call.name}() takes only options",
                      expected=f"{call.name}(rate=0.01, wmax=1)")
    params = {}
    for key, value in options.items():
        read = compiler.time if key.startswith("tau") else compiler.number
        params["learning_rate" if key == "rate" else key] = read(value, key)
    try:
        return cls(**params), reward
    except (nengo.exceptions.NengoException, ValueError) as err:
        first = str(err).strip().splitlines()[0]
        compiler.fail(call.token, f"invalid {call.name}() parameters: {first}")


def poisson_input(compiler, call, name):
    """``poisson(40Hz, dims=8)`` or ``poisson([10, 20, 40])`` (Hz): a Node of
    `PoissonSpikes`."""
    from ..dsl.syntax import ListValue

    options = compiler.call_kwargs(call, ("dims",))
    if len(call.args) != 1:
        compiler.fail(call.token, "poisson() takes one rate or a list of rates",
                      expected="poisson(40Hz, dims=8) or poisson([10, 20, 40])")
    value = call.args[0]
    if isinstance(value, ListValue):
        if "dims" in options:
            compiler.fail(options["dims"].token, "give dims= with a single rate only")
        rates = compiler.vector(value)
    else:
        dims = compiler.integer(options["dims"], "dims") if "dims" in options else 1
        rates = np.full(dims, compiler.frequency(value, "a rate"))
    if not (np.all(np.isfinite(rates)) and np.all(rates >= 0)):
        compiler.fail(value.token, "rates must be finite and not negative")
    top = rates.max()
    return nengo.Node(PoissonSpikes(rates / top if top > 0 else rates, max_rate=top),
                      label=name)
