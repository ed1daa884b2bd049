"""How much BokehJS views write into cell outputs, in a real kernel (no browser).

`load_bokehjs` writes the ~4 MB inline BokehJS (twice: one copy per mime type) once per
kernel and page; a page connecting to the kernel (reload, second tab) gets it once more.
Re-running the cell that holds it is checked in the browser (test_browser.py), where the
page names the cell.
"""

import uuid

import pytest
from jupyter_client.manager import start_new_kernel

LOAD_MIME = "application/vnd.bokehjs_load.v0+json"

SETUP = """
import nengo, ipywidgets as w
from IPython.display import display
from nbsnn.dashboard import LiveSession
with nengo.Network(seed=0) as net:
    stim = nengo.Node([0.5])
    a = nengo.Ensemble(40, 1, label="a")
    nengo.Connection(stim, a)
session = LiveSession(net, window=0.5)
"""


@pytest.fixture(scope="module")
def kernel():
    import os

    env = dict(os.environ, BOKEH_RESOURCES="inline")
    km, kc = start_new_kernel(kernel_name="python3", env=env)
    try:
        yield kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def run(kc, code):
    """Execute ``code``; return its outputs' data dicts (errors raise)."""
    outputs = []

    def hook(msg):
        if msg["msg_type"] in ("display_data", "execute_result"):
            outputs.append(msg["content"]["data"])
        elif msg["msg_type"] == "error":
            raise AssertionError("\n".join(msg["content"]["traceback"]))

    reply = kc.execute_interactive(code, output_hook=hook, timeout=300)
    assert reply["content"]["status"] == "ok", reply["content"]
    return outputs


def bokehjs_copies(outputs):
    return sum(1 for data in outputs if LOAD_MIME in data)


def test_bokehjs_written_once_per_kernel_and_page(kernel):
    run(kernel, SETUP)
    # a cell that makes and shows two views: BokehJS once (it wrote it three times, 24 MB)
    first = run(kernel, "v1 = session.view('value', a)\nv2 = session.view('raster', a)\ndisplay(v1, v2)")
    assert bokehjs_copies(first) == 1
    size = sum(len(str(value)) for data in first for value in data.values())
    assert size < 9_000_000, size  # the two copies of BokehJS (~4 MB each) and two widgets
    # more views, shown directly and in a container, and a graph: none again
    later = run(kernel, "display(session.view('rates', a))\n"
                        "display(w.HBox([session.view('value', stim), session.view('graph')]))")
    assert bokehjs_copies(later) == 0 and len(later) == 2

    # a page connects (a reload or another tab): its widget manager opens the control comm,
    # as JupyterLab's does; the next view shown brings BokehJS to that page, once
    from ipywidgets._version import __control_protocol_version__

    content = {"comm_id": uuid.uuid4().hex, "target_name": "jupyter.widget.control", "data": {}}
    msg = kernel.session.msg("comm_open", content, metadata={"version": __control_protocol_version__})
    kernel.shell_channel.send(msg)
    run(kernel, "from ipywidgets import Widget\nassert Widget._control_comm is not None")
    again = run(kernel, "display(v1)\ndisplay(v2)")
    assert bokehjs_copies(again) == 1
    assert bokehjs_copies(run(kernel, "display(session.view('voltage', a))")) == 0


def test_force_writes_again(kernel):
    run(kernel, SETUP)
    forced = run(kernel, "from nbsnn.dashboard import load_bokehjs\nload_bokehjs(force=True)")
    assert bokehjs_copies(forced) == 1
