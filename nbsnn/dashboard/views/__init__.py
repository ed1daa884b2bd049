"""Views of a live session: one widget per aspect of a running network.

Every view type is registered under a short name (``"value"``, ``"raster"``,
...) with `register_view`; `LiveSession.view(kind, target)` and
``%snn live --view "KIND TARGET"`` look it up in `VIEW_TYPES`. The modules
below are imported here so that their views register (as Nengo's builder
modules do).

A third-party view type subclasses `View` (or `SeriesView` / `SnapshotView`)
and registers itself::

    from nbsnn.dashboard.views import SnapshotView, register_view

    @register_view("bar")
    class BarView(SnapshotView):
        ...

See docs/dashboard.md for a complete example.
"""

import warnings

from ...exceptions import ViewError
from .base import SeriesView, SnapshotView, View, sample_times

__all__ = [
    "SeriesView",
    "SnapshotView",
    "VIEW_TYPES",
    "View",
    "register_view",
    "sample_times",
    "view_type",
]

VIEW_TYPES = {}


def register_view(name):
    """Class decorator: register a `View` subclass under ``name``.

    Registering a name twice replaces the first class, with a warning.
    """

    def decorator(cls):
        if not (isinstance(cls, type) and issubclass(cls, View)):
            raise TypeError(f"register_view({name!r}): {cls!r} is not a View subclass")
        if name in VIEW_TYPES and VIEW_TYPES[name] is not cls:
            warnings.warn(f"view type {name!r} was registered already; replacing it")
        cls.kind = name
        VIEW_TYPES[name] = cls
        return cls

    return decorator


def view_type(name):
    """The view class registered under ``name``."""
    try:
        return VIEW_TYPES[name]
    except KeyError:
        raise ViewError(
            f"no view type {name!r}; registered: {', '.join(sorted(VIEW_TYPES))}"
        ) from None


# Importing these modules registers their views.
from . import controls, graph, neurons, values, vectors  # noqa: E402,F401
from .controls import BiasControl, SeedControl, Sliders, SynapseTau, Toolbar  # noqa: E402
from .graph import NetworkGraph  # noqa: E402
from .neurons import RasterView, RateMapView, RatesView, TuningView, VoltageView  # noqa: E402
from .values import ValueView, XYView  # noqa: E402
from .vectors import HtmlView, ImageView, WeightsView  # noqa: E402

__all__ += [
    "BiasControl", "HtmlView", "ImageView", "NetworkGraph", "RasterView", "RateMapView", "RatesView", "SeedControl",
    "Sliders", "SynapseTau", "Toolbar", "TuningView", "ValueView", "VoltageView",
    "WeightsView", "XYView",
]
