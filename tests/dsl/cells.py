"""Cells shared by the tests: the issue's example and the three NEF networks."""
# ruff: noqa: E501  (the issue example is kept verbatim)

ISSUE_EXAMPLE = """\
stim = input step(-1, 0.5, every=0.5s)        # or sin(2*pi*t), constant 0.3, slider(-1, 1), white(5Hz)
a = ensemble 150 LIF rates=40..60
b = ensemble 100 LIF rates=40..60
stim -> a
a -> b : x**2   synapse=5ms
b -> b           synapse=100ms              # recurrent
probe b synapse=10ms
"""

CHANNEL = """\
stim = input 0.5
a = ensemble 100 LIF
b = ensemble 100 LIF
stim -> a
a -> b
probe b synapse=10ms
"""

SQUARING = """\
stim = input -0.6
a = ensemble 200 LIF
b = ensemble 200 LIF
stim -> a
a -> b : x**2
probe b synapse=10ms
"""

INTEGRATOR = """\
stim = input piecewise(0: 1, 0.3s: 0)
a = ensemble 200 LIF
stim -> a transform=0.1 synapse=100ms
a -> a synapse=100ms
probe a synapse=10ms
"""

EVERYTHING = """\
stim = input step(-1, 0.5, every=0.5s)
wave = input sin(2*pi*t) + 0.1
pair = input [sin(t), cos(t)]
noise = input white(5Hz, rms=0.3, seed=3)
knob = input slider(-1, 1, value=0.25)
hold = input constant 0.3
jumps = input step(0, 1, at=0.2s)
a = ensemble 150 LIF rates=40..60 intercepts=-0.5..0.5 radius=2 seed=1
b = ensemble 100 LIFRate dims=2
c = ensemble 50 Izhikevich
d = ensemble 60 LIF(tau_rc=30ms, tau_ref=1ms)
r = ensemble 40 ReLU rates=100
arr = 3 x ensemble 30 LIF
sub = network:
    inner = ensemble 40 LIF
    a -> inner : -x synapse=alpha(10ms)
    probe inner
stim -> a
pair -> b
a -> b[0] : x**2 synapse=none
b -> c : x[0] * x[1]
a -> arr transform=[[1], [0.5], [-1]]
arr[1:3] -> b
a.neurons -> d.neurons weights=-0.01..0.01
err = ensemble 50 LIF
c -> err
learned = a -> c : 0 learn=pes(err, rate=2e-4)
probe learned weights sample_every=10ms
probe b synapse=10ms
probe a spikes
probe c voltage
probe b rates
probe arr
spy = probe sub.inner synapse=5ms
"""
