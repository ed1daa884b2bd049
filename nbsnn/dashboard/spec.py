"""Views described as text: ``"raster b[:40]"``, ``"xy a dims=0,2"`` (for ``%snn live --view``).

Syntax of one view spec::

    KIND [TARGET[INDEX]] [OPTION=VALUE ...]

- ``KIND`` is a registered view type (``value``, ``raster``, ``slider``, ...).
- ``TARGET`` names an object: a variable of the notebook holding an object of
  the network, or else the label of one of its objects.
- ``INDEX`` (optional) selects neurons for neuron views (``raster``,
  ``voltage``, ``rates``, ``rate_map``): ``[:40]``, ``[10:20]``, ``[1,5,7]``,
  ``[most active]``; for other views it slices the object's output
  (``value a[0]``).
- ``OPTION=VALUE`` are keyword arguments of the view class; a value is read
  as ints separated by commas, an int, a float, or else a string.

`parse_view_spec` is pure (no IPython, no session), `make_view` builds the view.
"""

import re

from ..exceptions import ViewError
from .views import view_type

__all__ = ["ViewSpec", "make_view", "parse_index", "parse_view_spec"]

_TARGET = re.compile(r"^(?P<name>[^\[\]]+)(\[(?P<index>[^\[\]]*)\])?$")


class ViewSpec:
    """A parsed view spec: ``kind``, ``target`` name, ``index`` and ``options``."""

    def __init__(self, kind, target=None, index=None, options=None):
        self.kind = kind
        self.target = target
        self.index = index
        self.options = dict(options or {})

    def __eq__(self, other):
        return isinstance(other, ViewSpec) and vars(self) == vars(other)

    def __repr__(self):
        return f"ViewSpec({self.kind!r}, {self.target!r}, {self.index!r}, {self.options!r})"


def _value(text):
    if "," in text:
        return tuple(int(part) for part in text.split(",") if part.strip())
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def parse_index(text):
    """``":40"`` → ``slice(None, 40)``; ``"1,5"`` → ``[1, 5]``; ``"3"`` → ``3``; ``"most active"`` kept."""
    text = text.strip()
    if text == "most active":
        return text
    try:
        if ":" in text:
            parts = [int(p) if p.strip() else None for p in text.split(":")]
            if len(parts) > 3:
                raise ValueError
            return slice(*parts)
        if "," in text:
            return [int(p) for p in text.split(",") if p.strip()]
        return int(text)
    except ValueError:
        raise ViewError(
            f"view spec: index [{text}] is not a slice (:40), a list (1,5,7), an int or 'most active'"
        ) from None


def parse_view_spec(text):
    """Parse one view spec (see the module docstring).

    Raises
    ------
    ViewError
        If the text does not follow the syntax.
    """
    # "most active" holds a space: protect it before splitting on spaces
    words = text.replace("most active", "most\0active").split()
    words = [word.replace("\0", " ") for word in words]
    if not words:
        raise ViewError("view spec: empty; write e.g. 'value a' or 'raster b[:40]'")
    kind, rest = words[0], words[1:]
    target = index = None
    options = {}
    for word in rest:
        if "=" in word:
            key, value = word.split("=", 1)
            options[key] = _value(value)
        elif target is None:
            match = _TARGET.match(word)
            if match is None:
                raise ViewError(f"view spec {text!r}: cannot read the target {word!r}")
            target = match["name"]
            if match["index"] is not None:
                index = parse_index(match["index"])
        else:
            raise ViewError(f"view spec {text!r}: more than one target ({target!r}, {word!r})")
    return ViewSpec(kind, target, index, options)


_NEURON_VIEWS = {"raster", "voltage", "rates", "rate_map"}


def make_view(session, spec, namespace=None):
    """Make the view a `ViewSpec` (or spec text) describes.

    Parameters
    ----------
    session : LiveSession
    spec : ViewSpec or str
    namespace : dict, optional
        Where target names are looked up first (the notebook's variables);
        names not found there are taken as labels.
    """
    if isinstance(spec, str):
        spec = parse_view_spec(spec)
    cls = view_type(spec.kind)
    options = dict(spec.options)
    if spec.target is None:
        if cls.needs_target:
            raise ViewError(f"view spec: a {spec.kind} view needs a target, e.g. '{spec.kind} NAME'")
        return cls(session, **options)
    target = (namespace or {}).get(spec.target, spec.target)
    if spec.index is not None:
        if spec.kind in _NEURON_VIEWS:
            options["neurons"] = [spec.index] if isinstance(spec.index, int) else spec.index
        else:
            target = session.resolve(target, f"{spec.kind} view")[spec.index]
    return cls(session, target, **options)
