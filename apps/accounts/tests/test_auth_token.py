"""POST /api/v1/auth/token/, Argon2 passwords, and rate limits keyed by the real client IP, shared through Redis."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.hashers import identify_hasher

from apps.accounts.models import ApiToken
from apps.accounts.services import users

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]
URL = "/api/v1/auth/token/"


def test_a_token_for_a_device_is_shown_once_and_works(api_client, user):
    response = api_client.post(
        URL,
        {"username": "alice", "password": "correct horse battery staple", "device_name": "Living room TV"},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "Living room TV" and body["expires_at"] is None
    token = ApiToken.objects.get(pk=body["id"])
    assert body["token"] not in token.key_hash
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert api_client.get("/api/v1/users/me/").json()["username"] == "alice"


def test_expiry_and_bad_input(api_client, user):
    good = {"username": "alice", "password": "correct horse battery staple", "device_name": "phone"}
    expiring = api_client.post(URL, {**good, "expires_in_days": 30}, format="json").json()
    assert expiring["expires_at"] is not None
    wrong = api_client.post(URL, {**good, "password": "guess"}, format="json")
    assert wrong.status_code == 401
    assert wrong.json() == {"detail": "Invalid username or password.", "code": "authentication_failed"}
    assert api_client.post(URL, {**good, "username": "nobody"}, format="json").status_code == 401
    bad = api_client.post(URL, {"username": "alice", "expires_in_days": 0}, format="json")
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"password", "device_name", "expires_in_days"}
    assert api_client.post(URL, "not json", content_type="application/json").status_code == 400


def test_passwords_are_hashed_with_argon2(settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    member = users.user_create(username="bob", password="a long password 123", by=None)
    assert identify_hasher(member.password).algorithm == "argon2"


def test_auth_attempts_are_limited_with_retry_after(api_client, settings):
    body = {"username": "x"}  # incomplete, so the lockout (which counts wrong passwords) stays out of it
    statuses = [api_client.post(URL, body, format="json").status_code for _ in range(11)]
    assert statuses == [400] * 10 + [429]
    limited = api_client.post(URL, body, format="json")
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert limited.json()["code"] == "throttled"


def test_a_forged_forwarded_for_does_not_escape_the_limit(api_client):
    body = {"username": "x"}
    outsider = {"REMOTE_ADDR": "203.0.113.9"}
    for i in range(10):
        api_client.post(URL, body, format="json", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}", **outsider)
    assert api_client.post(URL, body, format="json", HTTP_X_FORWARDED_FOR="10.9.9.9", **outsider).status_code == 429
    # Through the trusted local proxy, the forwarded address is the client: a fresh one is not limited.
    full = {"username": "x", "password": "y", "device_name": "z"}
    proxied = api_client.post(URL, full, format="json", HTTP_X_FORWARDED_FOR="198.51.100.77", REMOTE_ADDR="127.0.0.1")
    assert proxied.status_code == 401


def test_the_limit_holds_in_total_across_processes(api_client):
    """Six attempts from another process and five from this one: the eleventh is refused."""
    script = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'revenge.settings'); django.setup()\n"
        "from django.test import Client\n"
        "c = Client(REMOTE_ADDR='192.0.2.44')\n"
        "print([c.post('/api/v1/auth/token/', {'username': 'x'}, content_type='application/json').status_code"
        " for _ in range(6)])\n"
    )
    from django.db import connection

    db = connection.settings_dict
    env = {**os.environ, "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"}
    other = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert other.returncode == 0, other.stderr
    assert other.stdout.strip() == "[400, 400, 400, 400, 400, 400]"
    body = {"username": "x"}
    statuses = [api_client.post(URL, body, format="json", REMOTE_ADDR="192.0.2.44").status_code for _ in range(5)]
    assert statuses == [400, 400, 400, 400, 429]
