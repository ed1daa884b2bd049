"""The course's nbgrader pipeline: student version and autograding, in a course folder.

The source notebooks in ``notebooks/`` are nbgrader *source* notebooks: solution cells
(``### BEGIN SOLUTION`` / ``### END SOLUTION``, nbgrader metadata ``solution: true``) and
locked, graded check cells. nbgrader itself makes the student version (``generate_assignment``)
and grades submissions (``autograde``); this module only lays out the course folder nbgrader
expects and reads the scores back from its gradebook.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from ..exceptions import GradingError

__all__ = [
    "ASSIGNMENT",
    "NOTEBOOKS",
    "autograde",
    "course_notebooks",
    "generate_student",
    "nbgrader",
    "scores",
]

ASSIGNMENT = "labs"
NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
#: Seconds a single cell may run under nbgrader (its default of 30 s is too short on 2 cores).
CELL_TIMEOUT = 600


def course_notebooks(folder: Path = NOTEBOOKS) -> list[Path]:
    """The notebooks in ``folder`` that carry nbgrader cells (the course's labs)."""
    found = []
    for path in sorted(Path(folder).glob("*.ipynb")):
        cells = json.loads(path.read_text())["cells"]
        if any("nbgrader" in cell.get("metadata", {}) for cell in cells):
            found.append(path)
    return found


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    """Run ``nbgrader ARGS`` on the course folder ``course``; a failure raises
    `~nbsnn.exceptions.GradingError` with nbgrader's log."""
    command = [
        sys.executable, "-m", "nbgrader", *args,
        f"--CourseDirectory.root={course}",
        f"--Execute.timeout={CELL_TIMEOUT}",
    ]
    # nbgrader runs the `alembic` script of its own environment: put that on PATH too.
    env = dict(os.environ)
    for name, first in [("PATH", Path(sys.executable).parent), ("PYTHONPATH", NOTEBOOKS.parent)]:
        env[name] = os.pathsep.join(p for p in [str(first), env.get(name, "")] if p)
    # nbgrader scores a check 0 if its cell writes to stderr; Nengo's decoder cache warns
    # there when another process holds its lock, which says nothing about the answer
    env["PYTHONWARNINGS"] = ",".join(
        w for w in [env.get("PYTHONWARNINGS", ""), "ignore:Decoder cache:UserWarning"] if w)
    result = subprocess.run(command, check=False, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise GradingError(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def generate_student(course: Path, notebooks: list[Path] | None = None) -> Path:
    """Copy the source notebooks into ``course/source/labs`` and let nbgrader generate the
    student version; returns its folder (``course/release/labs``)."""
    course = Path(course)
    source = course / "source" / ASSIGNMENT
    source.mkdir(parents=True, exist_ok=True)
    for path in notebooks or course_notebooks():
        shutil.copy(path, source / path.name)
    nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    return course / "release" / ASSIGNMENT


def autograde(course: Path, submissions: dict[str, Path]) -> Path:
    """Submit each ``{student: folder of notebooks}`` and autograde them all (nbgrader runs
    every notebook, restoring the locked check cells from the gradebook first); returns the
    folder of executed, graded notebooks (``course/autograded``). Only the assignment's
    notebooks (those in ``course/source/labs``) are taken from each folder."""
    course = Path(course)
    names = [path.name for path in (course / "source" / ASSIGNMENT).glob("*.ipynb")]
    for student, folder in submissions.items():
        target = course / "submitted" / student / ASSIGNMENT
        target.mkdir(parents=True, exist_ok=True)
        for name in names:
            shutil.copy(Path(folder) / name, target / name)
    nbgrader(course, "autograde", ASSIGNMENT, "--force", "--create")
    return course / "autograded"


def scores(course: Path) -> dict[str, dict[str, tuple[float, float]]]:
    """``{student: {notebook: (score, max_score)}}`` from the course's gradebook."""
    from nbgrader.api import Gradebook

    result: dict[str, dict[str, tuple[float, float]]] = {}
    with Gradebook(f"sqlite:///{Path(course) / 'gradebook.db'}") as gradebook:
        for student in gradebook.students:
            submission = gradebook.find_submission(ASSIGNMENT, student.id)
            result[student.id] = {
                nb.name: (nb.score, nb.max_score) for nb in submission.notebooks
            }
    return result
