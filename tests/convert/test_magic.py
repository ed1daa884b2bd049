"""``%snn convert`` through `run_magic` in a real IPython shell."""

import nengo
import pytest
from IPython.core.error import UsageError

from nbsnn.convert import Converter
from nbsnn.commands import PARSERS
from nbsnn.convert.magic import run_magic


@pytest.fixture
def shell(trained_cnn, ipython):
    shell = ipython
    shell.user_ns["model"] = trained_cnn
    yield shell
    for name in ("model", "model_snn", "net1"):
        shell.user_ns.pop(name, None)


def test_convert_binds_converter(shell, capsys):
    run_magic(shell, ["model", "--swap", "relu=LIF", "--scale", "100",
                      "--synapse", "0.005", "--name", "net1"])
    conv = shell.user_ns["net1"]
    assert isinstance(conv, Converter)
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
    (["nothere"], "no variable named 'nothere'"),
    (["model", "--swap", "relu=Banana"], "Banana"),
    (["model", "--scale", "x"], "--scale"),
])
def test_usage_errors(shell, argv, words):
    with pytest.raises(UsageError, match=words) as info:
        run_magic(shell, argv)
    assert str(info.value).endswith(PARSERS["convert"]().help_text)


def test_levels_make_a_spiking_qcfs_network(shell, digits):
    from nbsnn.neurons import IntegrateAndFire

    shell.user_ns["x_cal"] = digits[0][0][:200]
    try:
        run_magic(shell, ["model", "--levels", "4", "--calibrate", "x_cal", "--name", "net1"])
    finally:
        shell.user_ns.pop("x_cal")
    conv = shell.user_ns["net1"]
    assert [layer.name for layer in conv.neuron_layers] == ["conv0_qcfs", "conv1_qcfs"]
    assert {type(e.neuron_type) for e in conv.neuron_layers.values()} == {IntegrateAndFire}
    assert conv.model.get_layer("conv0_qcfs").levels == 4
    with pytest.raises(UsageError, match="go together"):
        run_magic(shell, ["model", "--levels", "4"])
