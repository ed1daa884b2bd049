"""The %snn sweep magic with an evaluate function, in a real IPython shell."""

import pytest
from IPython.core.error import UsageError

from nbsnn.sweep.magic import parse_values, run_magic

from .functions import arithmetic


@pytest.fixture
def shell(ipython):
    return ipython


def test_parse_values():
    assert parse_values("synapse=0,0.005, None") == ("synapse", [0, 0.005, None])
    assert parse_values("neuron=LIF,'rate'") == ("neuron", ["LIF", "rate"])
    with pytest.raises(UsageError, match="expected NAME=V1,V2"):
        parse_values("synapse")


def test_sweep_magic_runs_a_function_and_binds_the_results(shell, client, tmp_path, capsys):
    shell.user_ns.update(f=arithmetic, offset=1.0)
    df = run_magic(shell, ["sweep", "f", "--param", "a=0,2", "--param", "b=3",
                           "--data", "offset", "--address", client.scheduler.address,
                           "--results", str(tmp_path / "r"), "--no-plot"])
    assert shell.user_ns["sweep_results"] is df
    assert df["accuracy"].tolist()[1] == 7.0
    assert df["error_type"].tolist()[0] == "ZeroDivisionError"
    assert "sweep_results: 2 points, 1 failed" in capsys.readouterr().out


def test_sweep_magic_passes_max_points(shell, client):
    from nbsnn.sweep.grid import SweepSpaceError

    shell.user_ns.update(f=arithmetic)
    argv = ["sweep", "f", "--param", "a=1,2,3", "--param", "b=3", "--address",
            client.scheduler.address, "--no-plot"]
    with pytest.raises(SweepSpaceError, match="more than max_points=2"):
        run_magic(shell, [*argv, "--max-points", "2"])
    assert len(run_magic(shell, [*argv, "--max-points", "none"])) == 3


def test_sweep_magic_usage_errors(shell):
    shell.user_ns.update(f=arithmetic, n=3)
    with pytest.raises(UsageError, match="no variable named 'g'"):
        run_magic(shell, ["g", "--param", "a=1"])
    with pytest.raises(UsageError, match="no parameters to sweep"):
        run_magic(shell, ["f"])
    with pytest.raises(UsageError, match="are for Keras models"):
        run_magic(shell, ["f", "--synapse", "0.01"])
    with pytest.raises(UsageError, match="neither a Keras model nor a function") as info:
        run_magic(shell, ["n", "--param", "a=1"])
    assert "\n\n%snn sweep TARGET [--data NAME" in str(info.value)
