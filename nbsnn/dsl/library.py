"""Networks of Nengo's library that a cell builds by name: ``bg = BasalGanglia(dims=3)``.

`NETWORKS` maps the names to classes: those of `nengo.networks`, plus
`Integrator` and `Oscillator`, which Nengo 4 dropped and which are kept here
as Nengo 2.8 defined them (the oscillator's frequency is in hertz).
Every network a cell builds remembers its arguments (`ARGUMENTS_ATTR`) so
that ``%snn show`` can print it back; `recover_arguments` finds those of a
few networks built in Python.
"""

from __future__ import annotations

import inspect

import nengo
import numpy as np

__all__ = ["Integrator", "Oscillator", "NETWORKS", "ARGUMENTS_ATTR", "parameters",
           "parameter_kind", "recover_arguments"]

#: Attribute holding ``(name, {parameter: value})`` on networks a cell built.
ARGUMENTS_ATTR = "_snn_arguments"


class Integrator(nengo.Network):
    """An ensemble that integrates its input (Nengo 2.8's ``nengo.networks.Integrator``).

    Parameters
    ----------
    recurrent_tau : float
        Time constant of the recurrent connection (seconds).
    n_neurons, dimensions : int
        Size of the ensemble.
    **kwargs
        ``label``, ``seed`` and the rest of `nengo.Network`'s arguments.

    Attributes
    ----------
    input : nengo.Node
    ensemble, output : nengo.Ensemble
    """

    def __init__(self, recurrent_tau, n_neurons, dimensions, **kwargs):
        super().__init__(**kwargs)
        with self:
            self.input = nengo.Node(size_in=dimensions)
            self.ensemble = nengo.Ensemble(n_neurons, dimensions=dimensions)
            nengo.Connection(self.ensemble, self.ensemble, synapse=recurrent_tau)
            nengo.Connection(self.input, self.ensemble, transform=recurrent_tau, synapse=None)
        self.output = self.ensemble


class Oscillator(nengo.Network):
    """A 2-D ensemble that oscillates (Nengo 2.8's ``nengo.networks.Oscillator``).

    Parameters
    ----------
    recurrent_tau : float
        Time constant of the recurrent connection (seconds).
    frequency : float
        Oscillation frequency in hertz (Nengo 2.8 took radians per second).
    n_neurons : int
        Size of the ensemble.
    **kwargs
        ``label``, ``seed`` and the rest of `nengo.Network`'s arguments.

    Attributes
    ----------
    input : nengo.Node
    ensemble, output : nengo.Ensemble
    """

    def __init__(self, recurrent_tau, frequency, n_neurons, **kwargs):
        super().__init__(**kwargs)
        omega = 2 * np.pi * frequency * recurrent_tau
        with self:
            self.input = nengo.Node(size_in=2)
            self.ensemble = nengo.Ensemble(n_neurons, dimensions=2)
            nengo.Connection(self.ensemble, self.ensemble, synapse=recurrent_tau,
                             transform=[[1, -omega], [omega, 1]])
            nengo.Connection(self.input, self.ensemble, synapse=None)
        self.output = self.ensemble


#: Network names a cell can build -> classes.
NETWORKS = {
    "BasalGanglia": nengo.networks.BasalGanglia,
    "Thalamus": nengo.networks.Thalamus,
    "Product": nengo.networks.Product,
    "CircularConvolution": nengo.networks.CircularConvolution,
    "InputGatedMemory": nengo.networks.InputGatedMemory,
    "EnsembleArray": nengo.networks.EnsembleArray,
    "Integrator": Integrator,
    "Oscillator": Oscillator,
}

_INTEGERS = {"n_neurons", "dimensions", "n_ensembles", "ens_dimensions",
             "n_neurons_per_ensemble"}
_TIMES = {"recurrent_tau", "recurrent_synapse", "difference_synapse"}
_SKIPPED = {"self", "kwargs", "ens_kwargs", "label", "seed", "add_to_container",
            "ampa_config", "gaba_config"}


def parameters(cls) -> list[str]:
    """Constructor parameters of a library network that a cell can set."""
    return [p for p in inspect.signature(cls.__init__).parameters if p not in _SKIPPED]


def parameter_kind(name: str, default=None) -> str:
    """What a parameter takes: ``integer``, ``time``, ``frequency``, ``boolean`` or ``number``."""
    if name in _INTEGERS:
        return "integer"
    if name in _TIMES:
        return "time"
    if name == "frequency":
        return "frequency"
    if isinstance(default, bool):
        return "boolean"
    return "number"


def _fingerprint(net: nengo.Network) -> list[str]:
    """What distinguishes two builds of a library network (labels and seeds aside)."""
    rows = []
    for ens in net.all_ensembles:
        rows.append(repr((ens.n_neurons, ens.dimensions, ens.intercepts, ens.max_rates,
                          ens.radius, ens.encoders, ens.neuron_type)))
    for node in net.all_nodes:
        output = node.output.tolist() if isinstance(node.output, np.ndarray) else \
            type(node.output).__name__
        rows.append(repr((node.size_in, node.size_out, output)))
    for conn in net.all_connections:
        init = getattr(conn.transform, "init", None)
        init = np.asarray(init).tolist() if isinstance(init, (np.ndarray, float, int)) \
            else repr(init)
        rows.append(repr((conn.synapse, conn.solver, type(conn.transform).__name__, init,
                          conn.size_in, conn.size_out, conn.function is None)))
    return rows


def _guesses(net: nengo.Network):
    """Candidate arguments of a library network built in Python, most likely first."""
    if isinstance(net, nengo.networks.BasalGanglia):
        bias = getattr(net, "bias_input", None)
        (out,) = [c for c in net.connections if c.post_obj is net.output]
        yield {"dimensions": net.input.size_in,
               "n_neurons_per_ensemble": net.strD1.n_neurons_per_ensemble,
               "output_weight": float(np.ravel(out.transform.init)[0]),
               "input_bias": float(bias.output[0]) if bias is not None else 0.0}
    elif isinstance(net, nengo.networks.Thalamus):
        yield {"dimensions": net.input.size_in,
               "n_neurons_per_ensemble": net.actions.n_neurons_per_ensemble}
    elif isinstance(net, nengo.networks.Product):
        half = net.sq1.n_neurons_per_ensemble
        for n_neurons in (2 * half, 2 * half + 1):
            yield {"n_neurons": n_neurons, "dimensions": net.input_a.size_in}


def recover_arguments(net: nengo.Network) -> tuple[str, dict] | None:
    """``(name, arguments)`` of a library network built in Python, if they can be found.

    A guess counts only if building the network again with it gives the same
    ensembles, nodes and connections.
    """
    names = {cls: name for name, cls in NETWORKS.items()}
    if type(net) not in names:
        return None
    target = _fingerprint(net)
    for kwargs in _guesses(net):
        with nengo.Network(add_to_container=False):
            again = type(net)(**kwargs, add_to_container=False)
        if _fingerprint(again) == target:
            return names[type(net)], kwargs
    return None
