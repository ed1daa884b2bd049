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
