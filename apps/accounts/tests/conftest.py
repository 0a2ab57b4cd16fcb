"""Fixtures of the account tests."""

from __future__ import annotations

import pytest

from apps.core.api.throttling import ClientIPRateThrottle


@pytest.fixture
def no_rate_limit(monkeypatch):
    """The per-IP auth rate limit lifted, for tests about what happens behind it (the lockout)."""
    # DRF reads the rates into the class when it is imported, so overriding settings would not reach it.
    monkeypatch.setattr(ClientIPRateThrottle, "THROTTLE_RATES", {"ip": "100000/min", "auth": "100000/min"})
