"""Train a small snnTorch classifier on scikit-learn's digits and write it to NIR.

Run in a virtualenv with torch, snntorch, nirtorch and nir (not nbsnn's CI; see
docs/nir.md):  python tests/nir/data/make_snntorch.py

Writes, beside this script:
  snntorch_digits.nir  the graph (snntorch.export_to_nir)
  snntorch_digits.npz  the test inputs, labels, snnTorch's output spikes per step
                       and accuracy, and the versions used
"""

from pathlib import Path

import nir
import numpy as np
import snntorch as snn
import snntorch.utils
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from snntorch.export_nir import export_to_nir

HERE = Path(__file__).parent
STEPS, HIDDEN, EPOCHS = 20, 48, 30
torch.manual_seed(0)
torch.set_num_threads(1)


def leaky(n, output=False):
    # reset to zero at once (reset_delay=False) is NIR's LIF; one beta and one
    # threshold per neuron so the exported parameters have the layer's shape
    return snn.Leaky(beta=torch.full((n,), 0.9), threshold=torch.ones(n), learn_beta=True,
                     reset_mechanism="zero", reset_delay=False, init_hidden=True,
                     output=output)


net = torch.nn.Sequential(torch.nn.Linear(64, HIDDEN), leaky(HIDDEN),
                          torch.nn.Linear(HIDDEN, 10), leaky(10, output=True))


def forward(x):
    """Output spikes, shape (steps, batch, 10); the image is a constant input current."""
    snn.utils.reset(net)
    spikes = []
    for _ in range(STEPS):
        spk, _ = net(x)
        spikes.append(spk)
    return torch.stack(spikes)


digits = load_digits()
x = (digits.data / 16.0).astype(np.float32)
x_train, x_test, y_train, y_test = train_test_split(x, digits.target, test_size=0.2,
                                                    random_state=0, stratify=digits.target)
xt, yt = torch.tensor(x_train), torch.tensor(y_train)
opt = torch.optim.Adam(net.parameters(), lr=5e-3)
for epoch in range(EPOCHS):
    perm = torch.randperm(len(xt))
    for i in range(0, len(xt), 128):
        idx = perm[i:i + 128]
        loss = torch.nn.functional.cross_entropy(forward(xt[idx]).sum(0), yt[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        with torch.no_grad():  # snnTorch clamps beta to [0, 1] when it runs but
            for m in net:      # exports it unclamped, and beta = 1 exports as
                if isinstance(m, snn.Leaky):  # tau = r = inf: keep it inside
                    m.beta.clamp_(0, 0.995)
    print(f"epoch {epoch}: loss {loss.item():.3f}", flush=True)

with torch.no_grad():
    spikes = forward(torch.tensor(x_test)).numpy()  # (steps, n, 10)
counts = spikes.sum(0)
accuracy = float(np.mean(counts.argmax(1) == y_test))
print(f"snnTorch test accuracy {accuracy:.4f}")

graph = export_to_nir(net, torch.zeros(1, 64), ignore_dims=[0])
nir.write(HERE / "snntorch_digits.nir", graph)
np.savez_compressed(
    HERE / "snntorch_digits.npz", x_test=x_test, y_test=y_test,
    spikes=spikes.transpose(1, 0, 2).astype(np.uint8), accuracy=accuracy, steps=STEPS,
    versions=f"torch {torch.__version__}, snntorch {snn.__version__}, nir {nir.__version__}")
print(graph.nodes.keys(), graph.edges)
