"""Binder's files: the pinned requirements resolve against the registry, and postBuild runs."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BINDER = ROOT / "binder"
pytestmark = pytest.mark.slow


def pins():
    lines = (BINDER / "requirements.txt").read_text().splitlines()
    return dict(line.split("==") for line in lines if "==" in line and not line.startswith("#"))


def test_requirements_resolve_with_the_pins(tmp_path):
    report = tmp_path / "report.json"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
         "--report", str(report), "-r", str(BINDER / "requirements.txt")],
        cwd=ROOT, check=True, capture_output=True, text=True)
    resolved = {item["metadata"]["name"].lower(): item["metadata"]["version"]
                for item in json.loads(report.read_text())["install"]}
    assert "nbsnn" in resolved
    for name, version in pins().items():
        assert resolved[name.lower()] == version, name
    assert len(pins()) >= 15


def test_post_build_runs():
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
               PYTHONPATH=str(ROOT))
    result = subprocess.run(["bash", str(BINDER / "postBuild")], cwd=ROOT, env=env,
                            check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (BINDER / "runtime.txt").read_text().strip() == "python-3.11"


def test_readme_badge_is_derived_from_pyproject(tmp_path):
    from nbsnn.course import binder

    readme = (ROOT / "README.md").read_text()
    assert binder.badge() in readme, "README's Binder badge: paste `python -m nbsnn.course binder`"
    assert f"/gh/{binder.repository()}/HEAD?labpath=notebooks%2F01_single_neuron.ipynb" in readme
    printed = subprocess.run([sys.executable, "-m", "nbsnn.course", "binder"], cwd=ROOT,
                             env=dict(os.environ, PYTHONPATH=str(ROOT)), check=True,
                             capture_output=True, text=True).stdout.strip()
    assert printed == binder.badge()
    other = tmp_path / "pyproject.toml"
    other.write_text('[project.urls]\nRepository = "https://github.com/someone/fork/"\n')
    assert binder.repository(other) == "someone/fork"
    other.write_text('[project]\nname = "x"\n')
    with pytest.raises(ValueError, match="names no GitHub repository"):
        binder.repository(other)
