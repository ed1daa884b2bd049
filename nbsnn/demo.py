"""``nbsnn demo``: run the seed networks on nbsnn and Nengo, write an HTML report."""

import time
from pathlib import Path

import nengo
import numpy as np

from .examples.nef import NETWORKS
from .simulator import Simulator

__all__ = ["run_demo"]


def _timed_run(simulator_cls, net, duration):
    start = time.perf_counter()
    with simulator_cls(net, progress_bar=False) as sim:
        built = time.perf_counter()
        sim.run(duration)
        done = time.perf_counter()
    return sim, built - start, done - built


def run_demo(duration=5.0, output="nbsnn-demo.html"):
    """Simulate each seed network on both backends; returns rows of figures.

    Writes a bokeh HTML report to ``output`` (if bokeh is installed) and returns
    ``[(name, rmse, nbsnn_steps_per_s, nengo_steps_per_s), ...]``.
    """
    rows, panels = [], []
    for name, make in NETWORKS.items():
        net, ideal = make()
        sim, _, t_nbsnn = _timed_run(Simulator, net, duration)
        ref, _, t_nengo = _timed_run(nengo.Simulator, net, duration)
        steps = sim.n_steps
        t = sim.trange()
        target = np.array([ideal(ti) for ti in t]) if name != "integrator" else ideal(t)
        decoded = sim.data[net.probe][:, 0]
        rmse = float(np.sqrt(np.mean((decoded - target) ** 2)))
        same = np.allclose(decoded, ref.data[net.probe][:, 0], atol=1e-9)
        rows.append((name, rmse, steps / t_nbsnn, steps / t_nengo, same))
        panels.append((name, t, decoded, target))
    _write_report(panels, rows, output)
    return rows


def _write_report(panels, rows, output):
    try:
        from bokeh.layouts import column
        from bokeh.models import Div
        from bokeh.plotting import figure, output_file, save
    except ImportError:  # pragma: no cover - bokeh is part of the notebook extra
        return None
    figures = []
    for name, t, decoded, target in panels:
        fig = figure(title=name, width=800, height=220, x_axis_label="time (s)")
        fig.line(t, target, color="gray", line_dash="dashed", legend_label="ideal")
        fig.line(t, decoded, color="navy", legend_label="nbsnn decoded")
        figures.append(fig)
    table = "".join(
        f"<tr><td>{n}</td><td>{e:.3f}</td><td>{a:,.0f}</td><td>{b:,.0f}</td>"
        f"<td>{a / b:.1f}x</td><td>{'yes' if s else 'NO'}</td></tr>"
        for n, e, a, b, s in rows
    )
    header = Div(text=(
        "<h2>nbsnn demo</h2><table><tr><th>network</th><th>RMSE vs ideal</th>"
        "<th>nbsnn steps/s</th><th>nengo steps/s</th><th>speed-up</th>"
        f"<th>same numbers as Nengo</th></tr>{table}</table>"
    ))
    output_file(output, title="nbsnn demo", mode="inline")
    save(column(header, *figures))
    return Path(output)
