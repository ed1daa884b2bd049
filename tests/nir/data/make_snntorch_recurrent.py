"""Write an (untrained) recurrent snnTorch network to NIR, with snnTorch's outputs.

Run in a virtualenv with torch, snntorch, nirtorch and nir (see docs/nir.md):
python tests/nir/data/make_snntorch_recurrent.py

Writes snntorch_recurrent.nir (Linear -> Synaptic (NIR CubaLIF) -> Linear -> RLeaky
(a subgraph: LIF with a recurrent Affine) -> Linear -> Leaky) and
snntorch_recurrent.npz (input (steps, 10), snnTorch's output spikes, versions).
"""

from pathlib import Path

import nir
import numpy as np
import snntorch as snn
import snntorch.utils
import torch
from snntorch.export_nir import export_to_nir

HERE = Path(__file__).parent
STEPS = 200
torch.manual_seed(2)
torch.set_num_threads(1)


def per_neuron(n, value):
    return torch.full((n,), value)


net = torch.nn.Sequential(
    torch.nn.Linear(10, 16),
    snn.Synaptic(alpha=per_neuron(16, 0.8), beta=per_neuron(16, 0.9),
                 threshold=per_neuron(16, 1.0), reset_mechanism="zero", reset_delay=False,
                 init_hidden=True),
    torch.nn.Linear(16, 12),
    snn.RLeaky(beta=per_neuron(12, 0.85), threshold=per_neuron(12, 1.0), linear_features=12,
               reset_mechanism="zero", reset_delay=False, init_hidden=True),
    torch.nn.Linear(12, 5),
    snn.Leaky(beta=per_neuron(5, 0.9), threshold=per_neuron(5, 1.0), reset_mechanism="zero",
              reset_delay=False, init_hidden=True, output=True),
)
with torch.no_grad():
    for m in net:
        if isinstance(m, torch.nn.Linear):
            m.weight *= 3
    x = torch.rand(STEPS, 1, 10)
    snntorch.utils.reset(net)
    spikes = np.array([net(x[t])[0][0].numpy() for t in range(STEPS)])
print("output spike rate", spikes.mean())
graph = export_to_nir(net, torch.zeros(1, 10), ignore_dims=[0])
print({k: type(v).__name__ for k, v in graph.nodes.items()}, graph.edges)
nir.write(HERE / "snntorch_recurrent.nir", graph)
np.savez_compressed(HERE / "snntorch_recurrent.npz", x=x[:, 0].numpy(),
                    spikes=spikes.astype(np.uint8),
                    versions=f"torch {torch.__version__}, snntorch {snn.__version__}, "
                             f"nir {nir.__version__}")
