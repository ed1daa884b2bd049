"""Write a small Norse network to NIR, with Norse's own outputs on a fixed input.

Run in a virtualenv with torch, norse, nirtorch and nir (not nbsnn's CI; see
docs/nir.md):  python tests/nir/data/make_norse.py

Writes, beside this script:
  norse.nir  the graph (norse.torch.utils.export_nir.to_nir, dt = 1e-3): Linear ->
             LIFBoxCell (NIR LIF) -> Linear -> LIFCell (CubaLIF) -> Linear -> IAFCell
             (IF) -> Linear -> LIBoxCell (LI)
  norse.npz  the input (steps, 8), Norse's LI output per step, versions
"""

from pathlib import Path

import nir
import norse
import norse.torch as nt
import numpy as np
import torch
from norse.torch.utils.export_nir import to_nir

HERE = Path(__file__).parent
STEPS, DT = 200, 1e-3
torch.manual_seed(1)
torch.set_num_threads(1)


def full(n, value):
    """Per-neuron parameters, so every exported parameter has the layer's shape."""
    return torch.full((n,), value)


net = nt.SequentialState(
    torch.nn.Linear(8, 16),
    nt.LIFBoxCell(nt.LIFBoxParameters(tau_mem_inv=full(16, 100.0), v_leak=full(16, 0.0),
                                      v_th=full(16, 1.0), v_reset=full(16, 0.0))),
    torch.nn.Linear(16, 12),
    nt.LIFCell(nt.LIFParameters(tau_syn_inv=full(12, 200.0), tau_mem_inv=full(12, 100.0),
                                v_leak=full(12, 0.0), v_th=full(12, 0.5),
                                v_reset=full(12, 0.0))),
    torch.nn.Linear(12, 6),
    nt.IAFCell(nt.IAFParameters(v_th=full(6, 0.3), v_reset=full(6, 0.0))),
    torch.nn.Linear(6, 4),
    nt.LIBoxCell(nt.LIBoxParameters(tau_mem_inv=full(4, 50.0), v_leak=full(4, 0.0))),
)
with torch.no_grad():
    for layer in net:
        if isinstance(layer, torch.nn.Linear):
            layer.weight *= 4
    x = torch.rand(STEPS, 1, 8) * 3
    state, volts = None, []
    for t in range(STEPS):
        v, state = net(x[t], state)
        volts.append(v[0].numpy())
volts = np.array(volts)
print("li range", volts.min(), volts.max())

graph = to_nir(net, torch.zeros(1, 8), dt=DT)
print({k: type(v).__name__ for k, v in graph.nodes.items()}, graph.edges)
nir.write(HERE / "norse.nir", graph)
np.savez_compressed(HERE / "norse.npz", x=x[:, 0].numpy(), li=volts, dt=DT,
                    versions=f"torch {torch.__version__}, norse {norse.__version__}, "
                             f"nir {nir.__version__}")
