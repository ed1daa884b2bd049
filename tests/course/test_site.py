"""`nbsnn.course.site.build_site` on a small executed notebook (fast; the whole course's site
is built in test_grading.py)."""

import nbformat

from nbsnn.course.site import build_site


def notebook(path, title="# 1. A lab\n\nThe rate is $r = 1 / T$."):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(title),
                nbformat.v4.new_markdown_cell("See [the next lab](other.ipynb).")]
    nbformat.write(nb, path)
    return path


def test_pages_index_links_and_mathjax(tmp_path):
    labs = [notebook(tmp_path / "lab.ipynb"), notebook(tmp_path / "other.ipynb", "# 2. Other")]
    index = build_site(labs, tmp_path / "site", mathjax="mathjax/tex-chtml.js")
    page = (tmp_path / "site" / "lab.html").read_text()
    assert '<script src="mathjax/tex-chtml.js' in page and "libs/mathjax" not in page
    assert 'href="other.html"' in page  # links between labs point to their pages
    assert '<a href="lab.html">1. A lab</a>' in index.read_text()
    default = build_site(labs[:1], tmp_path / "cdn")
    assert "libs/mathjax" in (default.parent / "lab.html").read_text()  # nbconvert's CDN


def test_site_command_grades_labs_and_runs_walkthroughs(tmp_path):
    """`python -m nbsnn.course site` end to end on a folder of one lab and one walk-through."""
    import subprocess
    import sys

    folder = tmp_path / "notebooks"
    folder.mkdir()
    lab = nbformat.v4.new_notebook()
    lab.cells = [
        nbformat.v4.new_markdown_cell("# 1. A tiny lab"),
        nbformat.v4.new_code_cell(
            "def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION",
            metadata={"nbgrader": {"grade": False, "grade_id": "ex", "locked": False,
                                   "schema_version": 3, "solution": True, "task": False}}),
        nbformat.v4.new_code_cell(
            "assert double(2) == 4\nprint('passed.')",
            metadata={"nbgrader": {"grade": True, "grade_id": "check", "locked": True,
                                   "points": 1, "schema_version": 3, "solution": False,
                                   "task": False}}),
    ]
    nbformat.write(lab, folder / "01_lab.ipynb")
    walk = nbformat.v4.new_notebook()
    walk.cells = [nbformat.v4.new_markdown_cell("# 2. A walk-through"),
                  nbformat.v4.new_code_cell("print(6 * 7)")]
    nbformat.write(walk, folder / "02_walk.ipynb")
    out = tmp_path / "site"
    result = subprocess.run([sys.executable, "-m", "nbsnn.course", "site", str(out),
                             "--notebooks", str(folder)], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "01_lab: 1/1" in result.stdout and "running 02_walk.ipynb" in result.stdout
    assert "passed." in (out / "01_lab.html").read_text()
    assert "42" in (out / "02_walk.html").read_text()  # executed, with its output
    index = (out / "index.html").read_text()
    assert '<a href="02_walk.html">2. A walk-through</a>' in index
