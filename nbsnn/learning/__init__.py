"""Machine learning with spiking models in the BindsNET tradition, on Nengo.

Spike-timing learning rules (`STDP`, `WeightDependentSTDP`, `Hebbian`, `RewardSTDP`),
the `AdaptiveThresholdLIF` neuron type for competitive learning, spike encoders as
Nengo processes and helpers that wire Diehl & Cook style networks. Every rule and
neuron type runs in `nengo.Simulator` (NumPy reference) and compiled in
`nbsnn.Simulator`. See docs/learning.md.
"""

from . import operators  # noqa: F401  (registers the rules' Nengo build functions)
from .encoders import (
    BernoulliSpikes, PoissonSpikes, Presentation, RankOrderSpikes, TimeToFirstSpike,
)
from .labels import assign_labels, predict, spike_counts
from .networks import DiehlCook, lateral_inhibition, spike_source
from .neurons import AdaptiveThresholdLIF
from .rules import STDP, Hebbian, RewardSTDP, WeightDependentSTDP

__all__ = [
    "STDP", "WeightDependentSTDP", "Hebbian", "RewardSTDP", "AdaptiveThresholdLIF",
    "PoissonSpikes", "BernoulliSpikes", "TimeToFirstSpike", "RankOrderSpikes",
    "Presentation", "spike_source", "lateral_inhibition", "DiehlCook",
    "spike_counts", "assign_labels", "predict",
]
