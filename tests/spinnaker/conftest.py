"""Fixtures for the SpiNNaker/NEST tests."""

import pytest
from spinnaker_seed_networks import SEED_NETWORKS


@pytest.fixture(params=sorted(SEED_NETWORKS))
def seed_network(request):
    """One of the seed networks (its probe is ``net.out``)."""
    return SEED_NETWORKS[request.param]()
