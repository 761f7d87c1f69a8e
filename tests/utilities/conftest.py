"""The ``run`` fixture of the utilities' tests (helpers in usrsbin_helpers.py)."""

import pytest

from usrsbin_helpers import Runner


@pytest.fixture
def run(kernel):
    """Run a utility as a process of the test's kernel: run(main, *argv) -> Result."""
    return Runner(kernel)
