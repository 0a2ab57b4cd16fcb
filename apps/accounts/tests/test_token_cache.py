"""Token authentication reads the cache after the first request, and never lets a changed token or user through."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from apps.accounts.services import tokens, users
from apps.core.testing.people import user_make

pytestmark = pytest.mark.django_db(transaction=True)
ME = "/api/v1/users/me/"


@pytest.fixture
def member():
    return user_make("tess")


def client_with(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def token_queries(client: APIClient) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(ME).status_code == 200
    return sum(q["sql"].startswith("SELECT") and "accounts_apitoken" in q["sql"] for q in queries.captured_queries)


def test_the_token_is_read_once_then_from_the_cache(member):
    _, key = tokens.api_token_create(user=member, name="tv")
    client = client_with(key)
    assert token_queries(client) == 1
    assert token_queries(client) == 0


def test_a_revoked_token_fails_on_the_next_request(member):
    token, key = tokens.api_token_create(user=member, name="tv")
    client = client_with(key)
    assert client.get(ME).status_code == 200
    tokens.token_revoke(token=token, by=member)
    refused = client.get(ME)
    assert refused.status_code == 401 and refused.json()["code"] == "authentication_failed"


def test_a_deactivated_user_and_an_expired_token_fail_at_once(member):
    token, key = tokens.api_token_create(user=member, name="tv")
    client = client_with(key)
    assert client.get(ME).json()["username"] == "tess"
    token.expires_at = timezone.now() - timedelta(seconds=1)
    token.save()
    assert client.get(ME).status_code == 401
    token.expires_at = None
    token.save()
    assert client.get(ME).status_code == 200
    users.user_update(user=member, by=None, is_active=False)
    assert client.get(ME).status_code == 401


@pytest.mark.parametrize("header", ["Token", "Token a b", "Token \u00e9t\u00e9", "Bearer rvg_unknown"])
def test_broken_and_unknown_keys_are_refused_with_a_message(member, header):
    tokens.api_token_create(user=member, name="tv")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    for _ in range(2):  # the second time too: nothing about an unknown key is remembered as valid
        refused = client.get(ME)
        assert refused.status_code == 401 and refused.json()["detail"]
