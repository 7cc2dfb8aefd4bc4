import pytest

from sample.service import spec as sample_spec


@pytest.fixture
def sample(make_harness):
    return make_harness(sample_spec)
