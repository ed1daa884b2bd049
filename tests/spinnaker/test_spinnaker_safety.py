"""Bad arguments fail at once and clearly; each run's reports are private and its own."""

import os
import stat
import time

import nengo
import pytest

from nbsnn.exceptions import InvalidArgumentError
from nbsnn.spinnaker import export, push
from nbsnn.spinnaker.board import write_config


def _net():
    with nengo.Network(seed=0) as net:
        stim = nengo.Node(0.5)
        ens = nengo.Ensemble(5, 1)
        nengo.Connection(stim, ens)
    return net


def test_pushing_a_network_without_neurons_is_refused_at_once():
    start = time.perf_counter()
    with pytest.raises(InvalidArgumentError, match="has no neurons"):
        push(nengo.Network(), virtual=True, duration=0.01)
    with nengo.Network() as only_nodes:
        nengo.Node(1.0)
    with pytest.raises(InvalidArgumentError, match="has no neurons"):
        push(only_nodes, virtual=True, duration=0.01)
    assert time.perf_counter() - start < 2.0


@pytest.mark.parametrize(("name", "kwargs"), [
    ("duration", {"duration": -1}), ("duration", {"duration": float("nan")}),
    ("dt", {"duration": 0.1, "dt": 0}), ("timestep", {"duration": 0.1, "timestep": -0.1}),
])
def test_non_positive_times_are_refused(name, kwargs):
    with pytest.raises(InvalidArgumentError, match=f"{name} .* must be a finite number > 0"):
        export(_net(), **kwargs)
    with pytest.raises(InvalidArgumentError, match=f"{name} .* must be a finite number > 0"):
        push(_net(), virtual=True, **kwargs)


def test_a_report_folder_it_creates_is_private(tmp_path):
    write_config(str(tmp_path), virtual=True, report_dir=str(tmp_path / "reports"))
    assert stat.S_IMODE(os.stat(tmp_path / "reports").st_mode) == 0o700


def test_each_push_reports_into_its_own_private_folder():
    folders = []
    for _ in range(2):
        result = push(_net(), virtual=True, duration=0.01)
        run_dir = result.mapping.report_dir
        top = run_dir
        while not os.path.basename(top).startswith("nbsnn-spinnaker-reports-"):
            assert top != os.path.dirname(top), run_dir
            top = os.path.dirname(top)
        assert stat.S_IMODE(os.stat(top).st_mode) == 0o700
        folders.append(top)
    assert folders[0] != folders[1]
