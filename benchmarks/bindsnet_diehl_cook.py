"""BindsNET 0.3.4's Diehl & Cook (2015) model on scikit-learn's digits, timed.

The peer side of ``bench_learning.py``, run in a separate environment with PyTorch
(CPU) and BindsNET, which must not enter nbsnn's own environment::

    /work/bindsnetenv/bin/python benchmarks/bindsnet_diehl_cook.py N_EXC N_SAMPLES [NORM]
    /work/bindsnetenv/bin/python benchmarks/bindsnet_diehl_cook.py accuracy N_EXC N_TRAIN N_TEST

Prints one JSON line: examples/s over ``N_SAMPLES`` training samples after one
warm-up sample and the mean excitatory spikes per sample; or the test accuracy. Same
protocol as nbsnn's side: digits / 16, Poisson spikes up to 63.75 Hz for 350 ms, then
150 ms of silence, dt = 1 ms, learning on (BindsNET's ``PostPre`` with the model's
defaults), no state reset. ``NORM`` (default 32, i.e. 0.5 per input; the MNIST model's
78.4 is 0.1 per input for 784 brighter inputs) gives ~18 excitatory spikes per sample,
as nbsnn's network fires.
"""

import json
import sys
import time

import numpy as np
import torch

# The registry's torchvision wheels are built against CUDA torch: their operator
# library does not load with the CPU build, and torchvision (imported by BindsNET)
# then fails registering fake kernels for two operators it never defined. Declaring
# the two schemas lets it import; nothing here uses torchvision's operators.
for _op in ("nms", "qnms"):
    torch.library.define(f"torchvision::{_op}",
                         "(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")

from bindsnet.encoding import poisson
from bindsnet.models import DiehlAndCook2015
from bindsnet.network.monitors import Monitor
from sklearn.datasets import load_digits

T, R = 350, 150


def build(n_exc, norm):
    net = DiehlAndCook2015(n_inpt=64, n_neurons=n_exc, exc=22.5, inh=17.5, dt=1.0,
                           norm=norm, theta_plus=0.05, inpt_shape=(1, 8, 8))
    monitor = Monitor(net.layers["Ae"], ["s"], time=T + R)
    net.add_monitor(monitor, name="Ae_spikes")

    def present(x):
        """Present one image; returns each excitatory neuron's spike count."""
        s = poisson(torch.tensor(x * 63.75, dtype=torch.float), time=T, dt=1.0)
        s = torch.cat([s, torch.zeros(R, 64, dtype=s.dtype)]).view(T + R, 1, 1, 8, 8)
        net.run(inputs={"X": s}, time=T + R)
        return monitor.get("s")[:T].sum(dim=0).view(-1).numpy().astype(float)

    return net, present


def main(n_exc, n_samples, norm=32.0):
    torch.manual_seed(0)
    X = load_digits().data / 16.0
    _, present = build(n_exc, norm)
    present(X[0])  # warm-up
    t0 = time.perf_counter()
    spikes = [present(X[k]).sum() for k in range(1, n_samples + 1)]
    elapsed = time.perf_counter() - t0
    print(json.dumps({"examples_per_s": n_samples / elapsed, "threads": torch.get_num_threads(),
                      "spikes_per_sample": float(np.mean(spikes)),
                      "torch": torch.__version__}))


def accuracy(n_exc, n_train, n_test, norm=32.0):
    """Train, freeze, assign labels from activity and classify (as nbsnn's side)."""
    torch.manual_seed(0)
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    order = np.random.RandomState(0).permutation(len(X))
    train, test = order[:n_train], order[-n_test:]
    net, present = build(n_exc, norm)
    for k in train:
        present(X[k])
    net.train(False)  # no learning, thresholds fixed
    counts = np.array([present(X[k]) for k in train])
    means = np.array([counts[y[train] == c].mean(axis=0) for c in range(10)])
    assignments = means.argmax(axis=0)
    test_counts = np.array([present(X[k]) for k in test])
    votes = np.array([test_counts[:, assignments == c].mean(axis=1)
                      if (assignments == c).any() else np.zeros(n_test) for c in range(10)])
    print(json.dumps({"accuracy": float((votes.argmax(axis=0) == y[test]).mean())}))


if __name__ == "__main__":
    if sys.argv[1] == "accuracy":
        accuracy(*map(int, sys.argv[2:5]))
    else:
        main(int(sys.argv[1]), int(sys.argv[2]), *map(float, sys.argv[3:4]))
