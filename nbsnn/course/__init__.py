"""The teaching labs' helpers: exercise checks (`checks`), the nbgrader pipeline that makes
the student version and autogrades (`grading`), and the static site (`site`).

``python -m nbsnn.course --help`` lists the commands; docs/course.md describes the course.
"""

from . import checks

__all__ = ["checks"]
