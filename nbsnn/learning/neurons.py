"""Neuron types for competitive learning."""

import nengo
import numpy as np
from nengo.dists import Choice, Uniform
from nengo.params import NumberParam

__all__ = ["AdaptiveThresholdLIF"]


class AdaptiveThresholdLIF(nengo.LIF):
    """LIF neurons whose threshold rises with each spike (Diehl & Cook's theta).

    A neuron spikes when its voltage exceeds ``1 + theta``; each spike adds
    ``inc_theta`` to its ``theta``, which decays towards 0 with time constant
    ``tau_theta``. Otherwise as `nengo.LIF`, except that a spike starts a refractory
    period of exactly ``tau_ref`` (no sub-step spike time).

    Parameters
    ----------
    tau_theta : float
        Time constant (s) of the threshold's decay (Diehl & Cook: 1e4 s).
    inc_theta : float
        Threshold increase per spike, in units of the threshold (1).
    """

    state = {"voltage": Uniform(low=0, high=1), "refractory_time": Choice([0]),
             "theta": Choice([0])}

    tau_theta = NumberParam("tau_theta", low=0, low_open=True, default=1e4, readonly=True)
    inc_theta = NumberParam("inc_theta", low=0, default=0.05, readonly=True)

    def __init__(self, tau_rc=0.02, tau_ref=0.002, min_voltage=0, amplitude=1,
                 tau_theta=1e4, inc_theta=0.05, initial_state=None):
        super().__init__(tau_rc=tau_rc, tau_ref=tau_ref, min_voltage=min_voltage,
                         amplitude=amplitude, initial_state=initial_state)
        self.tau_theta = tau_theta
        self.inc_theta = inc_theta

    def step(self, dt, J, output, voltage, refractory_time, theta):
        refractory_time -= dt
        delta_t = (dt - refractory_time).clip(0, dt)
        voltage -= (J - voltage) * np.expm1(-delta_t / self.tau_rc)
        spiked = voltage > 1 + theta
        output[:] = spiked * (self.amplitude / dt)
        voltage[voltage < self.min_voltage] = self.min_voltage
        voltage[spiked] = 0
        refractory_time[spiked] = self.tau_ref
        theta -= theta * (dt / self.tau_theta)
        theta[spiked] += self.inc_theta
