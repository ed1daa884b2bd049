"""Arguments of ``%snn live`` (run by `nbsnn.dashboard.magic`)."""

from ..config import LIVE_FPS
from ..subcommand import SubcommandParser

__all__ = ["parser"]

DESCRIPTION = """\
Run the nengo.Network called NAME live. Without --view: the Dashboard (play /
pause / step / reset, speed, status, a slider per input, synapse time-constant
controls, and plots of decoded values, spike raster, membrane voltage, firing
rates, tuning curves, learned weights). With --view: a toolbar and the views
given, in order."""

EPILOG = """\
Example: %snn live net --view "value a" --view "raster b[:40]" --view "slider stim\""""


def speed(text):
    """``--speed``: a real-time factor, or "max" (None: as fast as possible)."""
    return None if text == "max" else float(text)


def parser():
    """The parser of ``%snn live``."""
    p = SubcommandParser("%snn live", DESCRIPTION, EPILOG)
    p.add_argument("name", metavar="NAME", help="the network (a nengo.Network)")
    p.add_argument("--view", metavar="SPEC", action="append", default=[],
                   help="KIND [TARGET[INDEX]] [OPTION=VALUE ...], repeatable; KIND is a view "
                        "type (value, xy, raster, voltage, rates, rate_map, tuning, weights, "
                        "image, html, slider, synapse, seed, toolbar); TARGET a variable or a "
                        "label; INDEX [:40], [1,5,7] or [most active] for neurons")
    p.add_argument("--window", metavar="SECONDS", type=float, default=2.0,
                   help="simulated time visible in the time plots")
    p.add_argument("--history", metavar="SECONDS", type=float, default=None,
                   help="simulated time kept for scrubbing and export (default: 10, or "
                        "--window if longer)")
    p.add_argument("--fps", metavar="FPS", type=float, default=LIVE_FPS,
                   help="target frame rate")
    p.add_argument("--speed", metavar="FACTOR", type=speed, default=1.0,
                   help='target real-time factor, or "max"')
    p.add_argument("--seed", metavar="N", type=int, default=None,
                   help="simulator seed (default: the network's, else random once)")
    p.add_argument("--dt", metavar="DT", type=float, default=0.001,
                   help="simulator time step in seconds")
    return p
