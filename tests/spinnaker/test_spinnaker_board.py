"""Private configuration and the unreachable-board error."""

import configparser
import os
import time

import nengo
import pytest

from nbsnn.spinnaker import BoardUnreachableError, push
from nbsnn.spinnaker.board import write_config

# .invalid never resolves (RFC 2606), so no packet leaves the machine
BAD_HOST = "nonexistent-board.invalid"


def test_private_config(tmp_path):
    path = write_config(str(tmp_path), virtual=True, report_dir=str(tmp_path / "r"))
    cfg = configparser.ConfigParser()
    cfg.read(path)
    assert cfg["Machine"]["virtual_board"] == "True"
    assert cfg["Reports"]["default_report_file_path"] == str(tmp_path / "r")
    path = write_config(str(tmp_path), host="spinn-4.example")
    cfg = configparser.ConfigParser()
    cfg.read(path)
    assert cfg["Machine"]["machine_name"] == "spinn-4.example"
    with pytest.raises(ValueError):
        write_config(str(tmp_path))


def test_unreachable_board_fails_fast_and_clearly():
    with nengo.Network(seed=0) as net:
        nengo.Ensemble(5, 1)
    start = time.perf_counter()
    with pytest.raises(BoardUnreachableError, match=f"board unreachable at {BAD_HOST}"):
        push(net, host=BAD_HOST, duration=0.05)
    assert time.perf_counter() - start < 5.0
    assert issubclass(BoardUnreachableError, ConnectionError)


def test_push_needs_a_host_or_virtual():
    with nengo.Network() as net:
        nengo.Ensemble(5, 1)
    with pytest.raises(ValueError, match="virtual=True"):
        push(net)


def test_users_own_config_is_set_aside(tmp_path, monkeypatch):
    # a user file that would send the toolchain to a board that does not exist
    (tmp_path / ".spynnaker.cfg").write_text(f"[Machine]\nmachine_name = {BAD_HOST}\nversion = 5\n")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    with nengo.Network(seed=0) as net:
        nengo.Ensemble(5, 1)
    result = push(net, virtual=True, duration=0.01)
    assert result.mapping.neurons_per_core
    assert os.environ["HOME"] == str(tmp_path)
    assert "XDG_CONFIG_HOME" not in os.environ
