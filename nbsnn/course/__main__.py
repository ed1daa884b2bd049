"""``python -m nbsnn.course``: make the student version, grade the solutions, build the site."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from . import binder, grading
from .site import build_site, execute


def main(argv: list[str] | None = None) -> int:
    """Run the course pipeline command given by ``argv``; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m nbsnn.course",
        description="The course's nbgrader pipeline (see docs/course.md).")
    commands = parser.add_subparsers(dest="command", required=True)
    student = commands.add_parser(
        "student", help="write the student version (nbgrader generate_assignment) to OUT")
    student.add_argument("out", type=Path)
    site = commands.add_parser(
        "site", help="autograde the labs and run the walk-throughs, then render them to OUT")
    site.add_argument("out", type=Path)
    site.add_argument("--course", type=Path,
                      help="keep the nbgrader course folder here (default: temporary)")
    site.add_argument("--mathjax", metavar="URL",
                      help="MathJax script the pages load (default: nbconvert's CDN; give a "
                           "local copy to read the math offline)")
    for command in (student, site):
        command.add_argument("--notebooks", type=Path, default=grading.NOTEBOOKS,
                             help="folder of the source notebooks (default: %(default)s)")
    commands.add_parser("binder", help="print the README's Binder badge (from pyproject.toml's "
                                       "[project.urls] Repository)")
    args = parser.parse_args(argv)
    if args.command == "binder":
        print(binder.badge())
        return 0
    labs = grading.course_notebooks(args.notebooks)
    if not labs:
        parser.error(f"no notebooks with nbgrader cells in {args.notebooks}")

    with tempfile.TemporaryDirectory(prefix="nbsnn-course-") as tmp:
        course = Path(getattr(args, "course", None) or tmp)
        release = grading.generate_student(course, labs)
        if args.command == "student":
            args.out.mkdir(parents=True, exist_ok=True)
            for path in release.glob("*.ipynb"):
                shutil.copy(path, args.out / path.name)
            print(f"student version: {args.out}")
            return 0
        graded = grading.autograde(course, {"solution": args.notebooks})
        scores = grading.scores(course)["solution"]
        for name, (score, top) in sorted(scores.items()):
            print(f"{name}: {score:g}/{top:g}")
        pages = sorted((graded / "solution" / grading.ASSIGNMENT).glob("*.ipynb"))
        for path in sorted(set(args.notebooks.glob("*.ipynb")) - set(labs)):  # walk-throughs
            print(f"running {path.name}")
            pages.append(execute(path, course / "walkthroughs"))
        index = build_site(pages, args.out, mathjax=args.mathjax)
        print(f"site: {index}")
        return 0 if all(score == top for score, top in scores.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
