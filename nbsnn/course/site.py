"""A static site of the course notebooks with their outputs, readable without a kernel.

nbconvert's HTML exporter (JupyterLab template) renders each executed notebook; an index page
links them in course order. Plots are embedded images, live views' last frames embedded bokeh
(`nbsnn.dashboard.snapshot`, with BokehJS inline), so a page reads offline; only the math needs
MathJax, from nbconvert's CDN unless ``mathjax`` names a local copy. The labs arrive executed
by nbgrader's autograde; `execute` runs the walk-throughs (notebooks without exercises).
Jupyter Book 2 (MyST) was not used: its build runs the Node-based ``mystmd`` tool, which
these machines would have to fetch at build time.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

__all__ = ["build_site", "execute"]

#: Seconds a single cell may run (as under nbgrader: see `nbsnn.course.grading`).
CELL_TIMEOUT = 600


def execute(notebook: Path, out: Path) -> Path:
    """Run ``notebook`` top to bottom in its own folder (nbconvert) and write it with its
    outputs to ``out/<name>``; returns that path. A failing cell raises nbconvert's error."""
    import nbformat
    from nbconvert.preprocessors import ExecutePreprocessor

    notebook, out = Path(notebook), Path(out)
    nb = nbformat.read(notebook, as_version=4)
    ExecutePreprocessor(timeout=CELL_TIMEOUT).preprocess(
        nb, {"metadata": {"path": str(notebook.parent)}})
    out.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, out / notebook.name)
    return out / notebook.name


def _title(notebook: dict, fallback: str) -> str:
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def build_site(notebooks: list[Path], out: Path, mathjax: str | None = None) -> Path:
    """Render ``notebooks`` (already executed) to ``out/<name>.html`` plus ``out/index.html``;
    returns the index page. Links between notebooks (``x.ipynb``) point to their pages.

    The pages load MathJax from ``mathjax`` (a URL or a path relative to the pages), by
    default from nbconvert's CDN; live views' snapshots carry BokehJS in the page itself.
    """
    import nbformat
    from nbconvert import HTMLExporter

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter(template_name="lab")
    if mathjax:
        exporter.mathjax_url = mathjax
    entries = []
    for path in sorted(notebooks, key=lambda p: p.name):
        notebook = nbformat.read(path, as_version=4)
        body, _ = exporter.from_notebook_node(notebook)
        for other in notebooks:  # cross-links between labs
            body = body.replace(f'href="{other.name}"', f'href="{other.stem}.html"')
        (out / f"{path.stem}.html").write_text(body, encoding="utf-8")
        entries.append((path.stem, _title(json.loads(path.read_text()), path.stem)))
    items = "\n".join(
        f'<li><a href="{stem}.html">{html.escape(title)}</a></li>' for stem, title in entries
    )
    index = out / "index.html"
    index.write_text(
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>nbsnn course</title></head>"
        "<body><h1>nbsnn teaching labs</h1>\n<p>Rendered with their outputs (worked "
        "solutions included); run them in Jupyter to do the exercises.</p>\n"
        f"<ol>\n{items}\n</ol></body></html>\n",
        encoding="utf-8",
    )
    return index
