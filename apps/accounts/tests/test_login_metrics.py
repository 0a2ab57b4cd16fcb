"""Sign-ins, failures and lockouts on /metrics, moved by real logins through the API and the session login."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from apps.core.testing.people import PASSWORD
from apps.core.testing.scrape import scrape, value

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rate_limit")]
ATTACKER = "198.51.100.77"


def attempt(client, password: str, *, username: str = "alice", ip: str = "192.0.2.20"):
    body = {"username": username, "password": password, "device_name": "tv"}
    return client.post("/api/v1/auth/token/", body, format="json", HTTP_X_FORWARDED_FOR=ip)


def moved(before: dict, after: dict, name: str, **labels) -> float:
    return value(after, name, **labels) - value(before, name, **labels)


def test_logins_failures_and_lockouts_are_counted(client, user):
    api = APIClient()
    before = scrape(client)
    assert attempt(api, PASSWORD).status_code == 201
    session = APIClient(enforce_csrf_checks=False)
    signed_in = session.post("/api/v1/auth/login/", {"username": "alice", "password": PASSWORD}, format="json")
    assert signed_in.status_code == 200, signed_in.content
    # Hostile names count as failures like any other, and are never a label; an overlong one is not an attempt.
    for username in ("alice' OR 1=1 --", "ghost", "al\u202eice", "alice"):
        assert attempt(api, "wrong", username=username, ip=ATTACKER).status_code == 401
    assert attempt(api, "wrong", username="x" * 300, ip=ATTACKER).status_code == 400
    assert attempt(api, "wrong", ip=ATTACKER).status_code == 429  # the address's fifth failure locks it
    assert attempt(api, PASSWORD, username="bob", ip=ATTACKER).status_code == 429  # refused while locked
    after = scrape(client)

    assert moved(before, after, "revenge_logins_total", method="token") == 1
    assert moved(before, after, "revenge_logins_total", method="session") == 1
    # The attempt that locks, and the one refused after, count as locked.
    assert moved(before, after, "revenge_login_failures_total", locked="false") == 4
    assert moved(before, after, "revenge_login_failures_total", locked="true") == 2
    assert moved(before, after, "revenge_login_lockouts_total", scope="ip", tier="1") == 1
    assert moved(before, after, "revenge_login_lockouts_total", scope="username", tier="1") == 0  # alice: 2 fails
    labels = {label for (name, labels) in after if name.startswith("revenge_login") for label in labels}
    assert all("OR 1=1" not in str(label) and "x" * 300 not in str(label) for label in labels)
