"""The dashboard widget: ipywidgets controls around bokeh plots of a live run.

`Dashboard` is an ``ipywidgets.VBox``; displaying it in JupyterLab 4 or
Notebook 7 shows play / pause / step / reset buttons, a speed control, the
simulated time and real-time factor, one slider per slider input, one control
per synapse time constant, and the plots of `LiveRunner`, wrapped in a
`StreamingBokehModel`.
"""

import html
import json
import os
import time
from contextlib import contextmanager

import ipywidgets as w
from bokeh.layouts import column, gridplot
from bokeh.models import CustomJS, Div
from bokeh.protocol import Protocol
from jupyter_bokeh import BokehModel

from .live import LiveRunner

__all__ = ["Dashboard", "SPEEDS", "StreamingBokehModel"]

SPEEDS = {"0.1×": 0.1, "0.25×": 0.25, "0.5×": 0.5, "1×": 1.0, "2×": 2.0, "5×": 5.0, "max": None}

STATUS_INTERVAL = 0.1  # seconds between status updates while running

# After a stream is drawn, report the last time plotted (see LiveRunner.browser_drew).
_DRAWN_JS = """
const data = source.data;
const t = data instanceof Map ? data.get("t") : data.t;
if (t && t.length) {
  const last = String(t[t.length - 1]);
  requestAnimationFrame(() => setTimeout(() => { drawn.text = last; }, 0));
}
"""

_ECHOED_EVENTS = {"ColumnsStreamed", "ColumnsPatched"}


class StreamingBokehModel(BokehModel):
    """A `jupyter_bokeh.BokehModel` made for frequent streaming.

    Two changes to the base class:

    - With jupyter_bokeh 4.1 and bokeh 3.9 the browser sends every
      ``source.stream()``/``patch()`` back to the kernel, and the base class
      applies it a second time, so ``source.data`` in Python doubles while the
      plot is right. The dashboard only ever streams from Python, so such
      events coming from the browser are dropped here; other browser events
      (range changes, tool events) are handled as before.
    - The base class sends one document patch (three or more comm messages,
      and one redraw in the browser) per change. Inside `batch`, changes are
      collected and sent as a single patch, so a frame that streams to several
      sources costs the browser one message and one redraw.
    """

    _pending = None

    @contextmanager
    def batch(self):
        """Collect the document changes made inside the block into one patch."""
        if self._pending is not None:  # already batching
            yield
            return
        self._pending = []
        try:
            yield
        finally:
            events, self._pending = self._pending, None
            if events:
                self._send_patch(events)

    def _document_patched(self, event):
        if event.setter is self:
            return
        if self._pending is not None:
            self._pending.append(event)
        else:
            self._send_patch([event])

    def _send_patch(self, events):
        msg = Protocol().create("PATCH-DOC", events)
        self.send({"msg": "patch", "payload": msg.header_json})
        self.send({"msg": "patch", "payload": msg.metadata_json})
        self.send({"msg": "patch", "payload": msg.content_json})
        for buffer in msg.buffers:
            self.send({"msg": "patch", "payload": json.dumps(buffer.ref)})
            self.send({"msg": "patch"}, [buffer.to_bytes()])

    def _sync_model(self, model, content, buffers):
        if content.get("event") == "jsevent" and content.get("kind") in _ECHOED_EVENTS:
            return
        super()._sync_model(model, content, buffers)

    def close(self):
        """Close the widget and unhook it from its document (safe to call twice)."""
        if getattr(self, "_unhooked", False):
            return
        self._unhooked = True
        super().close()


def _load_bokehjs():
    """Make sure BokehJS is on the page (inline unless BOKEH_RESOURCES says otherwise)."""
    from bokeh.io import output_notebook
    from bokeh.resources import Resources

    mode = os.environ.get("BOKEH_RESOURCES", "inline")
    output_notebook(resources=Resources(mode=mode), hide_banner=True)


class Dashboard(w.VBox):
    """Run a network live in the notebook, with controls and streaming plots.

    Parameters
    ----------
    network : nengo.Network
        The network to explore. It is copied; the original is not modified.
    **kwargs
        Passed to `LiveRunner` (``dt``, ``seed``, ``window``, ``fps``,
        ``ensemble``, ``n_raster``, ``n_voltage``, ``n_rates``, ``speed``).

    Attributes
    ----------
    runner : LiveRunner
        The run loop; its ``time``, ``real_time_factor`` and ``history`` are
        what the plots show.

    Notes
    -----
    BokehJS must be loaded in the page; the dashboard loads it when it is
    displayed, from the inline copy in the ``bokeh`` package unless the
    ``BOKEH_RESOURCES`` environment variable selects another mode (``cdn``
    needs internet access from the browser).

    Changing a synapse time constant rebuilds the simulator: simulated time
    carries on, but the network's state (e.g. an integrator's value) starts
    from zero again.

    Examples
    --------
    >>> dash = Dashboard(net)  # doctest: +SKIP
    >>> dash                   # doctest: +SKIP
    """

    def __init__(self, network, **kwargs):
        self.runner = runner = LiveRunner(network, **kwargs)

        self.play_button = w.Button(description="Play", icon="play", button_style="success")
        self.pause_button = w.Button(description="Pause", icon="pause")
        self.step_button = w.Button(description="Step", icon="step-forward")
        self.reset_button = w.Button(description="Reset", icon="undo")
        for button in (self.play_button, self.pause_button, self.step_button, self.reset_button):
            button.layout.width = "90px"
        speed_label = next((k for k, v in SPEEDS.items() if v == runner.speed), "max")
        self.speed = w.Dropdown(
            options=list(SPEEDS), value=speed_label, description="speed", layout={"width": "160px"}
        )
        self.status = w.HTML(layout={"margin": "0 0 0 12px"})
        self.status.add_class("nbsnn-status")

        self.play_button.on_click(lambda _: self.play())
        self.pause_button.on_click(lambda _: self.pause())
        self.step_button.on_click(lambda _: self.step())
        self.reset_button.on_click(lambda _: self.reset())
        self.speed.observe(self._on_speed, names="value")

        self.input_sliders = []
        for i, slider in enumerate(runner.inputs):
            for d in range(slider.dimensions):
                label = slider.label if slider.dimensions == 1 else f"{slider.label}[{d}]"
                low, high = float(slider.low[d]), float(slider.high[d])
                control = w.FloatSlider(
                    value=float(slider.value[d]),
                    min=low,
                    max=high,
                    step=(high - low) / 200 or 0.01,
                    description=label,
                    continuous_update=True,
                    readout_format=".3f",
                    style={"description_width": "120px"},
                    layout={"width": "420px"},
                )
                control.add_class("nbsnn-input")
                control.observe(self._input_setter(i, d), names="value")
                self.input_sliders.append(control)

        self.synapse_controls = []
        for i, synapse in enumerate(runner.synapses):
            control = w.BoundedFloatText(
                value=synapse.tau,
                min=0.0,
                max=10.0,
                step=0.005,
                description=synapse.label,
                style={"description_width": "120px"},
                layout={"width": "260px"},
            )
            control.add_class("nbsnn-synapse")
            control.observe(self._synapse_setter(i), names="value")
            self.synapse_controls.append(control)

        figures = list(runner.figures.values())
        grid = gridplot(
            [figures[i : i + 2] for i in range(0, len(figures), 2)],
            toolbar_location="right",
            merge_tools=True,
        )
        if "values" in runner.figures:
            grid = column(grid, self._drawn_reporter(runner))
        self.plots = StreamingBokehModel(grid)
        runner.publish_context = self.plots.batch

        buttons = w.HBox(
            [self.play_button, self.pause_button, self.step_button, self.reset_button, self.speed, self.status]
        )
        controls = [buttons]
        if self.input_sliders:
            controls.append(w.VBox(self.input_sliders))
        if self.synapse_controls:
            controls.append(
                w.HBox([w.HTML("<b>synapses</b> (rebuild)"), *self.synapse_controls], layout={"flex_flow": "row wrap"})
            )
        super().__init__(controls + [self.plots])
        self.add_class("nbsnn-dashboard")
        self._status_shown = 0.0
        runner.on_frame(self._show_status)
        self._show_status(runner)

    @staticmethod
    def _drawn_reporter(runner):
        """A hidden Div through which the browser reports how far it has drawn."""
        drawn = Div(text="", visible=False, name="nbsnn-drawn")
        source = runner.sources["values"]
        source.js_on_change("streaming", CustomJS(args={"source": source, "drawn": drawn}, code=_DRAWN_JS))
        drawn.on_change("text", lambda attr, old, new: new and runner.browser_drew(float(new)))
        return drawn

    # -- callbacks ------------------------------------------------------

    def _input_setter(self, index, dim):
        def setter(change):
            self.runner.set_input(index, dim, change["new"])

        return setter

    def _synapse_setter(self, index):
        def setter(change):
            self.runner.set_synapse(index, change["new"])
            self._show_status(self.runner)

        return setter

    def _on_speed(self, change):
        self.runner.speed = SPEEDS[change["new"]]

    def _show_status(self, runner):
        now = time.perf_counter()
        if runner.running and now - self._status_shown < STATUS_INTERVAL:
            return
        self._status_shown = now
        state = "running" if runner.running else "paused"
        if runner.error is not None:
            state = f"stopped by {type(runner.error).__name__}: {html.escape(str(runner.error))}"
        self.status.value = (
            f"<span class='nbsnn-time'>t = {runner.time:.3f} s</span> · "
            f"<span class='nbsnn-rtf'>{runner.real_time_factor:.2f}× real time</span> · "
            f"{runner.frame_rate:.0f} fps · {state}"
        )

    # -- public API -----------------------------------------------------

    def play(self):
        """Start running live (needs the kernel's event loop, as in Jupyter)."""
        self.runner.play()
        self._show_status(self.runner)

    def pause(self):
        """Pause after the current frame."""
        self.runner.pause()

    def step(self):
        """Pause, then run one frame's worth of simulated time."""
        if self.runner.running:
            self.runner.pause()
            return
        self.runner.step()

    def reset(self):
        """Pause, go back to t = 0 and restore the inputs' initial values."""
        self.runner.pause()
        self.runner.reset()
        values = [v for slider in self.runner.inputs for v in slider.value]
        for control, value in zip(self.input_sliders, values):
            control.value = float(value)  # its observer sets the same value again

    def close(self):
        """Stop the run, close the simulator and the widgets."""
        self.runner.close()
        self.plots.close()
        super().close()

    def _repr_mimebundle_(self, **kwargs):
        _load_bokehjs()
        return super()._repr_mimebundle_(**kwargs)
