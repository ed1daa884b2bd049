"""`SnnNetwork`: the `nengo.Network` that a ``%%snn`` cell produces, with a rich summary."""

from __future__ import annotations

import html

import nengo

__all__ = ["SnnNetwork", "summary_rows", "summary_html", "summary_json", "summary_text"]

#: MIME type of the summary card drawn by nbsnn's JupyterLab extension (labextension/).
SUMMARY_MIME = "application/vnd.nbsnn.summary+json"


class SnnNetwork(nengo.Network):
    """A `nengo.Network` built from ``%%snn`` text.

    It is an ordinary Nengo network (simulate it with any Nengo simulator);
    every named object of the cell is also an attribute (``net.a``,
    ``net.stim``, ``net.b_probe``), and notebooks show a compact summary.
    """

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {
            SUMMARY_MIME: summary_json(self),
            "text/html": summary_html(self),
            "text/plain": summary_text(self),
        }

    def _repr_html_(self) -> str:
        return summary_html(self)


def _describe(obj) -> str:
    if isinstance(obj, nengo.Ensemble):
        return f"{obj.n_neurons} × {type(obj.neuron_type).__name__}, {obj.dimensions}-D"
    if isinstance(obj, nengo.Node):
        output = obj.output
        kind = type(output).__name__ if output is not None else "passthrough"
        return f"{kind}, {obj.size_out}-D"
    return ""


def summary_rows(net: nengo.Network) -> list[tuple[str, str, str]]:
    """List ``(kind, label, description)`` for the ensembles and inputs of a network.

    Parameters
    ----------
    net : nengo.Network
        Any network; subnetworks are included with dotted labels.

    Returns
    -------
    list of tuple of str
    """
    rows = []

    def walk(network, prefix):
        for node in network.nodes:
            rows.append(("input", prefix + str(node.label), _describe(node)))
        for ens in network.ensembles:
            rows.append(("ensemble", prefix + str(ens.label), _describe(ens)))
        for sub in network.networks:
            if isinstance(sub, nengo.networks.EnsembleArray):
                ens = sub.ea_ensembles[0]
                rows.append(("array", prefix + str(sub.label),
                             f"{sub.n_ensembles} × ({_describe(ens)})"))
            else:
                walk(sub, prefix + str(sub.label) + ".")

    walk(net, "")
    return rows


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _totals(net: nengo.Network) -> str:
    return ", ".join([_count(len(net.all_ensembles), "ensemble"),
                      _count(net.n_neurons, "neuron"),
                      _count(len(net.all_connections), "connection"),
                      _count(len(net.all_probes), "probe")])


def summary_text(net: nengo.Network) -> str:
    """Describe ``net`` in a few lines of plain text."""
    lines = [f"Network {net.label!r}: {_totals(net)}"]
    lines += [f"  {kind:8} {label}: {desc}" for kind, label, desc in summary_rows(net)]
    return "\n".join(lines)


def summary_html(net: nengo.Network) -> str:
    """Describe ``net`` as an HTML table (the notebook display)."""
    body = "".join(
        f"<tr><td>{html.escape(kind)}</td><td><code>{html.escape(label)}</code></td>"
        f"<td>{html.escape(desc)}</td></tr>"
        for kind, label, desc in summary_rows(net)
    )
    return (
        f"<div class='nbsnn-summary'><b>{html.escape(str(net.label))}</b>: "
        f"{html.escape(_totals(net))}"
        f"<table><thead><tr><th>kind</th><th>name</th><th>size</th></tr></thead>"
        f"<tbody>{body}</tbody></table></div>"
    )


def _name(obj) -> str:
    return str(obj.label) if getattr(obj, "label", None) else str(obj)


def _population(kind, label, obj) -> dict:
    if kind == "array":
        ens = obj.ea_ensembles[0]
        return {"name": label, "kind": kind, "count": obj.n_ensembles,
                "neurons": obj.n_neurons, "neuron_type": type(ens.neuron_type).__name__,
                "dimensions": obj.dimensions}
    if kind == "ensemble":
        return {"name": label, "kind": kind, "neurons": obj.n_neurons,
                "neuron_type": type(obj.neuron_type).__name__, "dimensions": obj.dimensions}
    output = obj.output
    return {"name": label, "kind": kind, "dimensions": obj.size_out,
            "output": type(output).__name__ if output is not None else "passthrough"}


def summary_json(net: nengo.Network) -> dict:
    """Describe ``net`` for the JupyterLab summary card (schema version 1).

    Lists the user's own objects: the internal connections of ensemble arrays
    are left out.
    """
    populations, connections = [], []

    def walk(network, prefix):
        for node in network.nodes:
            populations.append(_population("input", prefix + _name(node), node))
        for ens in network.ensembles:
            populations.append(_population("ensemble", prefix + _name(ens), ens))
        connections.extend(network.connections)
        for sub in network.networks:
            if isinstance(sub, nengo.networks.EnsembleArray):
                populations.append(_population("array", prefix + _name(sub), sub))
            else:
                walk(sub, prefix + _name(sub) + ".")

    walk(net, "")
    return {
        "version": 1,
        "label": _name(net),
        "totals": {"ensembles": len(net.all_ensembles), "neurons": net.n_neurons,
                   "connections": len(net.all_connections), "probes": len(net.all_probes)},
        "populations": populations,
        "connections": [
            {"pre": _name(c.pre_obj), "post": _name(c.post_obj),
             **({"learning": type(c.learning_rule_type).__name__}
                if c.learning_rule_type is not None else {})}
            for c in connections
        ],
        "probes": [{"name": _name(p), "target": _name(p.target), "kind": p.attr}
                   for p in net.all_probes],
    }
