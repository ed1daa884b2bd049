"""The Binder launch link of the course, derived from the repository named in one place.

``pyproject.toml``'s ``[project.urls] Repository`` names the GitHub repository; the README's
badge is `badge()` of it (``python -m nbsnn.course binder`` prints it, and
tests/course/test_binder.py checks that the README agrees). After forking, change that URL and
paste the printed badge into the README.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

__all__ = ["FIRST_LAB", "PYPROJECT", "badge", "launch_url", "repository"]

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"
#: The notebook Binder opens.
FIRST_LAB = "notebooks/01_single_neuron.ipynb"


def repository(pyproject: Path = PYPROJECT) -> str:
    """``owner/name`` of the GitHub repository in ``[project.urls] Repository``."""
    text = Path(pyproject).read_text(encoding="utf-8")
    found = re.search(r'^Repository\s*=\s*"https://github\.com/([^/"]+/[^/"]+?)/?"', text, re.M)
    if found is None:
        raise ValueError(f"{pyproject} names no GitHub repository under [project.urls] "
                         'as Repository = "https://github.com/OWNER/NAME"')
    return found.group(1)


def launch_url(ref: str = "HEAD", labpath: str = FIRST_LAB) -> str:
    """The mybinder.org URL that builds ``binder/`` at ``ref`` and opens ``labpath``."""
    return (f"https://mybinder.org/v2/gh/{repository()}/{ref}"
            f"?labpath={quote(labpath, safe='')}")


def badge(ref: str = "HEAD", labpath: str = FIRST_LAB) -> str:
    """The Markdown of the README's launch badge."""
    return f"[![Binder](https://mybinder.org/badge_logo.svg)]({launch_url(ref, labpath)})"
