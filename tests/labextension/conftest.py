"""Fixtures for the JupyterLab extension tests: a headless JupyterLab server and Chromium."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]

#: The notebook the browser tests open: a %%snn cell, a Python cell, and a cell
#: that displays a network summary in the extension's MIME type.
SNN_CELL = (
    "%%snn net\n"
    "stim = input sin(2*pi*t)\n"
    "a = ensemble 50 LIF rates=40..60   # spiking\n"
    "stim -> a : x**2 synapse=5ms\n"
    "probe a synapse=10ms"
)
PYTHON_CELL = "value = 1  # plain Python"
SUMMARY = {
    "version": 1,
    "label": "channel",
    "populations": [
        {"name": "stim", "kind": "input", "dimensions": 1, "output": "Sine"},
        {"name": "a", "kind": "ensemble", "neurons": 150, "neuron_type": "LIF", "dimensions": 1},
        {"name": "b", "kind": "ensemble", "neurons": 100, "neuron_type": "LIF", "dimensions": 1},
    ],
    "connections": [
        {"pre": "stim", "post": "a"},
        {"pre": "a", "post": "b", "function": "x**2", "synapse": "5ms"},
    ],
    "probes": [{"name": "b_probe", "target": "b", "kind": "value"}],
}
SUMMARY_CELL = (
    "from IPython.display import display\n"
    f"display({{'application/vnd.nbsnn.summary+json': {SUMMARY!r},\n"
    "         'text/html': '<b>html fallback</b>',\n"
    "         'text/plain': 'channel: 2 ensembles'}, raw=True)\n"
    "display({'application/vnd.nbsnn.summary+json': {'label': 3},\n"
    "         'text/plain': 'broken'}, raw=True)"
)


def _notebook(cells: list[str]) -> dict:
    return {
        "cells": [
            {"cell_type": "code", "execution_count": None, "id": f"cell{i}",
             "metadata": {}, "outputs": [], "source": source}
            for i, source in enumerate(cells)
        ],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str):
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read())


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's Chromium; skipped only outside CI when it is not installed."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium chromium-driver")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)")
    return CHROMIUM


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory, chromium_path):
    """A JupyterLab server on a free port, serving a folder with ``snn.ipynb``.

    Yields its base URL and root folder. Kernels are shut down by the tests; the server is
    stopped at the end of the module.
    """
    root = tmp_path_factory.mktemp("lab")
    settings = tmp_path_factory.mktemp("lab-settings")
    port = _free_port()
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(settings),
               JUPYTERLAB_WORKSPACES_DIR=str(settings), BOKEH_RESOURCES="inline")
    log = open(root / "server.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
         "--ip=127.0.0.1", f"--port={port}", "--IdentityProvider.token=",
         "--ServerApp.password=", f"--ServerApp.root_dir={root}",
         "--LabApp.expose_app_in_browser=True",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"JupyterLab exited: {(root / 'server.log').read_text()}")
            try:
                _get(f"{url}/api/status")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        yield url, root
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture(scope="module")
def browser(chromium_path):
    """A headless Chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Lab:
    """An open notebook: the Playwright page and the browser's console errors."""

    page: object
    errors: list[str]


@pytest.fixture
def notebook(browser, lab_server):
    """``snn.ipynb`` (written afresh) open in JupyterLab with its kernel idle.

    Yields a `Lab`; the page is closed and the kernels shut down afterwards.
    """
    url, root = lab_server
    (root / "snn.ipynb").write_text(json.dumps(_notebook([SNN_CELL, PYTHON_CELL, SUMMARY_CELL])))
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{url}/lab/tree/snn.ipynb")
    page.wait_for_function(
        "() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
        " && window.jupyterapp.shell.currentWidget.sessionContext"
        " && window.jupyterapp.shell.currentWidget.sessionContext.session"
        " && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel"
        " && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status === 'idle'",
        timeout=60_000,
    )
    yield Lab(page, errors)
    page.evaluate("() => window.jupyterapp.serviceManager.sessions.shutdownAll()")
    page.close()
    assert _get(f"{url}/api/kernels") == []

