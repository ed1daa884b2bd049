"""Cells shared by the tests: the issue's example, three NEF networks, every construct."""
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

CONSTRUCTS = """\
tau = 100ms
gain = 2.5
stim = input sin(2*pi*t) label="Input A"
inhib = input step(0, 1, at=0.2s)
a = ensemble 30 LIF encoders=choice([1], [-1]) label="the A"
b = ensemble 40 LIF dims=2 encoders=choice([1, 1], [1, -1], [-1, 1], [-1, -1])
c = ensemble 20 LIF
sum = input passthrough(dims=2)
arr = 2 x ensemble 20 LIF
bg = BasalGanglia(dims=3)
prod = Product(50, dims=1)
integ = Integrator(tau, 50, 1)
osc = Oscillator(recurrent_tau=tau, frequency=1Hz, n_neurons=100)
stim -> a synapse=tau
inhib -> a.neurons transform=-gain
inhib -> c inhibit=3
inhib -> arr inhibit=2
a -> sum[0]
sum -> b
b -> c : (x[0] * gain +
          x[1])    solver=LstsqL2(weights=True)
a -> arr : [x, x]
arr -> c : x**2 transform=[[1, 1]]
b -> bg.input : [x[0], x[1], 0]
bg.output -> prod.input_a transform=[[1, 0, 0]]
a -> prod.input_b
prod.output -> integ.input
integ.output -> osc.input : [x, 0]
lab = c -> c synapse=tau label="recurrent"
probe osc synapse=10ms
probe bg.output label="bg out"
probe arr.neurons spikes
f = ensemble 4 LIF dims=2 encoders=[[1, 0], [0, 1], [-1, 0], [0, -1]] intercepts=uniform(0.1, 0.5)
g = ensemble 10 LIF rates=choice(50, 100)
f -> g : x[0] solver=Nnls()
"""
