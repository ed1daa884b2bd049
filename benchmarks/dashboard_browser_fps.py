"""Frames per second that headless Chromium actually draws for five live views.

Usage: ``python benchmarks/dashboard_browser_fps.py [ensembles] [neurons each] [seconds] [speed] [fps]``
(default 10 × 1,000 LIF, 10 s, speed 1 = real time; 0 = as fast as possible; fps: the
session's target frame rate, default `LiveSession`'s).
``NBSNN_FPS_VIEWS=value,rates`` chooses other views. Starts a private JupyterLab on a free port,
opens a notebook in Debian's Chromium (Playwright) that makes a `LiveSession`
of a chain of ensembles with five views of the last one (value, raster of 40
neurons, voltage of 3, rate histogram, rate map), presses Play and then counts,
in the page, on every animation frame, whether any view's canvas shows a new
image (a few pixel rows of every plot canvas, read with ``getImageData``).
Prints drawn frames/s, the frames the kernel sent per second, and the
real-time factor. Needs ``apt-get install -y chromium`` and ``pip install playwright``.
"""

import collections
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import nbformat

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]

CELL = """\
import nengo
import ipywidgets as w
from nbsnn.dashboard import LiveSession

with nengo.Network(seed=0) as net:
    prev = nengo.Node(0.5, label="stim")
    for i in range({n_ensembles}):
        ens = nengo.Ensemble({n_neurons}, 1, label=f"e{{i}}")
        nengo.Connection(prev, ens)
        prev = ens
session = LiveSession(net, speed={speed}{fps})
views = [session.view(kind, ens) for kind in {views!r}]
session.step(10)
w.VBox([session.view("toolbar"), w.GridBox(views, layout={{"grid_template_columns": "repeat(2, max-content)"}})])
"""

# Counts animation frames on which any view canvas changed, for `seconds`.
COUNT_JS = """\
async (seconds) => {
  const canvases = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll("*")) {
      if (el.tagName === "CANVAS" && el.width > 50 && el.closest && true) canvases.push(el);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  for (const view of document.querySelectorAll(".nbsnn-view")) walk(view);
  const signature = () => canvases.map((c) => {
    const ctx = c.getContext("2d");
    let h = 0;
    for (const f of [0.3, 0.5, 0.7]) {
      const row = ctx.getImageData(0, Math.floor(c.height * f), c.width, 1).data;
      for (let i = 0; i < row.length; i += 4) h = (h * 31 + row[i] + 7 * row[i + 1]) | 0;
    }
    return h;
  }).join(",");
  let last = signature(), drawn = 0, ticks = 0;
  const start = performance.now();
  await new Promise((resolve) => {
    const tick = () => {
      ticks += 1;
      const now = signature();
      if (now !== last) drawn += 1;
      last = now;
      if (performance.now() - start < seconds * 1000) requestAnimationFrame(tick);
      else resolve();
    };
    requestAnimationFrame(tick);
  });
  return {drawn, ticks, seconds: (performance.now() - start) / 1000, canvases: canvases.length};
}
"""

KERNEL_EXEC_JS = """\
async (code) => {
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  let text = "";
  const future = kernel.requestExecute({code});
  future.onIOPub = (msg) => { if (msg.header.msg_type === "stream") text += msg.content.text; };
  await future.done;
  return text;
}
"""


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


VIEWS = ("value", "raster", "voltage", "rates", "rate_map")


def _print_sent(payloads, top=10):
    """Print what the page sent to the kernel: message type and the bokeh attribute (or report)."""
    kinds = collections.Counter()
    for payload in payloads:
        text = payload if isinstance(payload, str) else payload.decode("latin-1")
        what = re.findall(r'"msg_type": ?"(\w+)"', text)[:1]
        what += [" ".join(pair) for pair in re.findall(r'"(attr|drawn)": ?"?([a-z_]*)', text)[:1]]
        kinds[" ".join(what)] += 1
    print("messages from the page:", kinds.most_common(top))


def _print_trace(trace, seconds, top=20):
    """Print the main thread's time by trace event (devtools timeline), in ms per second."""
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    names = {(e["pid"], e["tid"]): e["args"]["name"] for e in events if e.get("name") == "thread_name"}
    main = {key for key, name in names.items() if name == "CrRendererMain"}
    totals = collections.Counter()
    for e in events:
        if (e.get("pid"), e.get("tid")) in main and e.get("ph") == "X" and "dur" in e:
            totals[e["name"]] += e["dur"]
    print(f"main thread trace, {seconds:.1f} s: ms per second of wall time (nested events counted in each)")
    for name, micros in totals.most_common(top):
        print(f"  {micros / 1000 / seconds:7.1f}  {name}")


def _start_profile(page):
    """Start a CPU profile of the page's main thread (Chrome DevTools protocol)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Profiler.enable")
    cdp.send("Profiler.setSamplingInterval", {"interval": 500})
    cdp.send("Profiler.start")
    return cdp


def _print_profile(profile, seconds, top=25):
    """Print where the page's main thread spent its time: by script, then by function (self time)."""
    deltas = dict(zip(profile["samples"], [0] * len(profile["samples"])))
    for node, delta in zip(profile["samples"], profile["timeDeltas"]):
        deltas[node] += delta
    nodes = {n["id"]: n["callFrame"] for n in profile["nodes"]}
    by_script, by_function = collections.Counter(), collections.Counter()
    for node, micros in deltas.items():
        frame = nodes[node]
        script = frame["url"].rsplit("/", 1)[-1][:40] or "(" + (frame["functionName"] or "native") + ")"
        by_script[script] += micros
        by_function[f"{frame['functionName'] or '(anonymous)'} {script}:{frame['lineNumber']}"] += micros
    total = sum(deltas.values())
    print(f"main thread profile, {seconds:.1f} s: ms per second of wall time (self time)")
    for name, micros in by_script.most_common(12):
        print(f"  {micros / 1000 / seconds:7.1f}  {name}")
    for name, micros in by_function.most_common(top):
        print(f"  {micros / 1000 / seconds:7.1f}  {name}")
    print(f"  {total / 1000 / seconds:7.1f}  (total sampled)")
    parents = {c: n["id"] for n in profile["nodes"] for c in n.get("children", ())}
    stacks = collections.Counter()
    for node, micros in deltas.items():
        chain = []
        while node in nodes and len(chain) < 6:
            frame = nodes[node]
            chain.append(f"{frame['functionName'] or '?'}:{frame['lineNumber']}")
            node = parents.get(node)
        stacks[" < ".join(chain)] += micros
    for name, micros in stacks.most_common(top):
        print(f"  {micros / 1000 / seconds:7.1f}  {name}")


def main(n_ensembles=10, n_neurons=1000, seconds=10.0, speed=1.0, fps=None):
    from playwright.sync_api import sync_playwright

    root = Path(tempfile.mkdtemp(prefix="nbsnn-fps-"))
    nb = nbformat.v4.new_notebook()
    views = tuple(os.environ.get("NBSNN_FPS_VIEWS", ",".join(VIEWS)).split(","))
    cell = CELL.format(n_ensembles=int(n_ensembles), n_neurons=int(n_neurons), views=views,
                       speed=float(speed) if speed else None, fps=f", fps={float(fps)}" if fps else "")
    nb.cells = [nbformat.v4.new_code_cell(cell)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, root / "fps.ipynb")
    port = _free_port()
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(root / ".s"), JUPYTERLAB_WORKSPACES_DIR=str(root / ".s"),
               BOKEH_RESOURCES="inline")
    built = Path(__file__).resolve().parents[1] / "nbsnn" / "labextension"
    if (built / "package.json").is_file():  # this checkout's build of the extension, before any installed copy
        (root / ".s" / "labextensions").mkdir(parents=True)
        (root / ".s" / "labextensions" / "nbsnn").symlink_to(built, target_is_directory=True)
        env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(root / ".s"), env.get("JUPYTER_PATH")) if p)
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}",
         "--IdentityProvider.token=", "--ServerApp.password=", f"--ServerApp.root_dir={root}",
         "--LabApp.expose_app_in_browser=True", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{url}/api/status", timeout=2).close()
                break
            except OSError:
                time.sleep(0.3)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1300, "height": 1400})
            sockets = []
            page.on("websocket", lambda ws: sockets.append(ws))
            page.goto(f"{url}/lab/tree/fps.ipynb?reset")
            page.wait_for_function(
                "() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
                " && window.jupyterapp.shell.currentWidget.sessionContext"
                " && window.jupyterapp.shell.currentWidget.sessionContext.session"
                " && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel",
                timeout=60_000,
            )
            page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
            play = page.locator(".nbsnn-view button", has_text="Play")
            play.wait_for(timeout=300_000)
            page.locator(".nbsnn-view canvas").nth(len(views) - 1).wait_for(timeout=60_000)
            play.click()
            time.sleep(3.0)  # warm up
            frames = {"received": 0, "sent": 0}
            sent_log = []
            for ws in sockets:
                ws.on("framereceived", lambda _: frames.__setitem__("received", frames["received"] + 1))
                ws.on("framesent", lambda payload: (frames.__setitem__("sent", frames["sent"] + 1), sent_log.append(payload)))
            profiler = _start_profile(page) if os.environ.get("NBSNN_FPS_PROFILE") == "1" else None
            if os.environ.get("NBSNN_FPS_PROFILE") == "trace":
                browser.start_tracing(page=page, categories=["devtools.timeline", "disabled-by-default-devtools.timeline"])
            before = json.loads(page.evaluate(KERNEL_EXEC_JS, "import json; print(json.dumps([session.frames, session.time]))"))
            counted = page.evaluate(COUNT_JS, float(seconds))
            if os.environ.get("NBSNN_FPS_PROFILE"):
                _print_sent(sent_log)
            if os.environ.get("NBSNN_FPS_PROFILE") == "trace":
                _print_trace(json.loads(browser.stop_tracing()), counted["seconds"])
            if profiler is not None:
                _print_profile(profiler.send("Profiler.stop")["profile"], counted["seconds"])
            after = json.loads(page.evaluate(KERNEL_EXEC_JS, "import json; print(json.dumps([session.frames, session.time]))"))
            held = page.evaluate(
                KERNEL_EXEC_JS,
                "print(session.publisher.frames_held, 'channel' if session.publisher.channel else 'patches');"
                " session.pause()",
            )
            browser.close()
        wall = counted["seconds"]
        held, mode = held.split()
        print(f"{int(n_ensembles) * int(n_neurons):,} LIF, views {','.join(views)}, speed {speed}, Chromium: "
              f"{counted['drawn'] / wall:.1f} frames/s drawn ({counted['ticks'] / wall:.0f} animation frames/s, "
              f"{counted['canvases']} canvases); kernel sent {(after[0] - before[0]) / wall:.1f} frames/s at "
              f"{(after[1] - before[1]) / wall:.2f}x real time; {held} frames held back in all ({mode}); "
              f"websocket messages/s: {frames['received'] / wall:.0f} to the page, {frames['sent'] / wall:.0f} back")
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main(*(float(a) for a in sys.argv[1:]))
