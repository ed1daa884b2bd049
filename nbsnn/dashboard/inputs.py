"""Find the parts of a network that the dashboard lets the user change.

Two kinds of control are found in a `nengo.Network`:

- *slider inputs*: Nodes without input whose output is a constant, and Nodes
  whose output is a slider object (anything with ``low``, ``high`` and
  ``value`` attributes, as ``%%snn`` slider inputs are; a scalar ``value``
  drives every output of the Node and gets one slider per output). Each gets a
  `DashboardSlider`: a callable Node output whose value can be changed while the
  simulator runs, without a rebuild;
- *synapse controls*: connections with a `nengo.Lowpass` synapse. Changing a
  time constant needs a rebuild, which the live session does and then resumes.

The functions here work on a live session's private copy of the network, so the
user's network is never modified.
"""

import nengo
import numpy as np

__all__ = [
    "MAX_SYNAPSE_CONTROLS",
    "DashboardSlider",
    "SynapseControl",
    "find_slider_inputs",
    "find_synapse_controls",
    "is_slider_like",
]

MAX_SYNAPSE_CONTROLS = 6


def is_slider_like(obj):
    """Whether ``obj`` looks like a slider (has ``low``, ``high`` and ``value``)."""
    return all(hasattr(obj, attr) for attr in ("low", "high", "value"))


class DashboardSlider:
    """A Node output that returns a value the dashboard can change at any time.

    Parameters
    ----------
    label : str
        Name shown next to the slider(s).
    value : array_like
        Initial value (one entry per Node dimension).
    low, high : array_like
        Slider range, broadcast to the shape of ``value``.

    Notes
    -----
    `set` replaces ``value`` with a new array rather than writing into it, so
    a simulator thread calling the object always sees a consistent vector.
    """

    def __init__(self, label, value, low, high):
        self.label = label
        self.initial = np.array(value, dtype=float).ravel()
        self.value = self.initial.copy()
        self.low = np.broadcast_to(np.asarray(low, dtype=float), self.value.shape).copy()
        self.high = np.broadcast_to(np.asarray(high, dtype=float), self.value.shape).copy()
        if np.any(self.low > self.high):
            raise ValueError(f"Slider input {label!r}: low {self.low} exceeds high {self.high}")

    @property
    def dimensions(self):
        """Number of values (one slider each)."""
        return self.value.size

    def __call__(self, t):
        return self.value

    def set(self, dim, value):
        """Set dimension ``dim`` to ``value`` (clipped to the slider range)."""
        new = self.value.copy()
        new[dim] = np.clip(float(value), self.low[dim], self.high[dim])
        self.value = new

    def reset(self):
        """Go back to the initial value."""
        self.value = self.initial.copy()


def _constant_range(value):
    span = max(1.0, 2.0 * float(np.max(np.abs(value)))) if value.size else 1.0
    return -span, span


def find_slider_inputs(network):
    """Replace every slider-able Node output in ``network`` by a `DashboardSlider`.

    Parameters
    ----------
    network : nengo.Network
        Modified in place (pass the dashboard's copy, not the user's network).

    Returns
    -------
    list of (nengo.Node, DashboardSlider)
        In the order of ``network.all_nodes``.
    """
    found = []
    for i, node in enumerate(network.all_nodes):
        out = node.output
        label = node.label or f"node {i}"
        if is_slider_like(out):
            value = np.array(out.value, dtype=float).ravel()
            if value.size == 1:  # one value driving every output of the Node
                value = np.repeat(value, node.size_out)
            slider = DashboardSlider(label, value, out.low, out.high)
        elif node.size_in == 0 and isinstance(out, np.ndarray):
            value = np.array(out, dtype=float).ravel()
            slider = DashboardSlider(label, value, *_constant_range(value))
        else:
            continue
        if slider.dimensions != node.size_out:
            raise ValueError(
                f"Slider input {label!r} has {slider.dimensions} values but the "
                f"Node has size_out={node.size_out}; make them agree"
            )
        node.output = slider
        found.append((node, slider))
    return found


class SynapseControl:
    """A connection whose `nengo.Lowpass` time constant the dashboard can change.

    Parameters
    ----------
    connection : nengo.Connection
        The connection (in the dashboard's copy of the network).
    label : str
        Name shown next to the control.
    """

    def __init__(self, connection, label):
        self.connection = connection
        self.label = label

    @property
    def tau(self):
        """The current time constant (seconds)."""
        return self.connection.synapse.tau

    def set(self, tau):
        """Set the time constant. The simulator must be rebuilt to see it."""
        tau = float(tau)
        if tau < 0:
            raise ValueError(f"Synapse {self.label!r}: tau must be >= 0, got {tau}")
        self.connection.synapse = nengo.Lowpass(tau)


def _name(obj):
    if isinstance(obj, nengo.ensemble.Neurons):
        return f"{_name(obj.ensemble)}.neurons"
    if isinstance(obj, nengo.connection.LearningRule):
        return f"{type(obj.learning_rule_type).__name__} rule"
    return getattr(obj, "label", None) or type(obj).__name__.lower()


def find_synapse_controls(network, limit=MAX_SYNAPSE_CONTROLS):
    """Find connections with a `nengo.Lowpass` synapse, recurrent ones first.

    Parameters
    ----------
    network : nengo.Network
    limit : int, optional
        At most this many controls are returned.

    Returns
    -------
    list of SynapseControl
    """
    lowpass = [c for c in network.all_connections if type(c.synapse) is nengo.Lowpass]
    recurrent = [c for c in lowpass if c.pre_obj is c.post_obj]
    others = [c for c in lowpass if c.pre_obj is not c.post_obj]
    return [
        SynapseControl(c, f"τ {_name(c.pre_obj)}→{_name(c.post_obj)}")
        for c in (recurrent + others)[:limit]
    ]
