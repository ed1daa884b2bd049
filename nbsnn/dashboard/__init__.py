"""Live dashboard: run a Nengo network in the notebook with controls and streaming plots.

``Dashboard(net)`` (or ``%snn live NAME``) shows ipywidgets controls and bokeh
plots, through `jupyter_bokeh`, that update while the network runs. Needs the
``nbsnn[dashboard]`` extra.
"""

from .live import LiveRunner
from .widgets import Dashboard

__all__ = ["Dashboard", "LiveRunner"]
