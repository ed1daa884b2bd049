"""The nbgrader pipeline end to end: the student version nbgrader generates, autograding of
the solutions (full marks) and of the untouched student version (zero, failing only as "not
done yet"), and the static site rendered from the graded solutions."""

import json
import subprocess
import sys

import pytest

from nbsnn.course import grading
from nbsnn.course.site import build_site, execute
from nbsnn.exceptions import GradingError

pytestmark = pytest.mark.slow
LABS = ["01_single_neuron", "02_populations_and_tuning", "03_synapses_and_filtering",
        "04_snn_language", "05_nef_seed_networks", "06_dynamics", "07_learning_stdp_digits",
        "08_reservoir_and_reward_stdp", "09_keras_to_snn", "10_tuning_sweeps",
        "11_spinnaker_and_nest", "13_nir_snntorch"]
#: Notebooks with live views: their pages carry the views' last frame (`nbsnn.dashboard.snapshot`).
LIVE = ["03_synapses_and_filtering", "07_learning_stdp_digits", "12_live_widget_kit",
        "13_nir_snntorch"]


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = tmp_path_factory.mktemp("course")
    release = grading.generate_student(course)
    grading.autograde(course, {"solution": grading.NOTEBOOKS, "stub": release})
    return course


def cells(path):
    return json.loads(path.read_text())["cells"]


def test_course_notebooks_are_the_labs():
    assert [path.stem for path in grading.course_notebooks()] == LABS


def test_solutions_get_full_marks(course):
    scores = grading.scores(course)["solution"]
    assert sorted(scores) == LABS
    for name, (score, top) in scores.items():
        assert top >= 1 and score == top, name


def test_student_version_has_stubs_not_solutions(course):
    for source in grading.course_notebooks():
        student = course / "release" / grading.ASSIGNMENT / source.name
        text = "".join("".join(cell["source"]) for cell in cells(student))
        assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text
        solutions = [cell for cell in cells(source)
                     if cell["metadata"].get("nbgrader", {}).get("solution")]
        code = "".join("".join(cell["source"]) for cell in cells(student)
                       if cell["cell_type"] == "code")
        assert code.count("raise NotImplementedError()") == len(solutions) >= 1
        # a solution line may occur where the lab shows it anyway (lab 4's walk-through has
        # lines of the channel its exercise asks for), nowhere else
        shown = "".join("".join(cell["source"]) for cell in cells(source)
                        if cell not in solutions)
        for cell in solutions:  # the solution's body is gone, its signature kept
            body = "".join(cell["source"]).split("### BEGIN SOLUTION")[1]
            for line in body.split("### END SOLUTION")[0].strip().splitlines():
                assert line.strip() not in text or line.strip() in shown, (source.name, line)


def test_student_version_fails_only_as_not_done(course):
    scores = grading.scores(course)["stub"]
    assert all(score == 0 for score, _ in scores.values()), scores
    for name in LABS:
        graded = course / "autograded" / "stub" / grading.ASSIGNMENT / f"{name}.ipynb"
        checked = 0
        for cell in cells(graded):
            errors = [out for out in cell.get("outputs", []) if out["output_type"] == "error"]
            if "raises-exception" in cell["metadata"].get("tags", []):
                continue  # a cell that fails on purpose (as under nbval)
            for error in errors:  # a check's "not done yet", or a later use of the stub
                assert error["ename"] in {"ExerciseFailed", "NotImplementedError"}, error
            if cell["metadata"].get("nbgrader", {}).get("grade"):
                assert [e["ename"] for e in errors] == ["ExerciseFailed"], name
                assert "not done yet" in errors[0]["evalue"]
                checked += 1
        assert checked >= 1, name


@pytest.fixture(scope="module")
def site(course, tmp_path_factory):
    graded = sorted((course / "autograded" / "solution" / grading.ASSIGNMENT).glob("*.ipynb"))
    # one walk-through (no exercises), run as `python -m nbsnn.course site` runs them all
    walkthrough = execute(grading.NOTEBOOKS / "12_live_widget_kit.ipynb",
                          tmp_path_factory.mktemp("walkthroughs"))
    return build_site(graded + [walkthrough], tmp_path_factory.mktemp("site") / "site")


def test_site_from_graded_solutions(site):
    page = site.read_text()
    for name in LABS + ["12_live_widget_kit"]:
        assert f'href="{name}.html"' in page
        html = (site.parent / f"{name}.html").read_text()
        assert "data:image/png;base64" in html or "embed_items" in html, name  # plots, no kernel
        assert "Traceback" not in html, name
        assert "passed." in html or name not in LABS, name
    assert "1. A single neuron" in page
    for name in LIVE:  # the live views' last frame, as embedded bokeh
        html = (site.parent / f"{name}.html").read_text()
        assert html.count('class="nbsnn-snapshot"') >= 1 and "data-root-id" in html, name
        assert "Last frame at t = " in html, name


# Canvases drawn inside the snapshots (bokeh draws in shadow roots).
_SNAPSHOT_CANVASES = """() => {
  let n = 0;
  const walk = (root) => root.querySelectorAll("*").forEach((el) => {
    if (el.tagName === "CANVAS" && el.width > 0) n++;
    if (el.shadowRoot) walk(el.shadowRoot);
  });
  document.querySelectorAll(".nbsnn-snapshot").forEach(walk);
  return n;
}"""


def test_site_draws_snapshots_offline(site, browser):
    """The page of a lab with live views draws their last frame from the file alone (BokehJS
    inline in the page, no kernel, no network)."""
    page = browser.new_page()
    page.route("http*://**", lambda route: route.abort())  # offline
    try:
        page.goto((site.parent / "07_learning_stdp_digits.html").as_uri(), wait_until="load",
                  timeout=120_000)
        page.wait_for_function(f"({_SNAPSHOT_CANVASES})() >= 4", timeout=60_000)
    finally:
        page.close()


def test_student_command(tmp_path):
    out = tmp_path / "student"
    subprocess.run([sys.executable, "-m", "nbsnn.course", "student", str(out)], check=True,
                   capture_output=True)
    assert sorted(path.stem for path in out.glob("*.ipynb")) == LABS


def test_nbgrader_failure_raises_with_its_log(tmp_path):
    with pytest.raises(GradingError, match="autograde missing failed") as info:
        grading.nbgrader(tmp_path, "autograde", "missing")
    assert "nbgrader" in str(info.value).lower() or "Autograde" in str(info.value)


def test_cli_without_labs_says_so(tmp_path):
    result = subprocess.run([sys.executable, "-m", "nbsnn.course", "student", str(tmp_path),
                             "--notebooks", str(tmp_path)], check=False, capture_output=True,
                            text=True)
    assert result.returncode == 2
    assert "no notebooks with nbgrader cells" in result.stderr
