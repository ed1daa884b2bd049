"""``%snn export`` / ``%snn import`` in a real IPython shell."""

import nengo
import numpy as np
import pytest
from IPython.core.error import UsageError

from nbsnn.nir import NIRLIF, run


@pytest.fixture
def shell(ipython):
    ipython.run_line_magic("load_ext", "nbsnn.magics")
    yield ipython
    for name in ("net", "back", "bad"):
        ipython.user_ns.pop(name, None)


def _net():
    with nengo.Network() as net:
        stim = nengo.Node(lambda t: [np.sin(30 * t)], label="stim")
        ens = nengo.Ensemble(4, 1, neuron_type=NIRLIF(tau=0.02, amplitude=1e-3),
                             gain=np.full(4, 40.0), bias=np.linspace(0, 30, 4), label="lif")
        nengo.Connection(stim, ens.neurons, transform=np.ones((4, 1)), synapse=None)
        out = nengo.Node(size_in=4, label="out")
        nengo.Connection(ens.neurons, out, synapse=None)
        net.probe = nengo.Probe(out, label="spikes")
    return net


def test_export_then_import(shell, tmp_path, capsys):
    shell.user_ns["net"] = net = _net()
    path = tmp_path / "net.nir"
    shell.run_line_magic("snn", f"export net {path} --dt 0.001")
    assert "net -> " in capsys.readouterr().out and path.exists()
    shell.run_line_magic("snn", f"import {path} back")
    back = shell.user_ns["back"]
    assert back.dt == 0.001 and set(back.outputs) == {"spikes"}
    with nengo.Simulator(net, progress_bar=False) as sim:
        sim.run_steps(100)
    x = np.sin(30 * 0.001 * np.arange(1, 101))[:, None]
    got = run(back, x)["spikes"]
    np.testing.assert_array_equal(got, sim.data[net.probe])  # amplitude = dt: spikes of 1
    assert got.any()


def test_errors_are_short(shell, tmp_path):
    with pytest.raises(UsageError, match="no variable named 'nothere'"):
        shell.run_line_magic("snn", f"export nothere {tmp_path / 'x.nir'}")
    with nengo.Network() as bad:
        nengo.Ensemble(3, 1, neuron_type=nengo.LIF(), label="plain")
        nengo.Node(lambda t: t)
    shell.user_ns["bad"] = bad
    with pytest.raises(UsageError, match="plain.*approximate=True"):
        shell.run_line_magic("snn", f"export bad {tmp_path / 'x.nir'}")
    with pytest.raises(UsageError, match="import"):
        shell.run_line_magic("snn", f"import {tmp_path / 'missing.nir'} y")
    with pytest.raises(UsageError, match="help|usage|%snn import"):
        shell.run_line_magic("snn", "import onlyone")
