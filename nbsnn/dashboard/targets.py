"""Find, in a session's private copy of a network, the object a user means.

A `LiveSession` simulates a copy of the user's network (so probes and mutable
inputs never touch the original). Users name objects of *their* network, or
give a label; `Targets.resolve` turns either into the copy's object, and says
clearly which object was meant when it is not part of the network.
"""

import nengo

from ..exceptions import ViewError

__all__ = ["Targets", "describe"]


def describe(obj):
    """A short name for ``obj`` in messages and titles (its label if it has one)."""
    if isinstance(obj, nengo.ensemble.Neurons):
        return f"{describe(obj.ensemble)}.neurons"
    if isinstance(obj, nengo.Connection):
        return f"{describe(obj.pre_obj)}→{describe(obj.post_obj)}"
    label = getattr(obj, "label", None)
    return label if label else repr(obj)


def _objects(network):
    return (
        [network]
        + network.all_networks
        + network.all_ensembles
        + network.all_nodes
        + network.all_connections
    )


class Targets:
    """Map the objects of a user's network to those of its copy.

    Parameters
    ----------
    original : nengo.Network
        The user's network.
    copy : nengo.Network
        ``original.copy()``: the same objects in the same order.
    """

    def __init__(self, original, copy):
        self.original = original
        self.copy = copy
        pairs = list(zip(_objects(original), _objects(copy)))
        self._by_id = {id(a): b for a, b in pairs}
        self._by_id.update(
            (id(a.neurons), b.neurons)
            for a, b in pairs
            if isinstance(a, nengo.Ensemble)
        )
        self._copies = {id(b) for b in self._by_id.values()}

    def name(self, obj):
        """A name `resolve` maps back to ``obj`` (a copy's object): its label if unique, else ``Type#i``."""
        label = getattr(obj, "label", None)
        if label and sum(getattr(o, "label", None) == label for o in _objects(self.copy)[1:]) == 1:
            return label
        kind = type(obj).__name__
        same = [o for o in _objects(self.copy)[1:] if type(o) is type(obj)]
        return f"{kind}#{next(i for i, o in enumerate(same) if o is obj)}"

    def resolve(self, obj, what="view"):
        """The copy's counterpart of ``obj`` (an object of either network, or a label).

        Raises
        ------
        ViewError
            If ``obj`` is not part of the network, or a label matches no
            object or several.
        """
        if isinstance(obj, str):
            found = [o for o in _objects(self.copy)[1:] if getattr(o, "label", None) == obj]
            kind, _, index = obj.partition("#")
            if not found and index.isdigit():  # a name from `name`: Type#i
                same = [o for o in _objects(self.copy)[1:] if type(o).__name__ == kind]
                found = same[int(index) : int(index) + 1]
            if len(found) == 1:
                return found[0]
            network = describe(self.original)
            if not found:
                raise ViewError(
                    f"{what}: no object labelled {obj!r} in the network {network}; "
                    "pass the object itself or one of its labels"
                )
            raise ViewError(
                f"{what}: {len(found)} objects are labelled {obj!r} in the network "
                f"{network}; pass the object itself"
            )
        if id(obj) in self._copies:
            return obj
        if isinstance(obj, nengo.base.ObjView):
            return self.resolve(obj.obj, what)[obj.slice]
        if id(obj) in self._by_id:
            return self._by_id[id(obj)]
        raise ViewError(
            f"{what}: {describe(obj)} is not part of the network {describe(self.original)} "
            "that this session runs; make a view of one of its objects"
        )
