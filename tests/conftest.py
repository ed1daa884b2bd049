"""Shared fixtures: both simulators side by side, an IPython shell, and a headless
JupyterLab server with Debian's Chromium for the browser tests."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nengo
import numpy as np
import pytest

import nbsnn

CHROMIUM = os.environ.get("NBSNN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]


def run_both(net, duration=0.2, dt=0.001, seed=0, **kwargs):
    """Run ``net`` on both simulators; returns ``(reference, nbsnn)`` simulators."""
    with nengo.Simulator(net, dt=dt, seed=seed, progress_bar=False, **kwargs) as ref:
        ref.run(duration)
    with nbsnn.Simulator(net, dt=dt, seed=seed, progress_bar=False, **kwargs) as sim:
        sim.run(duration)
    return ref, sim


def assert_same_probes(ref, sim, rtol=1e-7, atol=1e-9):
    """Every probe of the model holds the same data in both simulators."""
    for probe in ref.model.probes:
        expected, actual = ref.data[probe], sim.data[probe]
        assert actual.shape == expected.shape, probe
        np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol, err_msg=str(probe))


@pytest.fixture(scope="session")
def ipython():
    """IPython's global test shell, shared by every test that needs a shell
    (IPython allows one shell instance per process)."""
    from IPython.testing import globalipapp

    globalipapp.start_ipython()
    return globalipapp.get_ipython()


@pytest.fixture
def compare():
    """``compare(net, duration, **kw)`` asserts both backends agree; returns them."""

    def compare(net, duration=0.2, compiled=True, **kwargs):
        ref, sim = run_both(net, duration, **kwargs)
        assert_same_probes(ref, sim)
        if compiled:
            assert sim.python_ops == [], sim.python_ops
        return ref, sim

    return compare


def get_json(url):
    """GET ``url`` and decode its JSON body."""
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read())


class JupyterServer:
    """A running JupyterLab server: its base ``url`` and ``root`` folder."""

    def __init__(self, url, root):
        self.url, self.root = url, root

    def kernels(self):
        """The running kernels (from the server's REST API)."""
        return get_json(f"{self.url}/api/kernels")

    def shutdown_kernels(self):
        for kernel in self.kernels():
            request = urllib.request.Request(
                f"{self.url}/api/kernels/{kernel['id']}", method="DELETE"
            )
            urllib.request.urlopen(request, timeout=10).close()


@pytest.fixture(scope="session")
def chromium_path():
    """Debian's Chromium; skipped only outside CI when it is not installed."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)")
    return CHROMIUM


@pytest.fixture(scope="module")
def browser(chromium_path):
    """A headless Chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def checkout_labextension_path(folder, jupyter_path=None):
    """A JUPYTER_PATH under which JupyterLab finds this checkout's own build of the
    nbsnn extension (``nbsnn/labextension``, if built) before any installed copy."""
    built = Path(nbsnn.__file__).resolve().parent / "labextension"
    if not (built / "package.json").is_file():
        return jupyter_path or ""
    (Path(folder) / "labextensions").mkdir(parents=True, exist_ok=True)
    link = Path(folder) / "labextensions" / "nbsnn"
    if not link.exists():
        link.symlink_to(built, target_is_directory=True)
    return os.pathsep.join(p for p in (str(folder), jupyter_path) if p)


@pytest.fixture(scope="module")
def jupyter_server(tmp_path_factory, chromium_path):
    """A JupyterLab server of the test's own on a free port, with a temporary root
    folder and settings; it also serves Notebook 7's pages when installed."""
    root = tmp_path_factory.mktemp("lab-root")
    settings = tmp_path_factory.mktemp("lab-settings")
    port = _free_port()
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(settings),
               JUPYTERLAB_WORKSPACES_DIR=str(settings), BOKEH_RESOURCES="inline")
    env["JUPYTER_PATH"] = checkout_labextension_path(settings, env.get("JUPYTER_PATH"))
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
        "--ip=127.0.0.1", f"--port={port}", "--IdentityProvider.token=",
        "--ServerApp.password=", "--ServerApp.disable_check_xsrf=True",
        f"--ServerApp.root_dir={root}", "--LabApp.expose_app_in_browser=True",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--JupyterNotebookApp.expose_app_in_browser=True",
    ]
    log_path = root.parent / f"{root.name}.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    get_json(f"{url}/api/status")
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(
                            f"JupyterLab did not start; log:\n{log_path.read_text()}"
                        ) from None
                    time.sleep(0.3)
            yield JupyterServer(url, root)
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
