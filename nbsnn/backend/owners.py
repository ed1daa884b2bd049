"""Which user objects (Nodes, Connections, Ensembles) an operator works for.

Nengo's operators carry tags such as ``Dense(shape=(1, 1)).apply_weights``
that do not say which connection they belong to, and the optimizer merges
operators of several objects into one. Error messages name the objects
instead: those whose built signals (``model.sig[obj]``) share buffer
positions with what the operator writes.
"""

import nengo
import numpy as np

__all__ = ["describe", "label", "owners"]

#: Signals of ``model.sig[obj]`` that identify ``obj``, per object type: the ones
#: no other object writes into (a connection's "out" is its post's input). An
#: operator belongs to the object if it writes one of them or reads its weights.
_OWN_SIGNALS = {
    nengo.Connection: ("weighted", "weights"),
    nengo.Node: ("out",),
    nengo.ensemble.Neurons: ("in", "out", "voltage", "refractory_time", "adaptation"),
}
_READ_TOO = ("weights",)


def label(obj):
    """A short readable name: the label, else Nengo's description."""
    if isinstance(obj, nengo.Connection):
        return f"{label(obj.pre_obj)} -> {label(obj.post_obj)}"
    if isinstance(obj, nengo.ensemble.Neurons):
        return f"{label(obj.ensemble)}.neurons"
    return obj.label if getattr(obj, "label", None) else str(obj)


def _positions(sigs, memory):
    sigs = [s for s in sigs if memory.is_float(s) and s.size]
    return np.concatenate([memory.positions(s).ravel() for s in sigs]) if sigs else None


def owners(op, model, memory):
    """The user objects of one type whose own signals ``op`` uses (Connections first)."""
    written = _positions(op.sets + op.incs + op.updates, memory)
    used = _positions(op.all_signals, memory)
    if used is None:
        return []
    for kind, names in _OWN_SIGNALS.items():
        found = []
        for obj, sigs in model.sig.items():
            if not isinstance(obj, kind):
                continue
            for name in names:
                sig = sigs.get(name)
                mine = used if name in _READ_TOO else written
                if (mine is not None and memory.is_float(sig) and sig.size
                        and np.isin(memory.positions(sig), mine).any()):
                    found.append(obj)
                    break
        if found:
            return found
    return []


def describe(op, model=None, memory=None):
    """A readable name for the Nengo objects behind an operator."""
    if op is None:
        return "an unidentified operator"
    objs = owners(op, model, memory) if model is not None else []
    if objs:
        kind = type(objs[0]).__name__
        names = ", ".join(f"'{label(o)}'" for o in objs[:3])
        more = f" (and {len(objs) - 3} more)" if len(objs) > 3 else ""
        return f"{kind} {names}{more}"
    tag = getattr(op, "tag", None)
    if tag:
        return f"{tag} (its {type(op).__name__} operator)"
    outputs = ", ".join(str(sig.name) for sig in op.sets + op.incs + op.updates)
    return f"the {type(op).__name__} operator writing {outputs}"
