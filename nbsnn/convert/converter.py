"""Convert a Keras 3 model into a `nengo.Network` that runs on `nbsnn.Simulator`.

The converter walks the Keras functional graph in topological order and asks a
per-layer-class converter (registered with `Converter.register`) to emit the
Nengo objects for each layer. Linear layers become pass-through Nodes (or are
folded into the connection that feeds the next neurons), layers with a
nonlinearity become neuron populations connected through ``ensemble.neurons``
with unit gain, so a rate network with no swaps computes exactly what Keras
computes.

Every layer can be replicated ``minibatch_size`` times side by side in the same
Nengo objects: a vector of size ``minibatch_size * n`` holds ``minibatch_size``
independent samples, and every transform is block-diagonal. One simulator step
then advances the whole minibatch inside a single sparse product per layer.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

import nengo
import numpy as np
import scipy.sparse

from ..exceptions import ConversionError
from .activations import activation_name, default_neuron_type
from .batches import run_batches
from .checks import check_converter_args

__all__ = ["Converter", "ConversionError", "LayerConverter", "Tensor", "LinearMap"]


@dataclasses.dataclass(frozen=True)
class Tensor:
    """A converted activation: a Nengo object holding ``minibatch_size`` samples.

    Attributes
    ----------
    obj : nengo.Node or nengo.ensemble.Neurons
        Object whose output (size ``minibatch_size * prod(shape)``) carries the values.
    shape : tuple of int
        Shape of one sample, channels-last, as in Keras without the batch axis.
    gain : ndarray, optional
        Per-value factor (one sample, flat) that the output must be multiplied by to
        give the layer's values; connections leaving the tensor apply it (e.g. the
        thresholds of `QCFS` layers, whose neurons emit unit spikes).
    """

    obj: Any
    shape: tuple[int, ...]
    gain: np.ndarray | None = None

    @property
    def size(self) -> int:
        """Number of values in one sample."""
        return int(np.prod(self.shape))

    @property
    def is_neurons(self) -> bool:
        """Whether the values are neuron outputs (so ``synapse`` applies to them)."""
        return isinstance(self.obj, nengo.ensemble.Neurons)


@dataclasses.dataclass
class LinearMap:
    """A linear map from one input tensor into a layer, for a single sample.

    Attributes
    ----------
    matrix : ndarray or scipy.sparse matrix
        Shape ``(n_out, n_in)``; used when several samples are batched.
    transform : nengo.transforms.Transform or None
        Equivalent Nengo transform used for a single sample (e.g. `nengo.Convolution`);
        ``None`` means ``matrix`` is used directly.
    """

    matrix: Any
    transform: Any = None


def _tensor_key(key):
    history = getattr(key, "_keras_history", None)
    return history.operation if history is not None else key


class _LayerDict(dict):
    """Dict keyed by Keras layers that also accepts the layers' Keras tensors."""

    def __getitem__(self, key):
        return super().__getitem__(_tensor_key(key))

    def __contains__(self, key):
        return super().__contains__(_tensor_key(key))

    def get(self, key, default=None):
        return super().get(_tensor_key(key), default)


class LayerConverter:
    """Base class for the converter of one family of Keras layers.

    Subclasses implement `convert` and may list ``unsupported_args``: pairs
    ``(attribute, allowed_values)``; a layer whose attribute takes another value
    is refused with an error naming the layer, the attribute and what to do.

    Parameters
    ----------
    layer : keras.layers.Layer
        The layer to convert.
    converter : Converter
        The converter doing the work (gives access to options and helpers).
    """

    unsupported_args: tuple[tuple[str, tuple], ...] = ()

    def __init__(self, layer, converter: Converter):
        self.layer = layer
        self.converter = converter

    def check(self) -> None:
        """Raise `ConversionError` if this layer uses an argument we cannot convert."""
        for name, allowed in self.unsupported_args:
            value = getattr(self.layer, name, None)
            if value not in allowed:
                self.error(
                    f"argument {name}={value!r} is not supported (supported: "
                    f"{', '.join(repr(a) for a in allowed)})"
                )

    def error(self, reason: str, options: str | None = None):
        """Raise a `ConversionError` that names the layer and the user's options."""
        options = options or (
            "change the layer to a supported configuration, or register your own "
            "converter with `@nbsnn.convert.Converter.register(YourLayerClass)`"
        )
        raise ConversionError(
            f"Cannot convert layer '{self.layer.name}' ({type(self.layer).__name__}): "
            f"{reason}. Options: {options}."
        )

    def convert(self, inputs: list[Tensor], output_shape: tuple[int, ...]) -> Tensor:
        """Build the Nengo objects for the layer; return its output tensor."""
        raise NotImplementedError


def _replace(neuron_type, **changes):
    """Return a copy of ``neuron_type`` with some parameters changed."""
    kwargs = {p.name: getattr(neuron_type, p.name) for p in neuron_type._params}
    kwargs.update(changes)
    return type(neuron_type)(**kwargs)


def _with_amplitude(neuron_type, amplitude):
    if amplitude == 1:
        return neuron_type
    if not hasattr(neuron_type, "amplitude"):
        raise ConversionError(
            f"scale_firing_rates needs a neuron type with an 'amplitude' parameter; "
            f"{neuron_type} has none. Options: swap to one that has it (e.g. "
            f"nengo.SpikingRectifiedLinear, nengo.LIF) or set scale_firing_rates=None."
        )
    return _replace(neuron_type, amplitude=neuron_type.amplitude * amplitude)


def _scaled(transform, scale):
    """Return a copy of a `nengo.Convolution` with its kernel multiplied by ``scale``."""
    return nengo.Convolution(
        n_filters=transform.n_filters,
        input_shape=transform.input_shape.shape,
        kernel_size=transform.kernel_size,
        strides=transform.strides,
        padding=transform.padding,
        channels_last=transform.channels_last,
        init=transform.init * scale,
    )


class Converter:
    """Convert a Keras model into a spiking (or rate) `nengo.Network`.

    Parameters
    ----------
    model : keras.Model
        A built Sequential or functional Keras 3 model.
    swap_activations : dict, optional
        Maps an activation to a Nengo neuron type. Keys may be Keras activation
        functions (``keras.activations.relu``), their names (``"relu"``) or the
        neuron types the converter would otherwise use (``nengo.RectifiedLinear()``).
        Values are `nengo.neurons.NeuronType` instances, e.g.
        ``{keras.activations.relu: nengo.SpikingRectifiedLinear()}``; ``"qcfs"`` names
        the `QCFS` layers (e.g. ``{"qcfs": nbsnn.neurons.IntegrateAndFire()}``).
    scale_firing_rates : float or dict, optional
        Multiply the input of every neuron population by this factor and divide
        its output amplitude by it (a dict maps Keras layers or layer names to
        factors; missing layers use 1). Rate ReLU networks are unchanged; spiking ones fire more.
    synapse : float or nengo.synapses.Synapse, optional
        Filter applied on every connection leaving a neuron population.
    max_to_avg_pool : bool
        Convert ``MaxPooling`` layers to average pooling instead of failing.
    minibatch_size : int
        Number of independent samples that the network holds side by side; every
        converted object has ``minibatch_size`` times the layer's size.
    label : str, optional
        Label of the created network.
    dt : float
        Time step the network will run with. `QCFS` layers become neurons that reach
        their threshold in one step at input ``threshold``, so their input scale is
        ``1 / (threshold * dt)``; other layers do not depend on it.
    seed : int, optional
        Seed of the created network and of the neurons' initial state (e.g. the
        voltages of spiking neurons; the simulator's seed does not set it), so give
        one for reproducible spiking results. The state is drawn once per layer for
        one sample and repeated for every sample of the minibatch, as NengoDL
        repeats its initial state along the minibatch axis: every sample starts from
        the same state, so a sample's result does not depend on ``minibatch_size``
        or on its position in the minibatch.

    Attributes
    ----------
    net : nengo.Network
        The converted network.
    inputs : dict
        Keras input layer (or tensor) -> input `nengo.Node` (outputs zeros; set
        ``node.output`` to feed data, e.g. with `nengo.processes.PresentInput`).
    outputs : dict
        Keras output layer (or tensor) -> `nengo.Probe` on that layer, no synapse.
    layers : dict
        Keras layer (or tensor) -> the Nengo object carrying the layer's output.
    """

    converters: dict[type, type[LayerConverter]] = {}

    def __init__(
        self,
        model,
        swap_activations: Mapping | None = None,
        scale_firing_rates: float | Mapping | None = None,
        synapse=None,
        max_to_avg_pool: bool = False,
        minibatch_size: int = 1,
        label: str | None = None,
        seed: int | None = None,
        dt: float = 0.001,
    ):
        import keras  # noqa: F401  (optional dependency, needed from here on)

        check_converter_args(model, swap_activations, scale_firing_rates)

        if minibatch_size < 1:
            raise ConversionError(f"minibatch_size must be >= 1, got {minibatch_size}")
        self.model = model
        self.swap_activations = dict(swap_activations or {})
        self.scale_firing_rates = scale_firing_rates
        self.synapse = synapse
        self.max_to_avg_pool = max_to_avg_pool
        self.minibatch_size = int(minibatch_size)
        self.dt = float(dt)
        self.inputs = _LayerDict()
        self.outputs = _LayerDict()
        self.layers = _LayerDict()
        self.neuron_layers: dict[Any, nengo.Ensemble] = {}
        self._bias_node = None
        self._state_rng = np.random.RandomState(seed)
        self.net = nengo.Network(label=label or model.name, seed=seed)
        with self.net:
            self._convert_graph()

    # ------------------------------------------------------------------ registry
    @classmethod
    def register(cls, keras_layer_cls: type) -> Callable[[type], type]:
        """Class decorator registering a `LayerConverter` for ``keras_layer_cls``.

        Stack several decorators to register one converter for several classes.
        Lookup walks the layer class's MRO, so subclasses inherit converters.
        """

        def decorator(converter_cls):
            cls.converters[keras_layer_cls] = converter_cls
            return converter_cls

        return decorator

    def get_converter(self, layer) -> LayerConverter:
        """Return the converter instance for ``layer`` (raises if there is none)."""
        for klass in type(layer).__mro__:
            if klass in self.converters:
                layer_converter = self.converters[klass](layer, self)
                layer_converter.check()
                return layer_converter
        supported = ", ".join(sorted({k.__name__ for k in self.converters}))
        raise ConversionError(
            f"Cannot convert layer '{layer.name}' ({type(layer).__name__}): no converter "
            f"is registered for this layer type. Options: use supported layers "
            f"({supported}), or register a converter with "
            f"`@nbsnn.convert.Converter.register({type(layer).__name__})`."
        )

    # ------------------------------------------------------------------ graph walk
    def _convert_graph(self):
        import keras

        model = self.model
        graph = getattr(model, "_functional", None) if isinstance(
            model, keras.Sequential
        ) else model
        if graph is None or not hasattr(graph, "_nodes_by_depth"):
            raise ConversionError(
                f"Cannot convert model '{model.name}': it has no functional graph. "
                f"Options: give the model an input shape (keras.Input(...) as first "
                f"layer) and call it once, or build it with the functional API."
            )
        tensors: dict[int, Tensor] = {}
        by_depth = graph._nodes_by_depth
        for depth in sorted(by_depth, reverse=True):
            for node in by_depth[depth]:
                layer = node.operation
                if isinstance(layer, keras.Model):
                    raise ConversionError(
                        f"Cannot convert layer '{layer.name}': nested models are not "
                        f"supported. Options: flatten the model so its layers are "
                        f"called directly."
                    )
                out_shape = tuple(node.output_tensors[0].shape[1:])
                if isinstance(layer, keras.layers.InputLayer):
                    node_obj = nengo.Node(
                        size_in=0,
                        size_out=self.minibatch_size * int(np.prod(out_shape)),
                        output=np.zeros(self.minibatch_size * int(np.prod(out_shape))),
                        label=layer.name,
                    )
                    out = Tensor(node_obj, out_shape)
                    self.inputs[layer] = node_obj
                else:
                    ins = [tensors[id(t)] for t in node.input_tensors]
                    out = self.get_converter(layer).convert(ins, out_shape)
                for t in node.output_tensors:
                    tensors[id(t)] = out
                self.layers[layer] = out.obj
        for t in graph.outputs:
            layer = t._keras_history.operation
            tensor = tensors[id(t)]
            if tensor.gain is not None:  # apply the gain in a pass-through Node
                node = nengo.Node(size_in=tensor.obj.size_out, label=f"{layer.name}_out")
                self.connect(tensor, node, None)
                tensor = Tensor(node, tensor.shape)
            self.outputs[layer] = nengo.Probe(
                tensor.obj, synapse=None, label=f"{layer.name}_probe"
            )

    # ------------------------------------------------------------------ helpers
    def neuron_type_for(self, activation, layer, default=None
                        ) -> nengo.neurons.NeuronType | None:
        """Return the neuron type for a Keras activation (``None`` for linear).

        Applies ``swap_activations`` (by activation name, then by the neuron type it
        would otherwise be); raises a `ConversionError` naming ``layer`` for
        activations with no Nengo equivalent. ``default`` gives the neuron type for
        an activation the converter does not know by name (e.g. ``"qcfs"``).
        """
        name = activation_name(activation)
        for key, value in self.swap_activations.items():
            if not isinstance(key, nengo.neurons.NeuronType) and activation_name(key) == name:
                return value
        neuron_type = default or default_neuron_type(activation, layer)
        for key, value in self.swap_activations.items():
            if isinstance(key, nengo.neurons.NeuronType) and key == neuron_type:
                return value
        return neuron_type

    def scale_for(self, layer) -> float:
        """Firing-rate scale factor of ``layer`` (1 where none is given)."""
        scale = self.scale_firing_rates
        if scale is None:
            return 1.0
        if isinstance(scale, Mapping):
            return float(scale.get(layer, scale.get(getattr(layer, "name", None), 1.0)))
        return float(scale)

    def block_diag(self, matrix):
        """Replicate a single-sample matrix ``minibatch_size`` times on the diagonal."""
        B = self.minibatch_size
        matrix = scipy.sparse.csr_matrix(matrix)
        return scipy.sparse.kron(scipy.sparse.identity(B, format="csr"), matrix).tocsr()

    def _transform(self, linear: LinearMap, scale, gain=None):
        if np.ndim(scale) > 0 or gain is not None:
            return self._vector_transform(linear, scale, gain)
        if self.minibatch_size == 1 and linear.transform is not None:
            return linear.transform if scale == 1 else _scaled(linear.transform, scale)
        matrix = linear.matrix
        if self.minibatch_size == 1 and not scipy.sparse.issparse(matrix):
            return np.asarray(matrix) * scale
        sparse = self.block_diag(matrix) * scale
        sparse.eliminate_zeros()
        return nengo.transforms.Sparse(sparse.shape, init=scipy.sparse.csr_matrix(sparse))

    def _vector_transform(self, linear: LinearMap, scale, gain):
        """``diag(scale) @ linear.matrix @ diag(gain)`` for every sample (matrix form)."""
        matrix = linear.matrix
        if scipy.sparse.issparse(matrix):
            matrix = scipy.sparse.csr_matrix(matrix)
            if gain is not None:
                matrix = matrix.multiply(np.asarray(gain)[None, :]).tocsr()
            matrix = scipy.sparse.csr_matrix(matrix.multiply(np.reshape(scale, (-1, 1))))
        else:
            matrix = np.asarray(matrix) * np.reshape(scale, (-1, 1))
            if gain is not None:
                matrix = matrix * np.asarray(gain)[None, :]
        return self._transform(LinearMap(matrix), 1.0)

    def connect(self, pre: Tensor, post, linear: LinearMap | None, scale=1.0):
        """Connect ``pre`` into ``post`` through ``linear`` (identity if ``None``).

        ``scale`` multiplies the result: a number, or a vector with one factor per
        value of one output sample. ``pre.gain`` multiplies the input.
        """
        synapse = self.synapse if pre.is_neurons else None
        if linear is None:
            transform = scale if pre.gain is None else scale * np.asarray(pre.gain)
            if np.ndim(transform) > 0:
                transform = np.tile(np.broadcast_to(transform, (pre.size,)),
                                    self.minibatch_size)
        else:
            transform = self._transform(linear, scale, pre.gain)
        return nengo.Connection(pre.obj, post, transform=transform, synapse=synapse)

    def add_layer(
        self,
        layer,
        inputs: list[tuple[Tensor, LinearMap | None]],
        output_shape: tuple[int, ...],
        bias=None,
        activation=None,
    ) -> Tensor:
        """Create a layer computing ``activation(sum(linear_i(input_i)) + bias)``.

        Parameters
        ----------
        layer : keras.layers.Layer
            The layer being converted (for names, scale lookup and errors).
        inputs : list of (Tensor, LinearMap or None)
            Each input with its linear map (``None`` means identity).
        output_shape : tuple of int
            Shape of one output sample.
        bias : array_like, optional
            Bias added before the activation, broadcastable to ``output_shape``.
        activation : callable or str, optional
            Keras activation; linear/None gives a pass-through Node.
        """
        n = int(np.prod(output_shape))
        B = self.minibatch_size
        neuron_type = self.neuron_type_for(activation, layer)
        if bias is not None:
            bias = np.broadcast_to(np.asarray(bias, dtype=float), output_shape).reshape(-1)
        if neuron_type is not None:
            scale = self.scale_for(layer)
            return self.add_neurons(
                layer, inputs, output_shape, _with_amplitude(neuron_type, 1.0 / scale),
                bias=bias, input_scale=scale)
        post = nengo.Node(size_in=B * n, label=layer.name)
        if bias is not None and np.any(bias != 0):
            nengo.Connection(
                self.bias_node, post, transform=np.tile(bias, B)[:, None], synapse=None
            )
        for tensor, linear in inputs:
            self.connect(tensor, post, linear)
        return Tensor(post, output_shape)

    def add_neurons(self, layer, inputs, output_shape, neuron_type, bias=None,
                    input_scale=1.0, output_gain=None) -> Tensor:
        """Create the neuron population of ``layer`` and connect its inputs.

        The neurons receive ``input_scale * (sum(linear_i(input_i)) + bias)``;
        ``input_scale`` is a number or a vector over one sample's values, and
        ``output_gain`` (same form, optional) becomes the returned tensor's ``gain``.
        """
        n = int(np.prod(output_shape))
        B = self.minibatch_size
        input_scale = (np.broadcast_to(input_scale, (n,)) if np.ndim(input_scale)
                       else float(input_scale))
        ens = nengo.Ensemble(
            B * n,
            1,
            neuron_type=self._shared_state(neuron_type, n),
            gain=np.ones(B * n),
            bias=np.zeros(B * n) if bias is None else np.tile(bias * input_scale, B),
            # only .neurons is connected: skip sampling encoders and eval points
            encoders=np.ones((B * n, 1)),
            eval_points=np.zeros((1, 1)),
            label=layer.name,
        )
        self.neuron_layers[layer] = ens
        for tensor, linear in inputs:
            self.connect(tensor, ens.neurons, linear, input_scale)
        gain = None if output_gain is None else np.broadcast_to(output_gain, (n,)).copy()
        return Tensor(ens.neurons, output_shape, gain)

    def _shared_state(self, neuron_type, n):
        """Draw the initial state of ``n`` neurons once and repeat it for every sample."""
        if not neuron_type.state:
            return neuron_type
        state = neuron_type.make_state(n, rng=self._state_rng)
        return _replace(neuron_type, initial_state={
            name: np.tile(value, self.minibatch_size) for name, value in state.items()})

    @property
    def bias_node(self) -> nengo.Node:
        """A constant Node with output 1 feeding the biases of linear layers."""
        if self._bias_node is None:
            self._bias_node = nengo.Node([1.0], label="bias")
        return self._bias_node

    # ------------------------------------------------------------------ checking
    def verify(self, x, rtol=1e-5, atol=1e-5, simulator=None) -> bool:
        """Check that the converted rate network matches ``model.predict(x)``.

        Runs one step per minibatch of ``x`` (with ``synapse`` and spiking neurons the
        outputs differ from Keras by design, so verify a converter made without swaps).

        Parameters
        ----------
        x : ndarray
            Input data for the (single) model input, shape ``(n, *input_shape)``.
        rtol, atol : float
            Tolerances passed to `numpy.allclose`.
        simulator : class, optional
            Simulator class; `nbsnn.Simulator` by default.

        Returns
        -------
        bool
            ``True`` if every output matches; raises `ConversionError` otherwise.
        """
        if len(self.inputs) != 1 or len(self.outputs) != 1:
            raise ConversionError("verify() supports models with one input and one output")
        x = np.asarray(x)
        keras_out = np.concatenate([np.asarray(self.model(x[i:i + 256], training=False))
                                    for i in range(0, len(x), 256)])
        out = run_batches(self, x, n_steps=1, simulator=simulator)["output"][:, -1]
        keras_out = keras_out.reshape(out.shape)
        if not np.allclose(out, keras_out, rtol=rtol, atol=atol):
            err = np.max(np.abs(out - keras_out))
            raise ConversionError(
                f"Converted network differs from model.predict (max abs error {err:.3g})."
                f" Options: remove swap_activations/synapse before verifying, or report "
                f"the model as a converter bug."
            )
        return True
