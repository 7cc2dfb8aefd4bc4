"""Fixtures of the cross-service tests (helpers in crossservice.py)."""
import pytest

from crossservice import Platform


@pytest.fixture
def platform(make_harness, live_server, monkeypatch, smtp_sink):
    platform = Platform(make_harness, live_server, monkeypatch, smtp_sink)
    platform.smtp = smtp_sink
    yield platform
    platform.close()
