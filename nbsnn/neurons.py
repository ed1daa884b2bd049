"""Neuron types nbsnn adds to Nengo's, each with a compiled kernel in `nbsnn.kernels`.

`IntegrateAndFire` is the integrate-and-fire neuron of the ANN-to-SNN conversion
literature (reset by subtraction, at most one spike per step, a membrane that may
go negative), which `nengo.SpikingRectifiedLinear` is not: that one rectifies its
input current and may emit several spikes in one step. `QCFSRate` is its rate
counterpart over a window of ``levels`` steps: the quantisation-clip-floor-shift
activation of Bu et al. (ICLR 2022), so a network trained with
`nbsnn.convert.QCFS` layers converts exactly to rate neurons and, swapping in
`IntegrateAndFire`, to spiking ones.
"""

from __future__ import annotations

import numpy as np
from nengo.dists import Choice
from nengo.neurons import NeuronType, RectifiedLinear
from nengo.params import IntParam, NumberParam

__all__ = ["IntegrateAndFire", "QCFSRate"]


class IntegrateAndFire(NeuronType):
    """Integrate-and-fire neuron with reset by subtraction and threshold 1.

    Each step, ``voltage += J * dt``; if ``voltage >= 1`` the neuron emits one spike
    (output ``amplitude / dt``) and ``voltage -= 1``. The input is not rectified, so
    negative input lowers the voltage below 0 and cancels earlier excess, and there
    is at most one spike per step (rates saturate at ``1 / dt``).

    With constant input ``J`` and initial voltage ``v0`` the spike count after ``T``
    steps is ``clip(floor(T * J * dt + v0), 0, T)``; with ``T = levels`` and
    ``v0 = shift`` that is ``levels`` times the `QCFSRate` output over ``amplitude
    / dt``.

    Parameters
    ----------
    amplitude : float
        Output of a spike times ``dt`` (so ``output / amplitude`` reads in Hz).
    initial_state : dict, optional
        Initial ``voltage``; the default is 0.5, half the threshold (Bu et al.).
    """

    state = {"voltage": Choice([0.5])}
    spiking = True
    negative = False

    amplitude = NumberParam("amplitude", low=0, low_open=True)

    def __init__(self, amplitude=1.0, initial_state=None):
        super().__init__(initial_state)
        self.amplitude = amplitude

    def rates(self, x, gain, bias):
        """Rectified-linear rates (the ``1 / dt`` saturation is not modelled)."""
        J = self.current(x, gain, bias)
        out = np.zeros_like(J)
        RectifiedLinear.step(self, dt=1.0, J=J, output=out)
        return out

    def step(self, dt, J, output, voltage):
        """Integrate, fire at most once, subtract the threshold."""
        voltage += J * dt
        spiked = voltage >= 1
        output[:] = (self.amplitude / dt) * spiked
        voltage -= spiked


class QCFSRate(NeuronType):
    """Quantised, clipped, floored and shifted rectified-linear rate neuron.

    ``output = (amplitude / dt) * clip(floor(levels * J * dt + shift), 0, levels) /
    levels``: the mean rate (times ``amplitude``) of an `IntegrateAndFire` neuron
    with initial voltage ``shift`` fed the constant input ``J`` for ``levels`` steps.
    With ``J = x / (threshold * dt)`` and ``amplitude = dt`` the output times
    ``threshold`` is Bu et al.'s QCFS activation of ``x``.

    Parameters
    ----------
    levels : int
        Quantisation levels L (steps of the matching spiking window).
    shift : float
        Added before the floor (0.5 is Bu et al.'s optimum).
    amplitude : float
        Output scale.
    """

    negative = False

    levels = IntParam("levels", low=1)
    shift = NumberParam("shift")
    amplitude = NumberParam("amplitude", low=0, low_open=True)

    def __init__(self, levels=8, shift=0.5, amplitude=1.0, initial_state=None):
        super().__init__(initial_state)
        self.levels = levels
        self.shift = shift
        self.amplitude = amplitude

    def step(self, dt, J, output):
        """Quantise, clip and scale the input."""
        q = np.clip(np.floor(J * dt * self.levels + self.shift), 0, self.levels)
        output[:] = (self.amplitude / dt) * (q / self.levels)
