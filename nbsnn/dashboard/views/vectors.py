"""Views of whole vectors at a moment: connection weights, a vector as an image, a Node's HTML."""

import collections
import math

import ipywidgets as w
import nengo
import numpy as np

from ...exceptions import ViewError
from .. import plots
from ..ring import RingBuffer
from ..targets import describe
from . import register_view
from .base import SnapshotView, View
from .values import check_output, output_probe

__all__ = ["HTML_ATTRIBUTE", "HtmlView", "IMAGE_SAMPLE_EVERY", "ImageView", "WEIGHTS_SAMPLE_EVERY", "WeightsView"]

WEIGHTS_SAMPLE_EVERY = 0.1
IMAGE_SAMPLE_EVERY = 0.05
HTML_ATTRIBUTE = "_nengo_html_"  # nengo-gui's convention


@register_view("weights")
class WeightsView(SnapshotView):
    """A connection's weights (or decoders) as an image, live while it learns.

    Parameters
    ----------
    session : LiveSession
    target : nengo.Connection or str
    sample_every : float, optional
        Seconds between weight samples (default 0.1).
    """

    needs_target = True

    def __init__(self, session, target, sample_every=WEIGHTS_SAMPLE_EVERY, title=None):
        conn = session.resolve(target, "weights view")
        if not isinstance(conn, nengo.Connection):
            raise ViewError(
                f"weights view: {describe(conn)} is a {type(conn).__name__}, not a Connection"
            )
        if not conn.has_weights:
            raise ViewError(
                f"weights view: {describe(conn)} has no weights (no transform, and its pre is not "
                "an ensemble's decoded output); give it a transform to see one"
            )
        self.connection = conn
        self.shape = None
        title = title or f"Weights: {describe(conn)}"
        fig, source = plots.weights_figure((1, 1), describe(conn))
        self.figure = fig
        probe = session.probe(conn, "weights", sample_every=float(sample_every))
        super().__init__(session, title, fig, source, probe, [])

    def built(self, sim):
        (probe,) = self.probes
        shape = tuple(np.atleast_2d(np.zeros(sim.model.sig[probe]["in"].shape)).shape)
        if shape != self.shape:
            self.shape = shape
            self.labels = [f"w[{i},{j}]" for i in range(shape[0]) for j in range(shape[1])]
            self.ring = RingBuffer(self.ring.capacity, ["t"] + self.labels)
            self._drawn_total = 0

    def publish(self):
        if self.shape is not None and (self.figure.y_range.end, self.figure.x_range.end) != self.shape:
            self.figure.y_range.end, self.figure.x_range.end = self.shape
            super().publish()
            self.plot.refresh()  # shown even if the widget is displayed later
            return None
        return super().publish()

    def draw(self, values):
        return plots.weights_data(np.asarray(values).reshape(self.shape))


@register_view("image")
class ImageView(SnapshotView):
    """A vector shown as an image (e.g. an 8×8 digit), sampled every 50 ms.

    Parameters
    ----------
    session : LiveSession
    target : object or str
        Anything with an output (Ensembles are decoded, filtered with 10 ms).
    shape : (int, int), optional
        Image rows and columns; default: the most square grid of the output.
    low, high : float, optional
        Colour scale limits (default: each image's own range).
    """

    needs_target = True

    def __init__(self, session, target, shape=None, low=None, high=None, title=None):
        obj = session.resolve(target, "image view")
        check_output(obj, "image view")
        shape = plots.grid_shape(obj.size_out) if shape is None else tuple(int(s) for s in shape)
        if len(shape) != 2 or shape[0] * shape[1] != obj.size_out:
            raise ViewError(
                f"image view: {describe(obj)} has {obj.size_out} values, which do not fill "
                f"an image of shape {shape}"
            )
        probe = output_probe(session, obj, "image view", IMAGE_SAMPLE_EVERY)
        self.target = obj
        self.shape = shape
        title = title or f"Image: {describe(obj)}"
        fig, source = plots.image_figure(shape, title, low=low, high=high)
        super().__init__(session, title, fig, source, probe, [f"px{i}" for i in range(obj.size_out)])

    def draw(self, values):
        return plots.image_data(values, self.shape)


@register_view("html")
class HtmlView(View):
    """The HTML a Node's output publishes, by nengo-gui's ``_nengo_html_`` convention.

    The Node's output (a function or callable object) sets its own
    ``_nengo_html_`` attribute to an HTML string while it runs; the view shows
    the latest one after each frame. The HTML comes from the user's own code
    and is shown as it is (scripts in it do not run).

    Parameters
    ----------
    session : LiveSession
    target : nengo.Node or str
    """

    needs_target = True

    def __init__(self, session, target, title=None):
        node = session.resolve(target, "html view")
        if not isinstance(node, nengo.Node) or not callable(node.output):
            raise ViewError(
                f"html view: {describe(node)} is not a Node with a function output; the "
                f"function sets its {HTML_ATTRIBUTE} attribute to the HTML to show"
            )
        self.node = node
        self.html = w.HTML("")
        self.html.add_class("nbsnn-html")
        self.kept = collections.deque(maxlen=math.ceil(session.history * session.fps) + 1)
        self._shown = None
        super().__init__(session, title or f"HTML: {describe(node)}", self.html)

    def collect(self, sim, n0, n1):
        text = getattr(self.node.output, HTML_ATTRIBUTE, None)
        return None if text is None else (self.session.time_offset + n1 * sim.dt, str(text))

    def append(self, rows):
        self.kept.append(rows)

    def publish(self):
        if self.kept and self.kept[-1] is not self._shown:
            self._shown = self.kept[-1]
            self.html.value = self._shown[1]
        return None

    def show_at(self, t):
        earlier = [row for row in self.kept if row[0] <= t]
        self.html.value = earlier[-1][1] if earlier else ""
        self._shown = None

    def clear(self):
        self.kept.clear()
        self._shown = None
        self.html.value = ""

    @property
    def data(self):
        import pandas as pd

        return pd.DataFrame(list(self.kept), columns=["t", "html"])
