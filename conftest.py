"""Settings for the whole test run (unit tests and notebooks)."""

import os

# Bokeh's default loads BokehJS from a CDN that CI cannot reach: embed it instead.
# Notebook kernels started by nbval inherit this.
os.environ.setdefault("BOKEH_RESOURCES", "inline")
