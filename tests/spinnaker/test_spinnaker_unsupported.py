"""Objects that cannot be exported raise a clear error naming them."""

import nengo
import pytest

from nbsnn.exceptions import NbsnnError, UnsupportedError
from nbsnn.spinnaker import export


def network_with(kind):
    with nengo.Network(seed=0) as net:
        stim = nengo.Node(0.5, label="stim")
        a = nengo.Ensemble(10, 1, label="a")
        nengo.Connection(stim, a)
        if kind == "direct":
            culprit = nengo.Ensemble(1, 1, neuron_type=nengo.Direct(), label="culprit")
        elif kind == "neuron type":
            culprit = nengo.Ensemble(10, 1, neuron_type=nengo.Izhikevich(), label="culprit")
        elif kind == "learning":
            b = nengo.Ensemble(10, 1)
            culprit = nengo.Connection(a, b, learning_rule_type=nengo.PES())
        elif kind == "node in loop":
            culprit = nengo.Node(lambda t, x: x, size_in=1, label="culprit")
            nengo.Connection(a, culprit)
        elif kind == "alpha synapse":
            b = nengo.Ensemble(10, 1)
            culprit = nengo.Connection(a, b, synapse=nengo.Alpha(0.01))
        elif kind == "mixed taus":
            culprit = nengo.Ensemble(10, 1, label="culprit")
            nengo.Connection(stim, culprit, synapse=0.005)
            nengo.Connection(a, culprit, synapse=0.1)
        elif kind == "probe attr":
            culprit = nengo.Probe(a, "input")
        elif kind == "no synapse":
            b = nengo.Ensemble(10, 1)
            culprit = nengo.Connection(a, b, synapse=None)
        elif kind == "two synapses":
            node = nengo.Node(size_in=1)
            b = nengo.Ensemble(10, 1)
            culprit = nengo.Connection(a, node, synapse=0.01)
            nengo.Connection(node, b, synapse=0.01)
        elif kind == "passthrough probe":
            node = nengo.Node(size_in=1, label="out")
            nengo.Connection(a, node)
            culprit = nengo.Probe(node)
    return net, culprit


@pytest.mark.parametrize(
    "kind",
    ["direct", "neuron type", "learning", "node in loop", "alpha synapse", "mixed taus",
     "probe attr", "no synapse", "two synapses",
     "passthrough probe"],
)
def test_unsupported_objects_are_named(kind):
    net, culprit = network_with(kind)
    with pytest.raises(UnsupportedError) as info:
        export(net, 0.1)
    assert str(culprit) in str(info.value)
    assert isinstance(info.value, NbsnnError) and isinstance(info.value, NotImplementedError)
