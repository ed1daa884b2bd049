"""Fixtures for the JupyterLab extension tests: a notebook open in the shared headless
JupyterLab server (``jupyter_server`` and ``browser`` in tests/conftest.py), which
loads this checkout's build of the extension."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

#: Where ``npm run build`` in labextension/ writes the bundle of this checkout.
BUILD = Path(__file__).resolve().parents[2] / "nbsnn" / "labextension"

#: The notebook the browser tests open: a %%snn cell (with a quoted label and a
#: statement wrapped inside brackets), a Python cell, and a cell that displays
#: a network summary in the extension's MIME type.
SNN_CELL = (
    "%%snn net\n"
    "stim = input sin(2*pi*t)\n"
    "a = ensemble 50 LIF rates=40..60 label=\"spiking A\"   # spiking\n"
    "stim -> a : [\n"
    "    x[0]**2,\n"
    "] synapse=5ms\n"
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


@pytest.fixture(scope="module")
def checkout_build(tmp_path_factory):
    """Put this checkout's build first on the servers' labextensions path (JUPYTER_PATH),
    so that JupyterLab loads it rather than a copy an install made from another checkout.

    Without a build here (nbsnn installed from a wheel) the installed one is used.
    """
    if not (BUILD / "package.json").exists():
        yield
        return
    data = tmp_path_factory.mktemp("jupyter-path")
    (data / "labextensions").mkdir()
    (data / "labextensions" / "nbsnn").symlink_to(BUILD, target_is_directory=True)
    before = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(data), before]))
    yield
    if before is None:
        del os.environ["JUPYTER_PATH"]
    else:
        os.environ["JUPYTER_PATH"] = before


@pytest.fixture(scope="module")
def jupyter_server(checkout_build, jupyter_server):
    """tests/conftest.py's server, started with `checkout_build` in place."""
    return jupyter_server


@dataclass
class Lab:
    """An open notebook: the Playwright page and the browser's console errors."""

    page: object
    errors: list[str]


@pytest.fixture
def notebook(browser, jupyter_server):
    """``snn.ipynb`` (written afresh) open in JupyterLab with its kernel idle.

    Yields a `Lab`; the page is closed and the kernels shut down afterwards.
    """
    url, root = jupyter_server.url, jupyter_server.root
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
    assert jupyter_server.kernels() == []

