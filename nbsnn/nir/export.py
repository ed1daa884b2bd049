"""`export`: a neuron-space `nengo.Network` as a NIR graph (in progress)."""

__all__ = ["export"]


def export(net, **kwargs):
    raise NotImplementedError
