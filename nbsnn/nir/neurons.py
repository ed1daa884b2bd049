"""Nengo neuron types for NIR's neuron primitives (I, IF, LI, LIF, CubaLI, CubaLIF,
Threshold), with a NumPy ``step`` (so `nengo.Simulator` runs them) and a compiled
kernel (`nbsnn.kernels.nir_neurons`).

NIR's equations are continuous-time; each step is one forward-Euler step of ``dt``,
the discretisation snnTorch and Norse use (see ``docs/nir.md``)::

    current += (dt / tau_syn) * (w_in * J - current)          # Cuba types only
    voltage += (dt / tau) * ((v_leak - voltage) + r * x)      # leaky types
    voltage += dt * (r * x)                                   # I, IF
    spike = voltage > v_threshold; voltage = v_reset where spiking

where ``x`` is ``current`` (Cuba types) or the input ``J``. Spiking types output
``amplitude / dt`` per spike (so ``amplitude=dt`` gives NIR's unit spikes, the
default of `nbsnn.nir.load`); the others output ``voltage``. Parameters are arrays
with one value per neuron (or scalars, broadcast). There is no refractory period.
"""

import numpy as np
from nengo.dists import Choice
from nengo.neurons import NeuronType
from nengo.params import NdarrayParam, NumberParam

__all__ = [
    "NIRNeuron", "NIRIntegrator", "NIRIF", "NIRLI", "NIRLIF", "NIRCubaLI",
    "NIRCubaLIF", "NIRThreshold",
]

#: Parameter names in the kernel's order (after ``amplitude``), with the values
#: used by types that lack them.
PARAMS = {"tau_syn": 1.0, "w_in": 1.0, "tau": 1.0, "r": 1.0, "v_leak": 0.0,
          "v_threshold": 0.0, "v_reset": 0.0}


class NIRNeuron(NeuronType):
    """Base class: the three class attributes select the dynamics.

    ``integration``: 0 (none; ``Threshold`` compares ``J`` itself), 1 (perfect
    integrator) or 2 (leaky integrator); ``synaptic``: a current-based synapse
    before the membrane; ``spiking``: threshold and reset (else the output is the
    voltage).
    """

    integration = 2
    synaptic = False
    spiking = False

    tau_syn = NdarrayParam("tau_syn", shape="*")
    w_in = NdarrayParam("w_in", shape="*")
    tau = NdarrayParam("tau", shape="*")
    r = NdarrayParam("r", shape="*")
    v_leak = NdarrayParam("v_leak", shape="*")
    v_threshold = NdarrayParam("v_threshold", shape="*")
    v_reset = NdarrayParam("v_reset", shape="*")
    amplitude = NumberParam("amplitude", low=0, low_open=True)

    def __init__(self, amplitude=1.0, initial_state=None, **params):
        super().__init__(initial_state=initial_state)
        self.amplitude = amplitude
        for name, default in PARAMS.items():
            setattr(self, name, np.atleast_1d(np.asarray(params.pop(name, default),
                                                         dtype=float)).ravel())
        if params:
            raise TypeError(f"{type(self).__name__} got unexpected parameters {sorted(params)}")

    @property
    def state(self):
        names = (["voltage"] if self.integration else []) + (
            ["current"] if self.synaptic else [])
        return {name: Choice([0.0]) for name in names}

    def params(self, n):
        """The parameters broadcast to ``n`` neurons, in the kernel's order."""
        try:
            return {name: np.broadcast_to(getattr(self, name), n) for name in PARAMS}
        except ValueError:
            sizes = {name: getattr(self, name).size for name in PARAMS}
            raise ValueError(f"{type(self).__name__} has parameters of sizes {sizes} "
                             f"for {n} neurons") from None

    def max_rates_intercepts(self, gain, bias):
        """Not defined for these types (no rate curve): NaN, so that nengo's ensemble
        builder, which asks for them when gains and biases are given, can go on."""
        nan = np.full(np.shape(gain), np.nan)
        return nan, nan.copy()

    def gain_bias(self, max_rates, intercepts):
        raise ValueError(f"{type(self).__name__} has no rate curve to derive gains from: "
                         f"give the Ensemble gain= and bias= (nbsnn.nir.load uses 1 and 0)")

    def rates(self, x, gain, bias, dt=0.001, duration=1.0):
        """Mean output over ``duration`` of constant input (simulated: these types
        have no closed-form rate curve)."""
        J = self.current(x, gain, bias)
        state = {name: np.zeros_like(J) for name in self.state}
        out, total = np.zeros_like(J), np.zeros_like(J)
        steps = max(1, int(round(duration / dt)))
        for _ in range(steps):
            self.step(dt, J, out, **state)
            total += out
        return total / steps

    def step(self, dt, J, output, voltage=None, current=None):
        p = self.params(J.shape[-1])
        x = J
        if self.synaptic:
            current += (dt / p["tau_syn"]) * (p["w_in"] * J - current)
            x = current
        if self.integration == 0:
            v = x
        elif self.integration == 1:
            voltage += dt * (p["r"] * x)
            v = voltage
        else:
            voltage += (dt / p["tau"]) * ((p["v_leak"] - voltage) + p["r"] * x)
            v = voltage
        if self.spiking:
            spiked = v > p["v_threshold"]
            output[...] = spiked * (self.amplitude / dt)
            if self.integration:
                voltage[...] = np.where(spiked, p["v_reset"], voltage)
        else:
            output[...] = v


class NIRIntegrator(NIRNeuron):
    """NIR ``I``: ``dv/dt = r * J``; outputs ``v``."""

    integration = 1

    def __init__(self, r=1.0, **kwargs):
        super().__init__(r=r, **kwargs)


class NIRIF(NIRNeuron):
    """NIR ``IF``: ``dv/dt = r * J``; spikes when ``v > v_threshold``, then ``v = v_reset``."""

    integration, spiking = 1, True

    def __init__(self, r=1.0, v_threshold=1.0, v_reset=0.0, **kwargs):
        super().__init__(r=r, v_threshold=v_threshold, v_reset=v_reset, **kwargs)


class NIRLI(NIRNeuron):
    """NIR ``LI``: ``tau dv/dt = (v_leak - v) + r * J``; outputs ``v``."""

    def __init__(self, tau=0.02, r=1.0, v_leak=0.0, **kwargs):
        super().__init__(tau=tau, r=r, v_leak=v_leak, **kwargs)


class NIRLIF(NIRNeuron):
    """NIR ``LIF``: `NIRLI` dynamics, spiking when ``v > v_threshold``, then ``v = v_reset``."""

    spiking = True

    def __init__(self, tau=0.02, r=1.0, v_leak=0.0, v_threshold=1.0, v_reset=0.0,
                 **kwargs):
        super().__init__(tau=tau, r=r, v_leak=v_leak, v_threshold=v_threshold,
                         v_reset=v_reset, **kwargs)


class NIRCubaLI(NIRNeuron):
    """NIR ``CubaLI``: ``tau_syn dI/dt = -I + w_in J`` feeding `NIRLI` dynamics."""

    synaptic = True

    def __init__(self, tau_syn=0.005, tau_mem=0.02, r=1.0, v_leak=0.0, w_in=1.0,
                 **kwargs):
        super().__init__(tau_syn=tau_syn, tau=tau_mem, r=r, v_leak=v_leak, w_in=w_in,
                         **kwargs)


class NIRCubaLIF(NIRNeuron):
    """NIR ``CubaLIF``: ``tau_syn dI/dt = -I + w_in J`` feeding `NIRLIF` dynamics."""

    synaptic, spiking = True, True

    def __init__(self, tau_syn=0.005, tau_mem=0.02, r=1.0, v_leak=0.0, v_threshold=1.0,
                 v_reset=0.0, w_in=1.0, **kwargs):
        super().__init__(tau_syn=tau_syn, tau=tau_mem, r=r, v_leak=v_leak,
                         v_threshold=v_threshold, v_reset=v_reset, w_in=w_in, **kwargs)


class NIRThreshold(NIRNeuron):
    """NIR ``Threshold``: a spike (``amplitude / dt``) in every step with ``J > threshold``."""

    integration, spiking = 0, True

    def __init__(self, threshold=0.0, **kwargs):
        super().__init__(v_threshold=threshold, **kwargs)
