"""nbsnn.Simulator: a Nengo backend (placeholder until the numba core lands)."""

import nengo

__all__ = ["Simulator"]


class Simulator(nengo.Simulator):
    """Drop-in replacement for `nengo.Simulator` (same signature and semantics)."""
