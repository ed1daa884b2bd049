"""The dashboard in a real browser: JupyterLab headless, Debian's Chromium, Playwright.

The tests use their own JupyterLab server (``jupyter_server`` in tests/conftest.py),
open a notebook with a dashboard, press play, move a slider
and check what the plots (BokehJS, in the page) show. A screenshot is saved
to ``artifacts/``. They skip only when Chromium is missing and ``CI`` is unset.
"""

import os
import time
from pathlib import Path

import nbformat
import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
# whether the page gets nbsnn's widget module (this checkout's build; see tests/conftest.py)
LIVE_WIDGETS = ((Path(__file__).resolve().parents[2] / "nbsnn" / "labextension" / "package.json").is_file()
                and os.environ.get("NBSNN_LIVE_WIDGETS", "1") != "0")

NETWORK_CELL = """\
import nengo
from nbsnn.dashboard import Dashboard

with nengo.Network(seed=3) as net:
    stim = nengo.Node([0.0], label="stim")
    ens = nengo.Ensemble(60, 1, label="ens")
    nengo.Connection(stim, ens, synapse=0.005)

dash = Dashboard(net, seed=1, window=1.0, speed=1.0)
dash
"""

# Reads what BokehJS holds for a named source, in whichever document has it.
READ_SOURCE_JS = """\
(name) => {
  const B = window.Bokeh;
  if (!B) return null;
  const docs = [...(B.documents || [])];
  for (const view of Object.values(B.index || {})) docs.push(view.model.document);
  for (const doc of docs) {
    const model = doc.get_model_by_name(name);
    if (model) {
      const data = model.data;
      const out = {};
      const keys = data instanceof Map ? [...data.keys()] : Object.keys(data);
      for (const k of keys) out[k] = Array.from(data instanceof Map ? data.get(k) : data[k]);
      return out;
    }
  }
  return null;
}
"""

# Runs code in the notebook's kernel and returns its stdout.
KERNEL_EXEC_JS = """\
async (code) => {
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel.sessionContext.session.kernel;
  let text = "";
  const future = kernel.requestExecute({code});
  future.onIOPub = (msg) => {
    if (msg.header.msg_type === "stream") text += msg.content.text;
    if (msg.header.msg_type === "error") text += "ERROR " + msg.content.ename + ": " + msg.content.evalue;
  };
  await future.done;
  return text;
}
"""


def _sim_time(page):
    text = page.locator(".nbsnn-time").first.inner_text()
    return float(text.split("=")[1].split("s")[0])


def _wait_for(predicate, timeout=30.0, interval=0.2, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}")


def _wait_for_kernel(page, path):
    """Wait until the notebook at ``path`` is the current widget and has a kernel."""
    page.wait_for_function(
        "(path) => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
        " return w && w.context && w.context.path === path && w.sessionContext"
        " && w.sessionContext.session && w.sessionContext.session.kernel; }",
        arg=path,
        timeout=60_000,
    )


def _notebook_7_installed():
    try:
        import notebook
    except ImportError:
        return False
    return int(notebook.__version__.split(".")[0]) >= 7


# the frontends the tests run in: JupyterLab 4 and Notebook 7 (each page's URL prefix)
FRONTENDS = pytest.mark.parametrize("frontend, path", [("jupyterlab", "lab/tree"), ("notebook7", "notebooks")])


def _write_notebook(root, name, frontend, cell, **metadata):
    """Write a one-cell notebook ``name``; skip Notebook 7 runs where it is not installed (outside CI)."""
    if frontend == "notebook7" and not _notebook_7_installed() and not os.environ.get("CI"):
        pytest.skip("Notebook 7 is not installed (pip install 'notebook>=7')")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(cell)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata.update(metadata)
    nbformat.write(nb, root / name)


@FRONTENDS
def test_play_slider_and_plots(jupyter_server, browser, frontend, path):
    url, root = jupyter_server.url, jupyter_server.root
    _write_notebook(root, f"live_{frontend}.ipynb", frontend, NETWORK_CELL)

    page = browser.new_page(viewport={"width": 1300, "height": 1400})
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(f"{url}/{path}/live_{frontend}.ipynb")
        _wait_for_kernel(page, f"live_{frontend}.ipynb")
        errors.clear()  # only errors from here on concern the dashboard
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        play = page.locator(".nbsnn-dashboard button", has_text="Play")
        play.wait_for(timeout=90_000)
        page.locator(".nbsnn-dashboard canvas").first.wait_for(timeout=30_000)
        assert page.evaluate(READ_SOURCE_JS, "nbsnn-values") is not None, "BokehJS data not found"
        t0 = _sim_time(page)
        assert t0 == 0.0

        play.click()
        _wait_for(lambda: _sim_time(page) > 0.5, what="simulated time to pass 0.5 s")
        before = page.evaluate(READ_SOURCE_JS, "nbsnn-values")
        assert len(before["t"]) > 50
        assert max(abs(v) for v in before["y0"]) == 0.0

        # drag the input slider's handle to 90% of its track
        track = page.locator(".nbsnn-input .noUi-target").first
        handle = page.locator(".nbsnn-input .noUi-handle").first
        box, hbox = track.bounding_box(), handle.bounding_box()
        page.mouse.move(hbox["x"] + hbox["width"] / 2, hbox["y"] + hbox["height"] / 2)
        page.mouse.down()
        page.mouse.move(box["x"] + 0.9 * box["width"], hbox["y"] + hbox["height"] / 2, steps=8)
        page.mouse.up()
        value = float(page.locator(".nbsnn-input .widget-readout").first.inner_text())
        assert 0.6 < value < 0.95
        _wait_for(
            lambda: abs(page.evaluate(READ_SOURCE_JS, "nbsnn-values")["y0"][-1] - value) < 1e-6,
            what="the plotted input to reach the slider value",
        )
        t_moved = _sim_time(page)

        _wait_for(lambda: _sim_time(page) > t_moved + 1.0, what="1 s more of simulated time")
        after = page.evaluate(READ_SOURCE_JS, "nbsnn-values")
        t_after = _sim_time(page)
        assert t_after > t_moved + 1.0
        # the plotted input is the slider value; the decoded value followed it
        recent = [i for i, t in enumerate(after["t"]) if t > after["t"][-1] - 0.3]
        assert len(recent) > 20
        assert all(abs(after["y0"][i] - value) < 1e-6 for i in recent)
        decoded = sum(after["y1"][i] for i in recent) / len(recent)
        assert abs(decoded - value) < 0.2
        # the plot shows a bounded window (rollover), following the end
        assert after["t"][-1] - after["t"][0] <= 1.0 + 1e-9
        raster = page.evaluate(READ_SOURCE_JS, "nbsnn-raster")  # lines of ticks: two ends and a break per spike
        points = [len(line) for line in raster["xs"]]
        assert sum(points) > 300 and all(n % 3 == 0 for n in points)

        # in the kernel, the bokeh source holds exactly one window (no doubling from browser echoes)
        start = time.monotonic()
        out = page.evaluate(
            KERNEL_EXEC_JS,
            "import numpy as np\n"
            "v = dash.values\n"
            "t, kept = np.asarray(v.source.data['t']), v.history()['t']\n"
            "in_window = np.count_nonzero((kept > t[-1] - dash.session.window) & (kept <= t[-1]))\n"
            "print(len(t) == in_window, dash.session.time > 1.5, bool(dash.session.publisher._drawn),"
            " dash.session.publisher.channel is not None)",
        )
        # ... the browser reported the frames it drew, through the frame channel if the
        # extension is built (the server loads this checkout's build; see tests/conftest.py)
        assert out.split() == ["True", "True", "True", str(LIVE_WIDGETS)], out
        # the kernel answered other code promptly while the dashboard was running
        assert time.monotonic() - start < 5.0

        page.locator(".nbsnn-dashboard button", has_text="Pause").click()
        status = page.locator(".nbsnn-status").first
        _wait_for(lambda: "paused" in status.inner_text(), what="the status to say paused")
        paused = _sim_time(page)
        time.sleep(0.6)
        assert _sim_time(page) == paused
        # once paused, the plots show everything simulated (nothing held back)
        final = page.evaluate(READ_SOURCE_JS, "nbsnn-values")
        assert final["t"][-1] == pytest.approx(paused, abs=0.003)

        ARTIFACTS.mkdir(exist_ok=True)
        page.locator(".nbsnn-dashboard").first.screenshot(path=str(ARTIFACTS / f"dashboard_{frontend}.png"))
        assert not errors, errors
    finally:
        page.close()
        jupyter_server.shutdown_kernels()


KIT_CELL = """\
import ipywidgets as w
import nengo
from nbsnn.dashboard import LiveSession

with nengo.Network(seed=3, label="net") as net:
    stim = nengo.Node([0.0], label="stim")
    ens = nengo.Ensemble(60, 1, label="ens")
    nengo.Connection(stim, ens, synapse=0.005)

one = LiveSession(net, seed=1, window=1.0, history=5.0)
two = LiveSession(net, seed=2, window=1.0, history=5.0)
v1 = one.view("value", [stim, ens])
v2 = two.view("value", ens)
box = w.HBox([
    w.VBox([one.view("toolbar"), one.view("slider", stim), v1, one.view("raster", ens)]),
    w.VBox([two.view("toolbar"), v2, two.view("rate_map", ens), g := two.view("graph")]),
])
box
"""

# Page coordinates of the data point (x, y) in the bokeh plot named ``name``.
PLOT_POINT_JS = """\
([name, x, y]) => {
  const search = (view) => {
    if (view.model && view.model.name === name && view.frame) return view;
    for (const child of view.child_views || []) {
      const found = search(child);
      if (found) return found;
    }
    return null;
  };
  for (const root of Object.values(window.Bokeh.index || {})) {
    const plot = search(root);
    if (plot) {
      const rect = plot.canvas_view.el.getBoundingClientRect();
      return [rect.left + plot.frame.x_scale.compute(x), rect.top + plot.frame.y_scale.compute(y)];
    }
  }
  return null;
}
"""

# Reads a source by its bokeh id, in whichever document has it.
READ_SOURCE_ID_JS = READ_SOURCE_JS.replace("get_model_by_name(name)", "get_model_by_id(name)")


def _font(url):
    return url.endswith((".woff", ".woff2", ".ttf"))


def _slider_to(page, root, fraction):
    """Drag the noUi slider handle under ``root`` to ``fraction`` of its track."""
    track = page.locator(f"{root} .noUi-target").first
    handle = page.locator(f"{root} .noUi-handle").first
    box, hbox = track.bounding_box(), handle.bounding_box()
    page.mouse.move(hbox["x"] + hbox["width"] / 2, hbox["y"] + hbox["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + fraction * box["width"], hbox["y"] + hbox["height"] / 2, steps=8)
    page.mouse.up()
    return float(page.locator(f"{root} .widget-readout").first.inner_text().replace("\u2212", "-"))


@FRONTENDS
def test_views_of_two_sessions_compose_play_and_scrub(jupyter_server, browser, frontend, path):
    url, root = jupyter_server.url, jupyter_server.root
    name = f"kit_{frontend}.ipynb"
    # saved with the notebook last time: the graph's views (restored when the graph is made again)
    saved = {"graph net": {"collapsed": [], "views": [["rates", "ens"]]}}
    _write_notebook(root, name, frontend, KIT_CELL, nbsnn=saved)
    restored = ["RatesView"] if LIVE_WIDGETS else []

    page = browser.new_page(viewport={"width": 1400, "height": 1400})
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # (Notebook 7's server answers some of its own font files with 403: not the views' doing)
    page.on("console", lambda msg: msg.type == "error" and not _font(msg.location.get("url", ""))
            and errors.append(msg.text))
    page.on("response", lambda r: r.status >= 400 and not _font(r.url)
            and errors.append(f"{r.status} {r.request.method} {r.url}"))
    try:
        page.goto(f"{url}/{path}/{name}" + ("?reset" if frontend == "jupyterlab" else ""))  # not the last workspace
        _wait_for_kernel(page, name)
        errors.clear()  # only errors from here on concern the views
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        plays = page.locator(".nbsnn-view button", has_text="Play")
        plays.nth(1).wait_for(timeout=90_000)
        page.locator(".nbsnn-view canvas").nth(3).wait_for(timeout=30_000)
        ids = page.evaluate(KERNEL_EXEC_JS, "print(v1.source.id, v2.source.id)").split()
        added = "print([type(v).__name__ for v in g.added])"
        _wait_for(lambda: page.evaluate(KERNEL_EXEC_JS, added).strip() == str(restored),
                  what="the graph to restore the views kept in the notebook")
        times = page.locator(".nbsnn-time")

        def sim_time(i):
            return float(times.nth(i).inner_text().split("=")[1].split("s")[0])

        plays.nth(0).click()
        plays.nth(1).click()
        _wait_for(lambda: sim_time(0) > 0.5 and sim_time(1) > 0.5, what="both sessions to run")
        value = _slider_to(page, ".nbsnn-input", 0.9)
        assert 0.6 < value < 0.95
        _wait_for(
            lambda: abs(page.evaluate(READ_SOURCE_ID_JS, ids[0])["y0"][-1] - value) < 1e-6,
            what="the value view to show the slider value",
        )
        t_moved = sim_time(0)
        _wait_for(lambda: sim_time(0) > t_moved + 0.6, what="0.6 s more")
        one = page.evaluate(READ_SOURCE_ID_JS, ids[0])
        recent = [i for i, t in enumerate(one["t"]) if t > one["t"][-1] - 0.3]
        assert abs(sum(one["y1"][i] for i in recent) / len(recent) - value) < 0.2
        two = page.evaluate(READ_SOURCE_ID_JS, ids[1])
        assert len(two["t"]) > 50 and abs(sum(two["y0"][-50:]) / 50) < 0.2  # its input stayed 0

        page.locator(".nbsnn-view button", has_text="Pause").nth(0).click()
        status = page.locator(".nbsnn-status").nth(0)
        _wait_for(lambda: "paused" in status.inner_text(), what="the first session to pause")
        paused = sim_time(0)
        back = _slider_to(page, ".nbsnn-scrubber", 0.7)  # seconds back from the pause
        scrubbed = paused + back
        assert -1.9 < back < -1.0
        _wait_for(
            lambda: abs(page.evaluate(READ_SOURCE_ID_JS, ids[0])["t"][-1] - scrubbed) < 0.01,
            what="the value view to show the scrubbed moment",
        )
        assert "showing t =" in status.inner_text()
        assert sim_time(1) > 0.5 and "running" in page.locator(".nbsnn-status").nth(1).inner_text()

        # click the ensemble in the second session's network graph, then add its first view (value)
        views_before = page.locator(".nbsnn-view").count()
        page.locator(".nbsnn-graph-add").first.scroll_into_view_if_needed()
        point = page.evaluate(PLOT_POINT_JS, ["nbsnn-graph-figure", 1.0, 0.0])  # "ens" is at (1, 0)
        assert point is not None, "graph plot not found in BokehJS"
        page.mouse.click(*point)
        add = page.locator(".nbsnn-graph-add button, button.nbsnn-graph-add").first
        _wait_for(lambda: add.is_enabled(), what="the graph to offer views of the clicked ensemble")
        add.click()
        _wait_for(lambda: page.locator(".nbsnn-view").count() > views_before, what="the added view")
        out = page.evaluate(KERNEL_EXEC_JS, "print(g.selected.label, [type(v).__name__ for v in g.added])")
        assert out.strip() == f"ens {restored + ['ValueView']}", out

        # click the connection stim→ens (its middle), then add its synapse control
        add.scroll_into_view_if_needed()
        page.mouse.click(*page.evaluate(PLOT_POINT_JS, ["nbsnn-graph-figure", 0.5, 0.0]))
        kinds = page.locator(".nbsnn-graph-kinds select").first
        _wait_for(lambda: kinds.input_value() == "synapse", what="the graph to offer the connection's views")
        add.click()
        _wait_for(lambda: page.locator(".nbsnn-synapse").count() == 1, what="the synapse control")
        out = page.evaluate(KERNEL_EXEC_JS, "print(g.selected, [type(v).__name__ for v in g.added])")
        assert out.strip().endswith(f"{restored + ['ValueView', 'SynapseTau']}"), out
        assert "stim" in out and "ens" in out, out
        if LIVE_WIDGETS:  # the page keeps the graph's state in the notebook's metadata
            kept = page.evaluate(
                "() => window.jupyterapp.shell.currentWidget.context.model.getMetadata('nbsnn')['graph net']"
            )
            assert kept["views"] == [["rates", "ens"], ["value", "ens"], ["synapse", "Connection#0"]], kept

        ARTIFACTS.mkdir(exist_ok=True)
        output = page.locator(".jp-OutputArea-output", has=page.locator(".nbsnn-view")).first
        output.screenshot(path=str(ARTIFACTS / f"kit_{frontend}.png"))
        assert not errors, errors
    finally:
        page.close()
        jupyter_server.shutdown_kernels()


VIEWS_CELL = """\
import nengo
from IPython.display import display
from nbsnn.dashboard import LiveSession

with nengo.Network(seed=3) as net:
    stim = nengo.Node([0.5], label="stim")
    ens = nengo.Ensemble(60, 1, label="ens")
    nengo.Connection(stim, ens, synapse=0.005)

session = LiveSession(net, window=0.5)
v1, v2 = session.view("value", ens), session.view("raster", ens)
display(v1, v2)
"""

# How many outputs of the open notebook carry BokehJS (bokeh's loader), and in which cells.
BOKEHJS_OUTPUTS_JS = """\
() => {
  const cells = window.jupyterapp.shell.currentWidget.content.model.cells;
  const found = [];
  for (let i = 0; i < cells.length; i++) {
    const cell = cells.get(i);
    if (cell.type !== "code") continue;
    for (let j = 0; j < cell.outputs.length; j++) {
      if ("application/vnd.bokehjs_load.v0+json" in cell.outputs.get(j).data) found.push(i);
    }
  }
  return found;
}
"""


@FRONTENDS
def test_bokehjs_once_per_page_and_again_after_a_reload(jupyter_server, browser, frontend, path):
    """Views write BokehJS into one output per page (not one per view shown), and a reloaded
    page whose outputs were cleared gets it again from the next view shown, same kernel."""
    url, root = jupyter_server.url, jupyter_server.root
    name = f"bokehjs_{frontend}.ipynb"
    _write_notebook(root, name, frontend, VIEWS_CELL)
    nb = nbformat.read(root / name, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("display(v1)"))
    nbformat.write(nb, root / name)

    page = browser.new_page(viewport={"width": 1300, "height": 1400})
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(f"{url}/{path}/{name}" + ("?reset" if frontend == "jupyterlab" else ""))
        _wait_for_kernel(page, name)
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.locator(".nbsnn-view canvas").nth(2).wait_for(timeout=90_000)  # 3 views drawn
        assert page.evaluate(BOKEHJS_OUTPUTS_JS) == [0]
        # running that cell again clears its outputs: it writes BokehJS again, in the same cell
        page.evaluate("() => { const nb = window.jupyterapp.shell.currentWidget.content;"
                      " nb.activeCellIndex = 0; return window.jupyterapp.commands.execute('notebook:run-cell'); }")
        page.wait_for_function(
            "() => { const cell = window.jupyterapp.shell.currentWidget.content.widgets[0].model;"
            " const views = Array.from({length: cell.outputs.length}, (_, i) => cell.outputs.get(i))"
            ".filter((o) => 'application/vnd.jupyter.widget-view+json' in o.data);"
            " return cell.executionCount === 3 && views.length === 2; }", timeout=60_000)
        assert page.evaluate(BOKEHJS_OUTPUTS_JS) == [0]

        control = "from ipywidgets import Widget; print(id(Widget._control_comm))"
        before = page.evaluate(KERNEL_EXEC_JS, control)
        # outputs cleared and saved, page reloaded: the kernel lives on, the page has no BokehJS
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
        page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
        page.wait_for_function("() => !window.jupyterapp.shell.currentWidget.context.model.dirty")
        page.goto(f"{url}/{path}/{name}")
        _wait_for_kernel(page, name)
        page.wait_for_function("() => window.jupyterapp.shell.currentWidget.content.widgets.length === 2")
        assert page.evaluate("() => window.Bokeh === undefined")
        errors.clear()
        _wait_for(lambda: page.evaluate(KERNEL_EXEC_JS, control) != before,
                  what="the page's widget manager to open its control comm to the kernel")
        page.evaluate("() => { const nb = window.jupyterapp.shell.currentWidget.content;"
                      " nb.activeCellIndex = 1; return window.jupyterapp.commands.execute('notebook:run-cell'); }")
        page.locator(".nbsnn-view canvas").first.wait_for(timeout=60_000)  # drawn: BokehJS is back
        assert page.evaluate(BOKEHJS_OUTPUTS_JS) == [1]
        assert not errors, errors
    finally:
        page.close()
        jupyter_server.shutdown_kernels()
