"""Lay out a network as a graph: ensembles, nodes and collapsed subnetworks, in layers (pure).

`graph_layout` places every ensemble and Node of a network (or, for a
subnetwork marked collapsed, one item standing for all it contains) in layers
from left to right along the connections: an item's layer is the longest
path to it from the items nothing feeds (feedback connections ignored), and
items of a layer are spread vertically in the order they were made. Nothing
here needs Jupyter or a simulator.
"""

import nengo

__all__ = ["GraphItem", "graph_layout"]


class GraphItem:
    """One drawn item: an Ensemble, a Node or a collapsed Network, with its place."""

    def __init__(self, obj, kind, label, x=0.0, y=0.0):
        self.obj = obj
        self.kind = kind
        self.label = label
        self.x = x
        self.y = y

    def __repr__(self):
        return f"GraphItem({self.kind} {self.label!r} at ({self.x}, {self.y}))"


def _base(obj):
    """The ensemble, node or connection an endpoint belongs to."""
    if isinstance(obj, nengo.base.ObjView):
        obj = obj.obj
    if isinstance(obj, nengo.ensemble.Neurons):
        obj = obj.ensemble
    if isinstance(obj, nengo.connection.LearningRule):
        obj = obj.connection.post_obj
        return _base(obj)
    return obj


def _owners(network, collapsed, owner=None, table=None):
    """Map id(object) -> the collapsed network that stands for it (or None)."""
    table = {} if table is None else table
    for ens in network.ensembles + network.nodes:
        table[id(ens)] = owner
    for sub in network.networks:
        _owners(sub, collapsed, owner if owner is not None else (sub if id(sub) in collapsed else None), table)
    return table


def graph_layout(network, collapsed=(), name=None):
    """Place a network's items in layers along its connections.

    Parameters
    ----------
    network : nengo.Network
    collapsed : iterable of nengo.Network, optional
        Subnetworks drawn as one item each.
    name : callable, optional
        ``name(obj)`` gives an item's label (default: its label or type).

    Returns
    -------
    items : list of GraphItem
    edges : list of (int, int)
        One per connection between two different items (indices into ``items``),
        without repeats.
    connections : list of list of nengo.Connection
        The connections each edge stands for (several when parallel or collapsed).
    """
    name = name or (lambda obj: obj.label or type(obj).__name__)
    collapsed = {id(n) for n in collapsed}
    owners = _owners(network, collapsed)
    items, index = [], {}

    def item_of(obj):
        obj = _base(obj)
        stand_in = owners.get(id(obj))
        key = stand_in if stand_in is not None else obj
        if id(key) not in index:
            kind = "network" if stand_in is not None else (
                "ensemble" if isinstance(obj, nengo.Ensemble) else "node"
            )
            index[id(key)] = len(items)
            items.append(GraphItem(key, kind, name(key)))
        return index[id(key)]

    for obj in network.all_ensembles + network.all_nodes:
        item_of(obj)
    edges, connections = [], []
    for conn in network.all_connections:
        pair = (item_of(conn.pre_obj), item_of(conn.post_obj))
        if pair[0] == pair[1]:
            continue
        if pair not in edges:
            edges.append(pair)
            connections.append([])
        connections[edges.index(pair)].append(conn)

    # longest path from the sources, ignoring feedback (edges back to an item on the current path)
    children = {i: [b for a, b in edges if a == i] for i in range(len(items))}
    layer = [0] * len(items)
    state = [0] * len(items)  # 0 new, 1 on the path, 2 done

    def visit(i, depth):
        if state[i] == 1 or (state[i] == 2 and layer[i] >= depth):
            return
        state[i] = 1
        layer[i] = max(layer[i], depth)
        for j in children[i]:
            visit(j, layer[i] + 1)
        state[i] = 2

    fed = {b for _, b in edges}
    for i in [i for i in range(len(items)) if i not in fed] + list(range(len(items))):
        if state[i] == 0:
            visit(i, 0)
    rows = {}
    for i, item in enumerate(items):
        item.x = float(layer[i])
        item.y = -float(rows.get(layer[i], 0))
        rows[layer[i]] = rows.get(layer[i], 0) + 1
    return items, edges, connections
