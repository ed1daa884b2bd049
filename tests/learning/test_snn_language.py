"""``learn=stdp(...)`` and friends in ``%%snn`` cells, with located errors."""

import numpy as np
import pytest

import nbsnn
from nbsnn.dsl import compile_cell
from nbsnn.dsl.errors import SnnSyntaxError
from nbsnn.learning import STDP, Hebbian, RewardSTDP, WeightDependentSTDP

CELL = """\
stim = input sin(2*pi*t)
a = ensemble 20
b = ensemble 10
r = input 1
stim -> a
c = a.neurons -> b.neurons weights=0..0.01 learn={rule}
probe c weights
"""


@pytest.mark.parametrize("text,expected", [
    ("stdp(rate=0.001, tau_plus=10ms, wmin=0, wmax=0.02, normalize=0.1)",
     STDP(learning_rate=0.001, tau_plus=0.01, wmin=0, wmax=0.02, normalize=0.1)),
    ("wstdp(rate=0.01, wmin=0, wmax=0.05)",
     WeightDependentSTDP(learning_rate=0.01, wmin=0, wmax=0.05)),
    ("hebbian(rate=1e-4, a_minus=0.5)", Hebbian(learning_rate=1e-4, a_minus=0.5)),
    ("rstdp(r, rate=0.1, tau_e=50ms)", RewardSTDP(learning_rate=0.1, tau_e=0.05)),
])
def test_rules_compile_and_learn(text, expected):
    net = compile_cell(CELL.format(rule=text))
    assert net.c.learning_rule_type == expected
    with nbsnn.Simulator(net, progress_bar=False) as sim:
        sim.run(0.2)
    assert sim.python_ops == []
    w = sim.data[net.c_weights]
    assert not np.array_equal(w[0], w[-1])


@pytest.mark.parametrize("text,message,at", [
    ("stpd(rate=1)", "unknown learning rule", "stpd"),
    ("stdp(rat=1)", "unknown option 'rat'", "rat"),
    ("wstdp(rate=1)", "needs finite wmin and wmax", "wstdp"),
    ("rstdp(rate=1)", "takes the name of the reward signal", "rstdp"),
    ("stdp(r, rate=1)", "takes only options", "r,"),
])
def test_bad_rules_are_located(text, message, at):
    cell = CELL.format(rule=text)
    with pytest.raises(SnnSyntaxError, match=message) as err:
        compile_cell(cell)
    line = cell.splitlines()[5]
    assert (err.value.line, err.value.column) == (6, line.index("learn=") + 7 + text.index(at))


def test_poisson_input_spikes_at_the_given_rates():
    net = compile_cell("s = input poisson(40Hz, dims=4)\n"
                       "q = input poisson([10, 20, 0])\n"
                       "probe s\nprobe q\n")
    with nbsnn.Simulator(net, progress_bar=False, seed=1) as sim:
        sim.run(5.0)
    assert sim.python_ops == []
    for probe, rates in [(net.s_probe, [40.0] * 4), (net.q_probe, [10.0, 20.0, 0.0])]:
        counts = (sim.data[probe] * sim.dt).sum(axis=0)
        expected = np.array(rates) * 5.0
        assert (np.abs(counts - expected) < 4 * np.sqrt(expected) + 1).all()


@pytest.mark.parametrize("cell,message", [
    ("s = input poisson()", "takes one rate or a list"),
    ("s = input poisson(-3Hz)", "not negative"),
    ("s = input poisson([1, 2], dims=3)", "dims= with a single rate only"),
])
def test_bad_poisson_inputs_are_reported(cell, message):
    with pytest.raises(SnnSyntaxError, match=message):
        compile_cell(cell)


@pytest.mark.parametrize("rule", [
    "stdp(rate=0.001, tau_plus=10ms, wmin=0, wmax=0.02, normalize=0.1, normalize_every=5)",
    "wstdp(wmin=0, wmax=0.05)",
    "hebbian(rate=0.0001, a_minus=0.5)",
    "rstdp(r, rate=0.1, a_plus=2, tau_minus=15ms, tau_e=50ms, wmin=-1, wmax=1)",
    "pes(stim, rate=0.001)",
])
def test_show_writes_learning_rules_back(rule):
    if rule.startswith("pes"):
        cell = CELL.replace("a.neurons -> b.neurons weights=0..0.01", "a -> b")
    else:
        cell = CELL
    net = compile_cell(cell.format(rule=rule))
    text = nbsnn.dsl.to_text(net)
    assert f" learn={rule}" in text
    again = compile_cell(text)
    assert again.c.learning_rule_type == net.c.learning_rule_type
    assert nbsnn.dsl.to_text(again) == text


def test_show_writes_poisson_inputs_back():
    cell = ("s = input poisson(40Hz, dims=4)\nq = input poisson([10, 20, 0])\n"
            "o = input poisson(33.3Hz)\nz = input poisson(0Hz, dims=2)\n")
    net = compile_cell(cell)
    text = nbsnn.dsl.to_text(net)
    assert text == cell
    again = compile_cell(text)
    for name in "sqoz":
        old, new = getattr(net, name).output, getattr(again, name).output
        assert np.array_equal(old.data, new.data) and old.max_rate == new.max_rate


def test_show_names_what_it_cannot_write():
    import nengo

    from nbsnn.exceptions import UnsupportedError
    from nbsnn.learning.encoders import PoissonSpikes

    net = compile_cell(CELL.format(rule="stdp()"))
    net.c.learning_rule_type = STDP(additive_traces=True)
    with pytest.raises(UnsupportedError, match="additive_traces=True"):
        nbsnn.dsl.to_text(net)
    with nengo.Network() as plain:
        nengo.Node(PoissonSpikes([[0.5], [1.0]], presentation_time=0.1), label="p")
    assert "# not expressible: p: a PoissonSpikes with several samples" in \
        nbsnn.dsl.to_text(plain, partial=True)
