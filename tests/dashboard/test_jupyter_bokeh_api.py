"""jupyter_bokeh's private API that `StreamingBokehModel` relies on.

`nbsnn.dashboard.widgets.StreamingBokehModel` overrides ``BokehModel._sync_model``
and calls ``BokehModel._model_to_traits`` and ``self._model``; none of them is public.
These tests fail loudly when a jupyter_bokeh release renames or reshapes them, before
the dashboard silently streams doubled data or stops redrawing.
"""

import inspect

from bokeh.models import Div
from jupyter_bokeh import BokehModel

from nbsnn.dashboard.widgets import StreamingBokehModel


def _parameters(function):
    return list(inspect.signature(function).parameters)


def test_sync_model_is_the_message_handler_with_the_overridden_signature():
    assert _parameters(BokehModel._sync_model) == ["self", "_model", "content", "_buffers"]
    source = inspect.getsource(BokehModel._sync_model)
    assert '"jsevent"' in source and 'event["kind"]' in source  # the keys we filter on
    assert "self.on_msg(self._sync_model)" in inspect.getsource(BokehModel.__init__)
    assert (len(_parameters(StreamingBokehModel._sync_model))
            == len(_parameters(BokehModel._sync_model)))


def test_model_to_traits_and_model_attribute_give_the_render_bundle():
    assert _parameters(BokehModel._model_to_traits) == ["model"]
    assert isinstance(inspect.getattr_static(BokehModel, "_model_to_traits"), classmethod)
    widget = StreamingBokehModel(Div(text="first text"))
    assert isinstance(widget._model, Div)
    widget._model.text = "second text"
    assert "second text" not in str(widget.render_bundle["docs_json"])
    widget.refresh()
    bundle = widget.render_bundle
    assert "second text" in str(bundle["docs_json"]) and widget._model.id in str(bundle)


def test_close_takes_no_arguments_and_can_be_called_twice():
    assert _parameters(BokehModel.close) == ["self"]
    widget = StreamingBokehModel(Div(text="x"))
    widget.close()
    widget.close()
