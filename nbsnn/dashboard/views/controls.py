"""Controls of a live session: transport (play, pause, ...), input sliders, synapse τ, bias, seed.

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

__all__ = ["BiasControl", "SPEEDS", "STATUS_INTERVAL", "SeedControl", "Sliders", "SynapseTau", "Toolbar"]

SPEEDS = {"0.1×": 0.1, "0.25×": 0.25, "0.5×": 0.5, "1×": 1.0, "2×": 2.0, "5×": 5.0, "max": None}
STATUS_INTERVAL = 0.25  # seconds between status updates while running (each one redraws part of the page)


@register_view("toolbar")
class Toolbar(View):
    """Play / Pause / Step / Reset buttons, a speed menu, the status line and a time slider.

    Step pauses a running session; Reset pauses and goes back to t = 0. The
    time slider (seconds back from the latest time, over the kept history)
    scrubs a paused session.
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
        self.scrubber = w.FloatSlider(  # seconds before the latest time; ranges never change
            value=0.0, min=-session.history, max=0.0, step=session.dt, description="time back",
            readout_format=".3f", continuous_update=True, style={"description_width": "70px"},
            layout={"width": "420px"},
        )
        self.scrubber.add_class("nbsnn-scrubber")
        self._status_shown = 0.0
        self._following = False  # True while the toolbar itself moves the scrubber
        self.play_button.on_click(lambda _: self.play())
        self.pause_button.on_click(lambda _: session.pause())
        self.step_button.on_click(lambda _: self.step())
        self.reset_button.on_click(lambda _: self.reset())
        self.speed.observe(self._on_speed, names="value")
        self.scrubber.observe(self._on_scrub, names="value")
        row = w.HBox([self.play_button, self.pause_button, self.step_button, self.reset_button, self.speed, self.status])
        body = w.VBox([row, self.scrubber])
        super().__init__(session, title, body)
        self.children = (body,)  # no header: the toolbar heads its session's views
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
        self.scrubber.disabled = session.running  # pause, then drag back
        if session.scrubbed_to is None and self.scrubber.value != 0.0:  # live again
            self._following = True
            try:
                self.scrubber.value = 0.0
            finally:
                self._following = False

    def _on_scrub(self, change):
        """Dragging the time slider (paused) shows that moment in every view."""
        if self._following or self.session.closed or self.session.running:
            return
        self.session.scrub(self.session.time + change["new"])

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


@register_view("neurons")
class BiasControl(View):
    """An offset added to every neuron's bias current in an ensemble, live (no rebuild).

    The bias is the one neuron parameter Nengo keeps in a simulator signal; the
    neuron type's own parameters (``tau_rc``, ``tau_ref``, ...) are compiled
    into the step and change only with a rebuild. The offset is kept across
    rebuilds and resets.

    Parameters
    ----------
    session : LiveSession
    target : nengo.Ensemble or str
    span : float, optional
        The slider goes from ``-span`` to ``span`` (in the neurons' input units).
    """

    needs_target = True

    def __init__(self, session, target, span=10.0, title=None):
        ens = session.resolve(target, "neuron control")
        if isinstance(ens, nengo.ensemble.Neurons):
            ens = ens.ensemble
        if not isinstance(ens, nengo.Ensemble) or isinstance(ens.neuron_type, nengo.Direct):
            raise ViewError(
                f"neuron control: {describe(ens)} is not an Ensemble with neurons; the bias "
                "offset applies to an ensemble's neurons"
            )
        self.ensemble = ens
        self.offset = 0.0
        self._bias = None  # (the writable signal array, its built value)
        self.slider = w.FloatSlider(
            value=0.0, min=-float(span), max=float(span), step=float(span) / 100,
            description="bias offset", continuous_update=True, readout_format=".2f",
            style={"description_width": "120px"}, layout={"width": "420px"},
        )
        self.slider.add_class("nbsnn-bias")
        self.slider.observe(self._on_change, names="value")
        super().__init__(session, title or f"Neurons: {describe(ens)}", self.slider)

    def built(self, sim):
        bias = sim.signals[sim.model.sig[self.ensemble.neurons]["bias"]]
        bias.setflags(write=True)  # a view of the simulator's own memory
        self._bias = (bias, bias.copy())
        self._apply()

    def clear(self):
        if self._bias is not None:  # a reset restored the built bias
            self.session._call(self._apply)

    def _apply(self):
        bias, built = self._bias
        bias[...] = built + self.offset

    def _on_change(self, change):
        self.offset = float(change["new"])
        if self._bias is not None:
            self.session._call(self._apply)  # on the worker thread, between chunks

    @property
    def data(self):
        import pandas as pd

        return pd.DataFrame([{"bias_offset": self.offset}])
