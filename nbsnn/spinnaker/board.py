"""Private sPyNNaker configuration, virtual boards and board reachability.

sPyNNaker refuses to start without a user configuration file.  nbsnn writes its
own ``.spynnaker.cfg`` into a temporary folder and points ``XDG_CONFIG_HOME`` at
it for the duration of one session, so users need no file of their own.  The
toolchain's reports land in a new private folder per run (`new_report_dir`), or
in ``report_dir``.
"""

import contextlib
import io
import os
import socket
import tempfile
import textwrap

from nbsnn.exceptions import BoardUnreachableError

__all__ = [
    "BoardUnreachableError",
    "write_config",
    "new_report_dir",
    "check_host",
    "spinnaker_session",
]


def write_config(directory, host=None, virtual=False, version=5, report_dir=None,
                 log_level="warning"):
    """Write a ``.spynnaker.cfg`` for one session and return its path.

    Parameters
    ----------
    directory : str
        Folder to write into (it becomes ``XDG_CONFIG_HOME``).
    host : str, optional
        Host name or IP address of the board (``[Machine] machine_name``).
    virtual : bool
        Use the toolchain's virtual board: map everything, load and run nothing.
    version : int
        Board version (5 for a 48-chip SpiNN-5 board, 3 for a 4-chip SpiNN-3).
    report_dir : str, optional
        Folder under which the toolchain writes ``reports/<timestamp>/``; created
        private (0700) if missing. Defaults to a new `new_report_dir`.
    log_level : str
        The toolchain's logging level (``"info"`` shows every mapping stage).
    """
    if not virtual and not host:
        raise ValueError("give the board's host name, or virtual=True")
    report_dir = report_dir or new_report_dir()
    os.makedirs(report_dir, mode=0o700, exist_ok=True)
    machine = "virtual_board = True" if virtual else f"machine_name = {host}"
    text = textwrap.dedent(
        f"""\
        [Machine]
        {machine}
        version = {int(version)}

        [Reports]
        default_report_file_path = {report_dir}
        write_network_graph = False
        max_reports_kept = 3

        [Logging]
        default = {log_level}
        """
    )
    path = os.path.join(directory, ".spynnaker.cfg")
    with open(path, "w") as f:
        f.write(text)
    return path


def new_report_dir():
    """Create and return a new private (0700) folder, with an unpredictable name under
    the temp dir, for one run's toolchain reports.

    It outlives the session because sPyNNaker writes into it at interpreter exit.
    """
    return tempfile.mkdtemp(prefix="nbsnn-spinnaker-reports-")


def check_host(host, port=17893):
    """Raise `BoardUnreachableError` at once when ``host`` has no address.

    Parameters
    ----------
    host : str
        Host name or IP address.
    port : int
        SpiNNaker's SCAMP UDP port (only used for the address lookup).
    """
    try:
        socket.getaddrinfo(host, port, type=socket.SOCK_DGRAM)
    except (socket.gaierror, UnicodeError) as err:
        raise BoardUnreachableError(host, f"cannot resolve the name ({err})") from err


@contextlib.contextmanager
def spinnaker_session(host=None, virtual=False, timestep=1.0, time_scale_factor=None,
                      version=5, report_dir=None, quiet=True):
    """Set up ``pyNN.spiNNaker`` with a private configuration; yield the module.

    Parameters
    ----------
    host, virtual, version, report_dir
        See `write_config`.
    timestep : float
        Simulation step (ms).
    time_scale_factor : int, optional
        Slow-down of real time on the board; defaults to ``max(1, round(1/timestep))``
        so that 0.1 ms steps get the 10x the toolchain needs.
    quiet : bool
        Hide the toolchain's progress bars and informational log lines.

    Yields
    ------
    module
        ``pyNN.spiNNaker``, set up; ``sim.end()`` is called on exit.

    Raises
    ------
    BoardUnreachableError
        When the host has no address or the toolchain cannot talk to it.
    """
    if not virtual:
        check_host(host)
    if time_scale_factor is None:
        time_scale_factor = max(1, int(round(1.0 / timestep)))
    saved = {key: os.environ.get(key) for key in ("XDG_CONFIG_HOME", "HOME")}
    with tempfile.TemporaryDirectory(prefix="nbsnn-spinnaker-") as tmp:
        config_home = os.path.join(tmp, "config")
        os.makedirs(config_home)
        write_config(config_home, host=host, virtual=virtual, version=version,
                     report_dir=report_dir, log_level="warning" if quiet else "info")
        import pyNN.spiNNaker as sim
        from spinnman.exceptions import SpinnmanIOException, SpinnmanTimeoutException

        # the toolchain reads exactly one user file from XDG_CONFIG_HOME or HOME and
        # refuses two, so a user's ~/.spynnaker.cfg is set aside for the session
        os.environ["XDG_CONFIG_HOME"] = config_home
        os.environ["HOME"] = tmp
        # progress bars write to the sys.stderr current when each bar is made
        hush = contextlib.redirect_stderr(io.StringIO()) if quiet else contextlib.nullcontext()
        try:
            with hush:
                sim.setup(timestep=timestep, time_scale_factor=time_scale_factor)
                try:
                    yield sim
                finally:
                    sim.end()
        except (SpinnmanIOException, SpinnmanTimeoutException) as err:
            if virtual:
                raise
            raise BoardUnreachableError(host, str(err).strip().splitlines()[0]) from err
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
