"""Controls of a live session: transport (play, pause, ...), input sliders, synapse τ, seed.

Controls are views without probes: they change the session rather than draw
it, and their `data` is the current setting.
"""

import time

import ipywidgets as w
import nengo

from ...exceptions import ViewError
from ..inputs import SynapseControl
from ..targets import describe
from . import register_view
from .base import View

__all__ = ["SPEEDS", "STATUS_INTERVAL", "SeedControl", "Sliders", "SynapseTau", "Toolbar"]

SPEEDS = {"0.1×": 0.1, "0.25×": 0.25, "0.5×": 0.5, "1×": 1.0, "2×": 2.0, "5×": 5.0, "max": None}
STATUS_INTERVAL = 0.1  # seconds between status updates while running


@register_view("toolbar")
class Toolbar(View):
    """Play / Pause / Step / Reset buttons, a speed menu and the status line.

    Step pauses a running session; Reset pauses and goes back to t = 0.
    """

    needs_target = False

    def __init__(self, session, title="Controls"):
        self.play_button = w.Button(description="Play", icon="play", button_style="success")
        self.pause_button = w.Button(description="Pause", icon="pause")
        self.step_button = w.Button(description="Step", icon="step-forward")
        self.reset_button = w.Button(description="Reset", icon="undo")
        for button in (self.play_button, self.pause_button, self.step_button, self.reset_button):
            button.layout.width = "90px"
        speed_label = next((k for k, v in SPEEDS.items() if v == session.speed), "max")
        self.speed = w.Dropdown(options=list(SPEEDS), value=speed_label, description="speed", layout={"width": "160px"})
        self.status = w.HTML(layout={"margin": "0 0 0 12px"})
        self.status.add_class("nbsnn-status")
        self._status_shown = 0.0
        self.play_button.on_click(lambda _: self.play())
        self.pause_button.on_click(lambda _: session.pause())
        self.step_button.on_click(lambda _: self.step())
        self.reset_button.on_click(lambda _: self.reset())
        self.speed.observe(self._on_speed, names="value")
        row = w.HBox([self.play_button, self.pause_button, self.step_button, self.reset_button, self.speed, self.status])
        super().__init__(session, title, row)
        self.children = (row,)  # no header: the toolbar heads its session's views
        session.on_frame(self.show_status)
        self.show_status(session)

    def play(self):
        """Start running live (needs the kernel's event loop, as in Jupyter)."""
        self.session.play()
        self.show_status(self.session)

    def step(self):
        """Pause if running, else run one frame's worth of simulated time."""
        if self.session.running:
            self.session.pause()
            return
        try:
            self.session.step()
        except Exception:  # noqa: BLE001 -- shown in the status line, kept in session.error
            self.show_status(self.session, force=True)

    def reset(self):
        """Pause and go back to t = 0."""
        self.session.pause()
        self.session.reset()

    def _on_speed(self, change):
        self.session.speed = SPEEDS[change["new"]]

    def show_status(self, session, force=False):
        """Show the session's status line (at most every `STATUS_INTERVAL` while running)."""
        now = time.perf_counter()
        if session.running and not force and now - self._status_shown < STATUS_INTERVAL:
            return
        self._status_shown = now
        self.status.value = session.status()

    @property
    def data(self):
        import pandas as pd

        s = self.session
        return pd.DataFrame([{"t": s.time, "speed": s.speed, "running": s.running}])


@register_view("slider")
class Sliders(View):
    """One slider per dimension of a slider-able Node (constant output or ``%%snn`` slider).

    Moving a slider takes effect on the next step, without a rebuild.
    """

    needs_target = True

    def __init__(self, session, target, title=None):
        node = session.resolve(target, "slider")
        if node not in session.inputs:
            raise ViewError(
                f"slider: {describe(node)} is not a Node with a constant or slider output; "
                "sliders drive such Nodes (e.g. nengo.Node([0.0]))"
            )
        self.node = node
        self.input = slider = session.inputs[node]
        self.sliders = []
        for d in range(slider.dimensions):
            low, high = float(slider.low[d]), float(slider.high[d])
            control = w.FloatSlider(
                value=float(slider.value[d]),
                min=low,
                max=high,
                step=(high - low) / 200 or 0.01,
                description=slider.label if slider.dimensions == 1 else f"{slider.label}[{d}]",
                continuous_update=True,
                readout_format=".3f",
                style={"description_width": "120px"},
                layout={"width": "420px"},
            )
            control.add_class("nbsnn-input")
            control.observe(self._setter(d), names="value")
            self.sliders.append(control)
        super().__init__(session, title or f"Input: {describe(node)}", w.VBox(self.sliders))
        session.on_reset(self._show_values)

    def _setter(self, dim):
        def setter(change):
            self.input.set(dim, change["new"])

        return setter

    def _show_values(self, session):
        for control, value in zip(self.sliders, self.input.value):
            control.value = float(value)  # its observer sets the same value again

    @property
    def data(self):
        import pandas as pd

        return pd.DataFrame([self.input.value], columns=[s.description for s in self.sliders])


@register_view("synapse")
class SynapseTau(View):
    """The time constant of a connection's `nengo.Lowpass` synapse (changing it rebuilds)."""

    needs_target = True

    def __init__(self, session, target, title=None):
        conn = session.resolve(target, "synapse control")
        if not isinstance(conn, nengo.Connection) or type(conn.synapse) is not nengo.Lowpass:
            raise ViewError(
                f"synapse control: {describe(conn)} is not a Connection with a nengo.Lowpass "
                "synapse; only Lowpass time constants can be changed"
            )
        self.control = SynapseControl(conn, f"τ {describe(conn)}")
        self.text = w.BoundedFloatText(
            value=self.control.tau,
            min=0.0,
            max=10.0,
            step=0.005,
            description=self.control.label,
            style={"description_width": "120px"},
            layout={"width": "260px"},
        )
        self.text.add_class("nbsnn-synapse")
        self.text.observe(self._on_change, names="value")
        super().__init__(session, title or f"Synapse: {describe(conn)}", self.text)

    def _on_change(self, change):
        self.control.set(change["new"])
        self.session.request_rebuild()
        self.session._notify()

    @property
    def data(self):
        import pandas as pd

        return pd.DataFrame([{"tau": self.control.tau}])


@register_view("seed")
class SeedControl(View):
    """The simulator seed; changing it rebuilds with new neurons and resets to t = 0."""

    needs_target = False

    def __init__(self, session, title="Seed"):
        self.text = w.IntText(value=session.seed, description="seed", layout={"width": "200px"})
        self.text.add_class("nbsnn-seed")
        self.text.observe(lambda change: self.session.set_seed(change["new"]), names="value")
        super().__init__(session, title, self.text)

    @property
    def data(self):
        import pandas as pd

        return pd.DataFrame([{"seed": self.session.seed}])
