"""Start-up: the compile notice, help without heavy imports, the CLI, %snn show of any network."""

import io
import re
import subprocess
import sys
import time

import nengo
import pytest

from nbsnn import cli
from nbsnn.backend.compile_notice import compile_notice
from nbsnn.dsl import compile_cell, to_text
from nbsnn.exceptions import UnsupportedError


def test_compile_notice_shows_progress_only_when_slow():
    out = io.StringIO()
    with compile_notice(delay=0.05, stream=out):
        time.sleep(2.2)
    text = out.getvalue()
    assert text.startswith("nbsnn: compiling kernels (first run only)...")
    assert re.search(r"\.\.\. [12] s", text), text  # the seconds, counted while it runs
    assert re.search(r"done in [2-4] s\n$", text), text
    out = io.StringIO()
    with compile_notice(delay=0.5, stream=out):
        pass
    assert out.getvalue() == ""


def test_help_lists_parts_without_importing_them():
    code = ("import sys\nfrom IPython.testing.globalipapp import start_ipython\n"
            "ip = start_ipython()\nip.run_line_magic('load_ext', 'nbsnn.magics')\n"
            "ip.run_line_magic('snn', 'help')\n"
            "print('HEAVY', [m for m in ('tensorflow', 'keras', 'dask', 'pyNN', "
            "'nbsnn.convert', 'nbsnn.sweep', 'nbsnn.dashboard') if m in sys.modules])\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False)
    assert "HEAVY []" in done.stdout, done.stdout + done.stderr
    for name in ("%snn live", "%snn convert", "%snn push", "%snn sweep"):
        assert name in done.stdout


def test_cli_version_and_help_are_true(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--version"])
    assert capsys.readouterr().out.startswith("nbsnn 0.")
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    text = capsys.readouterr().out
    assert "demo" in text and "bench" not in text
    choices = cli.parser()._subparsers._group_actions[0].choices
    assert set(choices) == {"demo"}


def python_network():
    with nengo.Network(seed=1) as net:
        stim = nengo.Node(lambda t: [t, 0, 0], label="stim")
        a = nengo.Ensemble(30, 3, label="a")
        bg = nengo.networks.BasalGanglia(3, input_bias=0.2)
        nengo.networks.CircularConvolution(20, 2)
        nengo.Connection(stim, a)
        nengo.Connection(a, bg.input)
        nengo.Probe(a, synapse=0.01)
    return net


def test_show_prints_what_it_can_and_names_the_rest():
    net = python_network()
    with pytest.raises(UnsupportedError, match="'stim'.*its output is a Python function"):
        to_text(net)
    text = to_text(net, partial=True)
    lines = text.splitlines()
    assert "# not expressible: stim: its output is a Python function" in lines
    assert any(line.startswith("# not expressible: circularconvolution1: this "
                               "nengo.networks.CircularConvolution was built in Python")
               for line in lines)
    assert "a = ensemble 30 LIF dims=3" in lines and "probe a synapse=10ms" in lines
    assert sum(line.startswith("# not expressible") for line in lines) == 3
    again = compile_cell(text)
    assert again.a.dimensions == 3 and len(again.connections) == 1


def test_library_networks_built_in_python_print_when_their_arguments_are_found():
    net = python_network()
    bg = net.networks[0]
    text = to_text(net, partial=True)
    assert ('basalganglia1 = BasalGanglia(dimensions=3, n_neurons_per_ensemble=100, '
            'output_weight=-3, input_bias=0.2, label="Basal Ganglia")') in text
    again = compile_cell(text)
    assert isinstance(again.basalganglia1, nengo.networks.BasalGanglia)
    assert again.basalganglia1.bias_input.output[0] == bg.bias_input.output[0] == 0.2
    assert "a -> basalganglia1.input" in text.splitlines()


def test_show_magic_never_shows_a_traceback(ipython):
    from IPython.utils.capture import capture_output

    ipython.run_line_magic("load_ext", "nbsnn.magics")
    ipython.user_ns["plain"] = python_network()
    with capture_output() as captured:
        result = ipython.run_cell("%snn show plain")
    assert result.success
    assert "Traceback" not in captured.stdout + captured.stderr
    assert "# 3 object(s) above cannot be written in %%snn" in captured.stdout
