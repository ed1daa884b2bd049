"""``%snn convert`` through `run_magic` in a real IPython shell."""

import nengo
import pytest
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell

from nbsnn.convert import Converter
from nbsnn.convert.magic import HELP, run_magic


@pytest.fixture
def shell(trained_cnn):
    shell = InteractiveShell.instance()
    shell.user_ns["model"] = trained_cnn
    yield shell
    for name in ("model", "model_snn", "net1"):
        shell.user_ns.pop(name, None)


def test_convert_binds_converter(shell, capsys):
    conv = run_magic(shell, ["convert", "model", "--swap", "relu=LIF", "--scale", "100",
                             "--synapse", "0.005", "--name", "net1"])
    assert shell.user_ns["net1"] is conv and isinstance(conv, Converter)
    assert {type(e.neuron_type) for e in conv.neuron_layers.values()} == {nengo.LIF}
    assert all(e.neuron_type.amplitude == pytest.approx(0.01)
               for e in conv.neuron_layers.values())
    assert conv.synapse == 0.005
    assert "net1: " in capsys.readouterr().out


def test_default_name_and_no_swap(shell):
    run_magic(shell, ["model"])
    conv = shell.user_ns["model_snn"]
    assert {type(e.neuron_type) for e in conv.neuron_layers.values()} == {nengo.RectifiedLinear}


@pytest.mark.parametrize("argv, words", [
    (["convert", "nothere"], "no variable named 'nothere'"),
    (["convert", "model", "--swap", "relu=Banana"], "Banana"),
    (["convert", "model", "--scale", "x"], "--scale"),
])
def test_usage_errors(shell, argv, words):
    with pytest.raises(UsageError, match=words) as info:
        run_magic(shell, argv)
    assert HELP.splitlines()[0] in str(info.value)
