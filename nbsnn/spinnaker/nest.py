"""Run an exported network on NEST through ``pyNN.nest``."""

import os
import warnings

import numpy as np

from .decode import decode_recordings
from .export import export
from .pynn import instantiate, read_spikes
from .quantize import apply_fixed_point, check_quantization

__all__ = ["run_nest"]


def run_nest(network, duration, dt=0.001, timestep=0.1, model=None, seed=None, threads=1,
             fixed_point=False, **export_options):
    """Export ``network``, run it on NEST and decode its probes on the host.

    Parameters
    ----------
    network : nengo.Network
        The network to run.
    duration : float
        Simulated time (s).
    dt : float
        Nengo time step (s) of the returned data (ignored when ``model`` is given).
    timestep : float
        NEST resolution (ms).
    model : nengo.builder.Model, optional
        Built model to share with another simulator (see `export`).
    seed : int, optional
        Seed for host-side inputs and NEST's random numbers.
    threads : int
        NEST threads.
    fixed_point : bool
        Run with the weights and bias currents rounded as SpiNNaker stores them
        (`nbsnn.spinnaker.quantize.apply_fixed_point`), to see the rounding's
        effect on the decoded output without a board.
    **export_options
        Further keyword arguments for `nbsnn.spinnaker.export.export`.

    Returns
    -------
    ProbeData
        Probe -> decoded array on the Nengo time grid (``.trange()`` gives times).
    """
    os.environ.setdefault("PYNEST_QUIET", "1")  # no NEST banner on first import
    description = export(network, duration, dt=dt, timestep=timestep, model=model,
                         seed=seed, **export_options)
    if fixed_point:
        description = apply_fixed_point(description, check_quantization(description))
    with warnings.catch_warnings():
        # PyNN 0.13 still calls NEST 3.10's deprecated Get/SetStatus and verbosity API,
        # and tries to compile optional NEST extensions (not used here) on import
        for text in (r"(GetStatus|SetStatus)\(\) is deprecated",
                     "Provided for backward compatibility only", "Problem running cmake"):
            warnings.filterwarnings("ignore", message=f"(?s)\\s*{text}", category=UserWarning)
        import pyNN.nest as sim

        sim.setup(timestep=timestep, min_delay=timestep, threads=threads,
                  rng_seed=1 + (0 if seed is None else int(seed) % (2**31)), verbosity="error")
        try:
            populations, _ = instantiate(sim, description, connect=_connect_native)
            sim.run(description.n_steps * description.dt * 1e3)
            spikes = read_spikes(populations, description)
        finally:
            sim.end()
    return decode_recordings(description, spikes)


def _connect_native(spec, pre, post):
    """Make one projection's synapses with a single array-based ``nest.Connect``.

    PyNN 0.13's list connector queries NEST once per post cell (quadratic time);
    NEST's own ``one_to_one`` rule over ID arrays is linear.  Weights go from nA
    to NEST's pA; the sign selects the receptor as in PyNN's ``IF_curr_exp``.
    """
    import nest

    sources = np.asarray(pre.all_cells, dtype=np.int64)[spec.pre_index]
    targets = np.asarray(post.all_cells, dtype=np.int64)[spec.post_index]
    nest.Connect(
        sources,
        targets,
        conn_spec="one_to_one",
        syn_spec={
            "synapse_model": "static_synapse",
            "weight": np.asarray(spec.weights, dtype=float) * 1e3,
            "delay": np.full(len(sources), float(spec.delay)),
        },
    )
    return len(sources)
