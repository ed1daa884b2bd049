"""`Dashboard(net)`: one ready-made composition of the widget kit.

A toolbar, a slider per input Node, a τ control per low-pass synapse (recurrent
first), and plots chosen for the network: input and decoded values, then the
raster, membrane voltage, firing rates and tuning curves of one ensemble, and
the weights of the first learning connection. Everything is an ordinary view
of one `LiveSession`, so more views of the same session can be added beside it
(``dash.session.view(...)``).
"""

import html

import ipywidgets as w
import nengo

from .inputs import find_synapse_controls
from .session import LiveSession
from .targets import describe
from .views import (
    RasterView,
    RatesView,
    Sliders,
    SynapseTau,
    Toolbar,
    TuningView,
    ValueView,
    VoltageView,
    WeightsView,
)
from .widgets import BokehJSOnDisplay

__all__ = ["Dashboard", "LiveBox", "MAX_VALUE_SERIES"]

MAX_VALUE_SERIES = 8


class _SessionBox(BokehJSOnDisplay, w.VBox):
    """A column of one session's views: closing it closes the session; showing it loads BokehJS."""

    def close(self):
        """Stop the run, close the session (and so its views) and the widgets."""
        self.session.close()
        super().close()


class Dashboard(_SessionBox):
    """Run a network live in the notebook, with controls and streaming plots.

    Parameters
    ----------
    network : nengo.Network
        The network to explore. It is copied; the original is not modified.
    ensemble : nengo.Ensemble, optional
        Ensemble whose neurons are shown (raster, voltage, rates, tuning
        curves). Defaults to the first ensemble with neurons.
    n_raster : int, optional
        Number of neurons in the spike raster (0: no raster).
    n_voltage : int, optional
        Number of neurons whose membrane voltage is plotted (0: none).
    n_rates : int, optional
        Number of neurons in the firing-rate histogram; None (default) shows
        all of them; 0 shows no histogram.
    **kwargs
        Passed to `LiveSession` (``dt``, ``seed``, ``window``, ``history``,
        ``fps``, ``speed``).

    Attributes
    ----------
    session : LiveSession
        The run loop: ``time``, ``real_time_factor``, ``step``, ``views``.
    toolbar : Toolbar
    sliders : list of Sliders
    synapses : list of SynapseTau
    values, raster, voltage, rates, tuning, weights : View or None
        The plots (None where the network has nothing to show there).
    input_sliders : list of ipywidgets.FloatSlider
        Every slider, one per input dimension.
    synapse_controls : list of ipywidgets.BoundedFloatText
    message : ipywidgets.HTML
        Says why there is nothing to plot, if so.

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

    def __init__(self, network, ensemble=None, n_raster=40, n_voltage=3, n_rates=None, **kwargs):
        self.session = session = LiveSession(network, **kwargs)
        self.toolbar = Toolbar(session)
        self.sliders = [Sliders(session, node) for node in session.inputs]
        self.synapses = [SynapseTau(session, c.connection) for c in find_synapse_controls(session.model)]
        self.values = self._value_view(session)
        ens = self._pick_ensemble(session, ensemble)
        spiking = ens is not None and ens.neuron_type.spiking
        has_voltage = ens is not None and "voltage" in ens.neuron_type.probeable
        self.raster = RasterView(session, ens, neurons=n_raster) if spiking and n_raster > 0 else None
        self.voltage = VoltageView(session, ens, neurons=n_voltage) if has_voltage and n_voltage > 0 else None
        self.rates = (
            RatesView(session, ens, neurons=n_rates) if ens is not None and n_rates != 0 else None
        )
        self.tuning = TuningView(session, ens) if ens is not None else None
        learned = [c for c in session.model.all_connections if c.learning_rule_type is not None]
        self.weights = WeightsView(session, learned[0]) if learned else None

        self.input_sliders = [s for view in self.sliders for s in view.sliders]
        self.synapse_controls = [view.text for view in self.synapses]
        self.play_button = self.toolbar.play_button
        self.pause_button = self.toolbar.pause_button
        self.step_button = self.toolbar.step_button
        self.reset_button = self.toolbar.reset_button
        self.speed = self.toolbar.speed
        self.status = self.toolbar.status
        plots = [v for v in (self.values, self.raster, self.voltage, self.rates, self.tuning, self.weights) if v]
        self.message = w.HTML(self._nothing_to_plot(network) if not plots else "")
        self.message.add_class("nbsnn-message")

        parts = [self.toolbar, self.message]
        if self.sliders:
            parts.append(w.VBox(self.sliders))
        if self.synapses:
            parts.append(w.HBox(self.synapses, layout={"flex_flow": "row wrap"}))
        parts.append(w.GridBox(plots, layout={"grid_template_columns": "repeat(2, max-content)"}))
        super().__init__(parts)
        self.add_class("nbsnn-dashboard")
        session.build()

    @staticmethod
    def _pick_ensemble(session, ensemble):
        if ensemble is not None:
            return session.resolve(ensemble, "Dashboard(ensemble=...)")
        for ens in session.model.all_ensembles:
            if not isinstance(ens.neuron_type, nengo.Direct):
                return ens
        return None

    @staticmethod
    def _value_view(session):
        targets, n = list(session.inputs), sum(node.size_out for node in session.inputs)
        for ens in session.model.all_ensembles:
            if n + ens.dimensions > MAX_VALUE_SERIES:
                break
            targets.append(ens)
            n += ens.dimensions
        if not targets:
            return None
        return ValueView(session, targets, title="Input and decoded values")

    @staticmethod
    def _nothing_to_plot(network):
        return (
            f"<b>Nothing to plot:</b> {html.escape(describe(network))} has no ensembles and no "
            "constant or slider input Nodes. Add an ensemble (nengo.Ensemble) or make views "
            "of other objects with nbsnn.dashboard.LiveSession."
        )

    # -- public API -----------------------------------------------------

    def play(self):
        """Start running live (needs the kernel's event loop, as in Jupyter)."""
        self.toolbar.play()

    def pause(self):
        """Pause after the current frame."""
        self.session.pause()

    def step(self):
        """Pause if running, else run one frame's worth of simulated time."""
        self.toolbar.step()

    def reset(self):
        """Pause, go back to t = 0 and restore the inputs' initial values."""
        self.toolbar.reset()



class LiveBox(_SessionBox):
    """Views of one session in a column, under a toolbar (unless one is among them).

    Builds the session's simulator, so views that show built values (tuning
    curves, weights) are filled at once. ``%snn live NAME --view ...`` returns one.

    Parameters
    ----------
    session : LiveSession
    views : sequence of View
    """

    def __init__(self, session, views):
        self.session = session
        self.views = list(views)
        toolbar = [] if any(isinstance(v, Toolbar) for v in self.views) else [Toolbar(session)]
        super().__init__(toolbar + self.views)
        self.add_class("nbsnn-livebox")
        session.build()
