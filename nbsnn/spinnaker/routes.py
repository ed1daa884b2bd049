"""Collapse passthrough nodes: connection chains as single linear routes.

A passthrough node (``nengo.Node(size_in=n)`` with no output function) only sums
its inputs, so a chain ``pre -> node -> ... -> post`` is one linear map from the
first connection's output to the post neurons' input current.  Each `Route` holds
that map and the one lowpass synapse along the chain.  Nengo's `EnsembleArray`,
`Product` and similar networks use such nodes for their inputs and outputs.
"""

from dataclasses import dataclass
from typing import Tuple

import nengo
import numpy as np
from nengo.ensemble import Neurons

from nbsnn.exceptions import UnsupportedError

__all__ = ["Route", "ensemble_of", "is_passthrough", "find_routes", "expand"]


def ensemble_of(obj):
    """Return the ensemble of an ensemble or of its ``.neurons``."""
    return obj.ensemble if isinstance(obj, Neurons) else obj


def is_passthrough(obj):
    """Return True for a node that only sums its input (``output=None``)."""
    return isinstance(obj, nengo.Node) and obj.output is None


@dataclass
class Route:
    """A chain of connections from a source to neurons, through passthrough nodes.

    Attributes
    ----------
    connections : tuple of nengo.Connection
        From the origin (whose ``pre`` is an ensemble, neurons or an input node) to
        the final connection (whose ``post`` is an ensemble or neurons).
    tau : float
        Time constant (s) of the chain's single lowpass synapse.
    matrix : ndarray or None
        ``(n_post_neurons, origin.size_out)`` map from the origin connection's
        output to post input current (Nengo units); None for a weight-solver
        connection, whose built weights are already neuron to neuron.
    """

    connections: Tuple[nengo.Connection, ...]
    tau: float
    matrix: object

    @property
    def origin(self):
        """The first connection."""
        return self.connections[0]

    @property
    def post_ensemble(self):
        """The ensemble whose neurons receive the route."""
        return ensemble_of(self.connections[-1].post_obj)

    def __str__(self):
        return " -> ".join(str(c) for c in self.connections)


def find_routes(network, model):
    """Return every route of ``network`` (see `Route`).

    Parameters
    ----------
    network : nengo.Network
    model : nengo.builder.Model
        The built model of ``network``.

    Raises
    ------
    nbsnn.exceptions.UnsupportedError
        For chains without exactly one lowpass synapse.
    """
    outgoing = {}
    for conn in network.all_connections:
        if is_passthrough(conn.pre_obj):
            outgoing.setdefault(conn.pre_obj, []).append(conn)
    routes = []

    def extend(chain):
        last = chain[-1]
        if is_passthrough(last.post_obj):
            for nxt in outgoing.get(last.post_obj, []):
                if nxt in chain:  # pragma: no cover - Nengo rejects passthrough loops
                    raise UnsupportedError(f"{nxt} closes a loop of passthrough nodes.")
                extend(chain + [nxt])
        else:
            routes.append(_route(model, tuple(chain)))

    for conn in network.all_connections:
        if not is_passthrough(conn.pre_obj):
            extend([conn])
    return routes


def _route(model, chain):
    synapses = [c.synapse for c in chain if c.synapse is not None]
    names = " -> ".join(str(c) for c in chain)
    if len(synapses) != 1:
        what = "no synapse" if not synapses else f"{len(synapses)} synapses in series"
        raise UnsupportedError(
            f"{names} has {what}; each path into an exported ensemble needs exactly "
            "one nengo.Lowpass synapse (PyNN's IF_curr_exp filters once)."
        )
    origin = chain[0]
    if isinstance(origin.pre_obj, nengo.Ensemble) and origin.solver.weights:
        return Route(chain, synapses[0].tau, None)
    # walk backwards: post <- into(c_k) <- through(c_k) <- into(c_{k-1}) ... <- into(c_0)
    matrix = _into(model, chain[-1])
    for k in range(len(chain) - 1, 0, -1):
        matrix = matrix @ _through(model, chain[k]) @ _into(model, chain[k - 1])
    return Route(chain, synapses[0].tau, matrix)


def _into(model, conn):
    """Map ``conn``'s output into its post object's input space."""
    post = conn.post_obj
    index = np.arange(post.size_in)[conn.post_slice]
    if is_passthrough(post):
        out = np.zeros((post.size_in, conn.size_out))
        out[index, np.arange(len(index))] = 1.0
        return out
    ens = ensemble_of(post)
    if isinstance(post, Neurons):
        out = np.zeros((ens.n_neurons, conn.size_out))
        out[index, np.arange(len(index))] = model.params[ens].gain[index]
        return out
    return model.params[ens].scaled_encoders[:, index]


def _through(model, conn):
    """Map a passthrough node's output through ``conn`` (slice and transform)."""
    node = conn.pre_obj
    index = np.arange(node.size_out)[conn.pre_slice]
    select = np.zeros((len(index), node.size_out))
    select[np.arange(len(index)), index] = 1.0
    return expand(model.params[conn].weights, conn.size_out, len(index)) @ select


def expand(weights, rows, cols):
    """Return built connection weights (None, scalar, diagonal or full) as a matrix.

    Nengo stores no weights for a `nengo.transforms.NoTransform` connection
    between non-neural objects: that is the identity.
    """
    if weights is None:
        return np.eye(rows, cols)
    weights = np.asarray(weights, dtype=float)
    if weights.ndim == 0:
        return weights * np.eye(rows, cols)
    if weights.ndim == 1:
        return np.diag(weights)
    return weights
