"""The %%snn and %snn magics, driven through a real IPython shell."""

import nengo
import numpy as np
import pytest
from IPython.utils.capture import capture_output

from nbsnn import magics
from nbsnn.dsl import SnnNetwork
from nbsnn.dsl.errors import SnnCellError
from nbsnn.dsl.run import RunResult

from .cells import ISSUE_EXAMPLE


@pytest.fixture(scope="module")
def ip(ipython):
    ipython.run_line_magic("load_ext", "nbsnn.magics")
    return ipython


def cell(ip, text):
    with capture_output() as captured:
        result = ip.run_cell(text)
    return result, captured


def test_cell_binds_a_network_and_shows_a_summary(ip):
    result, captured = cell(ip, "%%snn channel --seed 0\n" + ISSUE_EXAMPLE)
    assert result.success
    net = ip.user_ns["channel"]
    assert isinstance(net, SnnNetwork) and isinstance(net, nengo.Network)
    assert net.label == "channel" and net.seed == 0
    assert net.a.n_neurons == 150 and net.stim in net.nodes
    assert len(captured.outputs) == 1
    html = net._repr_html_()
    assert "250 neurons" in html and "<code>a</code>" in html and "3 connections" in html


def test_bad_cell_gives_a_short_located_error_and_keeps_the_namespace(ip):
    cell(ip, "%%snn keep\na = ensemble 10 LIF\n")
    before = ip.user_ns["keep"]
    result, captured = cell(ip, "%%snn keep\na = ensemble 10 LIF\nb = ensemble 150 LIFF\n")
    assert not result.success
    assert isinstance(result.error_in_exec, SnnCellError)
    assert ip.user_ns["keep"] is before
    shown = captured.stdout + captured.stderr
    assert "line 3, column 18: unknown neuron type 'LIFF'" in shown
    assert "did you mean 'LIF'?" in shown
    assert "Traceback" not in shown and "magics.py" not in shown
    assert len(shown.splitlines()) <= 6
    assert ip.run_cell("1 + 1").result == 2  # the shell goes on


def test_run_simulates_plots_and_keeps_data(ip):
    cell(ip, "%%snn sq --seed 1\nstim = input 0.5\na = ensemble 100 LIF\n"
             "b = ensemble 100 LIF\nstim -> a\na -> b : x**2\nprobe b synapse=10ms\n"
             "probe a spikes\n")
    result, captured = cell(ip, "%snn run sq 300ms")
    assert result.success, result.error_in_exec
    res = ip.user_ns["sq_result"]
    assert isinstance(res, RunResult)
    assert res.trange.shape == (300,) and np.isclose(res.trange[-1], 0.3)
    assert res["b_probe"].shape == (300, 1)
    assert abs(res["b_probe"][-100:].mean() - 0.25) < 0.1
    assert res["a_spikes"].shape == (300, 100) and res["a_spikes"].any()
    kinds = {k for out in captured.outputs for k in out.data}
    assert "application/vnd.bokehjs_exec.v0+json" in kinds
    assert "sq_result" in captured.stdout


def test_run_options_and_usage_errors(ip):
    cell(ip, "%%snn tiny\ns = input 1\nprobe s")
    result, captured = cell(ip, "%snn run tiny 20ms --dt 2ms --no-plot --out r")
    assert result.success
    assert ip.user_ns["r"].dt == 0.002 and len(ip.user_ns["r"].trange) == 10
    assert not captured.outputs
    result, captured = cell(ip, "%snn run nothing 1s")
    assert not result.success and "no network named 'nothing'" in captured.stderr
    result, captured = cell(ip, "%snn run tiny soon")
    assert not result.success and "not a duration" in captured.stderr
    result, captured = cell(ip, "%snn rn tiny 1s")
    assert not result.success and "did you mean 'run'" in captured.stderr.lower()


def test_show_prints_the_cell_back(ip):
    cell(ip, "%%snn shown\n" + ISSUE_EXAMPLE)
    result, captured = cell(ip, "%snn show shown")
    assert result.success
    assert captured.stdout.splitlines()[1] == "a = ensemble 150 LIF rates=40..60"
    result, _ = cell(ip, "%%snn shown_again\n" + captured.stdout)
    assert result.success
    assert ip.user_ns["shown_again"].b.n_neurons == 100
    result, _ = cell(ip, "%snn show shown --edit")
    assert result.success
    assert ip.rl_next_input == "%%snn shown\n" + captured.stdout


def test_cell_name_is_required_and_checked(ip):
    for line, message in (("%%snn", "required: NAME"), ("%%snn 1x", "needs a Python name")):
        result, captured = cell(ip, line + "\na = ensemble 5 LIF")
        assert not result.success and message in captured.stderr


def test_help_lists_all_subcommands(ip):
    result, captured = cell(ip, "%snn help")
    for name in ("%%snn NAME", "%snn run", "%snn show", "%snn help", "%snn live",
                 "%snn convert", "%snn push", "%snn sweep"):
        assert name in captured.stdout


def test_help_lists_each_subcommand_once_and_describes_one(ip):
    result, captured = cell(ip, "%snn help")
    for name in ("run", "live", "export", "import"):
        assert captured.stdout.count(f"%snn {name} ") == 1
    result, captured = cell(ip, "%snn help live")
    assert "--history SECONDS  simulated time kept" in captured.stdout
    assert "Example: %snn live net --view" in captured.stdout
    result, captured = cell(ip, "%snn help nope")
    assert not result.success and "unknown %snn subcommand 'nope'" in captured.stderr


def test_missing_subcommand_names_the_extra(ip, tmp_path, monkeypatch):
    monkeypatch.setitem(magics.SUBCOMMANDS, "push", "nbsnn.no_such_part.magic:run_magic")
    result, captured = cell(ip, "%snn push channel")
    shown = captured.stdout + captured.stderr
    assert isinstance(result.error_in_exec, magics.SubcommandUnavailableError)
    assert isinstance(result.error_in_exec, ImportError)
    assert "has no nbsnn.no_such_part.magic" in shown
    assert "pip install 'nbsnn[spinnaker]'" in shown
    assert "Traceback" not in shown
    (tmp_path / "nbsnn_test_needs_dep.py").write_text("import nbsnn_absent_dependency\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(magics.SUBCOMMANDS, "sweep", "nbsnn_test_needs_dep:run_magic")
    result, captured = cell(ip, "%snn sweep x")
    shown = captured.stdout + captured.stderr
    assert "needs 'nbsnn_absent_dependency'" in shown
    assert "pip install 'nbsnn[sweep]'" in shown
    result, captured = cell(ip, "%snn help")
    assert "(not installed: pip install 'nbsnn[sweep]')" in captured.stdout


def test_subcommands_dispatch_to_their_module(ip, tmp_path, monkeypatch):
    (tmp_path / "nbsnn_test_subcommand.py").write_text(
        "calls = []\n"
        "def run_magic(shell, argv):\n"
        "    calls.append((shell, argv))\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(magics.SUBCOMMANDS, "live", "nbsnn_test_subcommand:run_magic")
    result, captured = cell(ip, "%snn live channel --rate 'a b'")
    assert result.success
    import nbsnn_test_subcommand

    assert nbsnn_test_subcommand.calls == [(ip, ["channel", "--rate", "a b"])]
    result, captured = cell(ip, "%snn help live")  # from nbsnn.commands, not the module
    assert captured.stdout.startswith("%snn live NAME [--view SPEC]")


def test_register_if_in_ipython(ip):
    ip.magics_manager.magics["cell"].pop("snn")
    assert magics.register_if_in_ipython() is True
    assert "snn" in ip.magics_manager.magics["cell"]
    assert "snn" in ip.magics_manager.magics["line"]


def test_units_in_the_magics(ip):
    cell(ip, "%%snn tiny_units\ns = input 1\nprobe s")
    for line in ("%snn run tiny_units 500", "%snn run tiny_units 20ms --dt 0.001"):
        result, captured = cell(ip, line)
        assert not result.success and "has no unit" in captured.stderr
    assert "500ms" in cell(ip, "%snn run tiny_units 500")[1].stderr
    result, captured = cell(ip, "%%snn slow\na = ensemble 10 LIF\na -> a synapse=5s\n")
    assert result.success
    assert "SnnWarning: line 3, column 16: a synapse of 5 s is unusually long" in \
        captured.stderr
    assert "did you mean '5ms'?" in captured.stderr
    result, captured = cell(ip, "%%snn slip\na = ensemble 10 LIF\na -> a synapse=5\n")
    assert isinstance(result.error_in_exec, SnnCellError)
    shown = captured.stdout + captured.stderr
    assert "line 3, column 16: a synapse time constant needs a unit" in shown


def test_one_run_seed_fixes_neurons_and_simulator(ip):
    cell(ip, "%%snn unseeded\nn = input white(5Hz)\na = ensemble 20 LIF\nn -> a\n"
             "probe a synapse=10ms\n")
    runs = []
    for _ in range(2):
        result, _ = cell(ip, "%snn run unseeded 50ms --seed 4 --no-plot")
        assert result.success
        runs.append(ip.user_ns["unseeded_result"]["a_probe"])
    assert np.array_equal(runs[0], runs[1])
    assert ip.user_ns["unseeded"].seed is None
    cell(ip, "%snn run unseeded 50ms --seed 5 --no-plot")
    assert not np.array_equal(ip.user_ns["unseeded_result"]["a_probe"], runs[0])
    result, captured = cell(ip, "%snn help run")
    assert "the neurons (encoders, gains, biases)" in captured.stdout


def test_build_errors_are_short(ip):
    with nengo.Network() as net:
        nengo.Ensemble(10, 1, intercepts=nengo.dists.Uniform(1.5, 2), label="a")
    ip.user_ns["unbuildable"] = net
    result, captured = cell(ip, "%snn run unbuildable 10ms --no-plot")
    assert not result.success
    assert "%snn run unbuildable: the network cannot be built" in captured.stderr
    assert "Traceback" not in captured.stderr + captured.stdout
