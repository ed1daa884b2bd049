"""Very long expressions are refused at parse time, not with a RecursionError at run time."""

import nengo
import pytest

from nbsnn.dsl import SnnSyntaxError, compile_cell
from nbsnn.dsl.expressions import MAX_DEPTH


@pytest.mark.parametrize("template", [
    "a = ensemble 10\nb = ensemble 10\na -> b : {}", "a = input {}\nb = ensemble 10\na -> b",
])
@pytest.mark.parametrize("n_terms", [600, 985])
def test_a_985_term_expression_is_a_syntax_error(template, n_terms):
    var = "x" if "->" in template.splitlines()[-1] and ":" in template else "t"
    with pytest.raises(SnnSyntaxError, match="expression is nested too deeply"):
        compile_cell(template.format("+".join([var] * n_terms)))


def test_long_expressions_below_the_limit_run():
    n = MAX_DEPTH - 10
    net = compile_cell("a = input " + "+".join(["t"] * n) + "\nb = ensemble 10\na -> b\n"
                  "p = probe a")
    with nengo.Simulator(net, progress_bar=False) as sim:
        sim.run_steps(2)
    (probe,) = net.all_probes
    assert sim.data[probe][-1, 0] == pytest.approx(n * 0.002)
