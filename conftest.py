"""Fixtures shared by every app's tests."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The Redis cache outlives a test (and a test run): start each test without cached settings."""
    cache.clear()
    yield


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def user(django_user_model, db):
    """An ordinary member: the built-in "user" role."""
    from apps.accounts import services

    return services.user_create(username="alice", password="correct horse battery staple", by=None)
