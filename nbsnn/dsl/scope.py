"""Name scoping of a cell: what each (sub)network defines, and what comes further down."""

from __future__ import annotations

import nengo

__all__ = ["Scope"]


class Scope:
    """Names defined in one (sub)network, looked up outwards.

    Attributes
    ----------
    network : nengo.Network
        The network the block builds.
    parent : Scope or None
        The enclosing block.
    names : dict
        Object names -> Nengo objects.
    constants : dict
        Constant names -> their value node (``tau = 100ms``).
    lines : dict
        Every name defined so far -> its line.
    scopes : dict
        Subnetwork names -> their `Scope`.
    below : dict
        Names the block assigns further down -> their line (for "defined below").
    """

    def __init__(self, network: nengo.Network, parent: Scope | None) -> None:
        self.network = network
        self.parent = parent
        self.names: dict[str, object] = {}
        self.constants: dict[str, object] = {}
        self.lines: dict[str, int] = {}
        self.scopes: dict[str, Scope] = {}
        self.below: dict[str, int] = {}

    def chain(self):
        """This scope and its enclosing ones, innermost first."""
        scope = self
        while scope is not None:
            yield scope
            scope = scope.parent

    def lookup(self, name: str):
        """Return ``(object, scope of the object if a subnetwork)``, or ``(None, None)``."""
        for scope in self.chain():
            if name in scope.names:
                return scope.names[name], scope.scopes.get(name)
        return None, None

    def constant(self, name: str):
        """The value node of constant ``name``, or None."""
        for scope in self.chain():
            if name in scope.constants:
                return scope.constants[name]
            if name in scope.names:
                return None
        return None

    def defined_below(self, name: str) -> int | None:
        """Line of a later definition of ``name`` in this or an enclosing block."""
        for scope in self.chain():
            if name in scope.below:
                return scope.below[name]
        return None

    def visible(self) -> set[str]:
        """Every name usable here."""
        names: set[str] = set()
        for scope in self.chain():
            names |= set(scope.names) | set(scope.constants)
        return names
