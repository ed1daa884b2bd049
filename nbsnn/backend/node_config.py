"""Opting out of compiled Node functions: globally or per Node (Nengo config)."""

import nengo
from nengo.params import BoolParam

__all__ = ["add_params", "node_policy"]


def add_params(network):
    """Add the ``compile`` parameter of Nodes to ``network.config``.

    Then ``network.config[node].compile = False`` keeps one Node's function in
    Python, and ``network.config[nengo.Node].compile = False`` all of the network's.
    """
    params = network.config[nengo.Node]
    if "compile" not in params.extra_params:
        params.set_param("compile", BoolParam("compile", default=True))


def node_policy(network, model, compile_nodes=True):
    """``policy(op)``: why a ``SimPyFunc`` must stay Python, or None.

    ``compile_nodes=False`` (`nbsnn.Simulator`'s argument) keeps all Node functions
    in Python; a Node whose ``compile`` config parameter (`add_params`) is False in
    any network of the hierarchy stays in Python.
    """
    if not compile_nodes:
        return lambda op: "Node functions are not compiled (compile_nodes=False)"
    nets = [] if network is None else [network] + network.all_networks
    configs = [n.config for n in nets if "compile" in n.config[nengo.Node].extra_params]
    off = {id(model.sig[node]["out"]) for node in (network.all_nodes if configs else ())
           if any(config[node].compile is False for config in configs)}
    reason = "its Node's compile parameter is False"
    return lambda op: reason if op.output is not None and id(op.output) in off else None
