"""Readings of NIR files whose writers depart from NIR's equations.

`from_norse` rewrites a graph written by Norse 1.1.0 (``to_nir(..., dt)``) so that
`nbsnn.nir.load` at the same ``dt`` reproduces Norse's own steps. Norse writes
``tau = dt / tau_inv`` (that is ``dt * tau``, not ``tau``), ``r = 1`` for its
integrate-and-fire cell, whose input jumps the voltage by itself each step (NIR's
``dv/dt = r I`` needs ``r = 1 / dt``), and ``w_in = 1`` for its current-based cell,
whose input jumps the current (NIR's ``tau_syn dI/dt = -I + w_in S`` needs
``w_in = tau_syn / dt``). snnTorch 1.0's files follow NIR's equations (with
``r = tau / dt`` for its per-step input) and need no rewriting.
"""

import copy

import numpy as np

__all__ = ["from_norse"]


def from_norse(graph, dt=1e-3):
    """A copy of a Norse-written graph (a ``nir.NIRGraph`` or ``.nir`` path) in NIR's
    units, for `nbsnn.nir.load` with the same ``dt`` Norse exported with."""
    import nir

    from .load import read

    graph = copy.deepcopy(read(graph))

    def fix(g):
        for name, node in g.nodes.items():
            if isinstance(node, nir.NIRGraph):
                fix(node)
            elif isinstance(node, (nir.LIF, nir.LI)):
                node.tau = np.asarray(node.tau) / dt
            elif isinstance(node, nir.CubaLIF):
                node.tau_mem = np.asarray(node.tau_mem) / dt
                node.tau_syn = np.asarray(node.tau_syn) / dt
                node.w_in = np.asarray(node.w_in) * node.tau_syn / dt
            elif isinstance(node, nir.IF):
                node.r = np.asarray(node.r) / dt

    fix(graph)
    graph.metadata = {**graph.metadata, "dt": dt}
    return graph
