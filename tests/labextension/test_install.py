"""The prebuilt JupyterLab extension is installed with nbsnn and JupyterLab loads it."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from packaging.version import Version

import nbsnn

SOURCE = Path(__file__).resolve().parents[2] / "labextension"


def _labextension_list() -> str:
    """The output of ``jupyter labextension list`` for this Python environment."""
    jupyter = shutil.which("jupyter", path=str(Path(sys.executable).parent)) or "jupyter"
    result = subprocess.run([jupyter, "labextension", "list"], capture_output=True,
                            text=True, check=True, env=dict(os.environ, NO_COLOR="1"))
    return result.stdout + result.stderr


def _installed_dirs() -> list[Path]:
    from jupyter_core.paths import jupyter_path

    return [Path(p) / "nbsnn" for p in jupyter_path("labextensions")
            if (Path(p) / "nbsnn" / "package.json").exists()]


def test_jupyterlab_lists_the_extension_enabled():
    listing = _labextension_list()
    line = next((row for row in listing.splitlines() if re.match(r"\s*nbsnn v", row)), None)
    assert line is not None, f"nbsnn is not among the lab extensions:\n{listing}"
    assert "enabled" in line and "OK" in line, line
    assert "(python, nbsnn)" in line, line


def test_installed_extension_is_a_complete_prebuilt_bundle():
    dirs = _installed_dirs()
    assert dirs, f"no labextensions/nbsnn under {sys.prefix} or the other Jupyter paths"
    package = json.loads((dirs[0] / "package.json").read_text())
    build = package["jupyterlab"]["_build"]
    # Both entry points are built: the plugins and the MIME renderer.
    assert build["extension"] == "./extension"
    assert build["mimeExtension"] == "./mimeExtension"
    assert (dirs[0] / build["load"]).is_file()
    assert (dirs[0] / "static" / "style.js").is_file()
    install = json.loads((dirs[0] / "install.json").read_text())
    assert install["packageManager"] == "python" and install["packageName"] == "nbsnn"


def test_extension_version_matches_the_python_package():
    npm_version = json.loads((SOURCE / "package.json").read_text())["version"]
    assert Version(npm_version).release == Version(nbsnn.__version__).release, (
        f"labextension/package.json has {npm_version}, nbsnn has {nbsnn.__version__}")
