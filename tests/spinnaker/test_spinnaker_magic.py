"""``%snn push`` through run_magic in a real IPython shell."""

import numpy as np
import pytest
from IPython.core.error import UsageError
from spinnaker_seed_networks import communication_channel

from nbsnn.spinnaker.magic import run_magic


@pytest.fixture(scope="module")
def shell(ipython):
    ipython.user_ns["net"] = communication_channel()
    return ipython


def test_push_nest(shell, capsys):
    outcome = run_magic(shell, ["push", "net", "--nest", "--duration", "0.3"])
    data = outcome.nest[shell.user_ns["net"].out]
    assert data.shape == (300, 1) and np.ptp(data) > 0.5
    assert outcome.spinnaker is None
    assert "NEST" in capsys.readouterr().out
    assert "nest=" in repr(outcome)


def test_usage_errors(shell):
    with pytest.raises(UsageError, match="say where") as info:
        run_magic(shell, "push net")
    assert "  --virtual " in str(info.value)  # followed by the help
    with pytest.raises(UsageError, match="not a nengo.Network"):
        run_magic(shell, "push nothing_here --nest")
    with pytest.raises(UsageError, match="--spinnaker"):
        run_magic(shell, "push net --spinnaker")


def test_push_virtual(shell, capsys):
    outcome = run_magic(shell, "push net --virtual --duration 0.1")
    assert outcome.nest is None
    assert outcome.spinnaker.virtual and outcome.spinnaker.data is None
    assert outcome.spinnaker.mapping.n_cores >= 3
    assert "application cores" in capsys.readouterr().out
