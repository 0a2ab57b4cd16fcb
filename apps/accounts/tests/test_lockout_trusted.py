"""Lockout as denial of service: a username locked from anywhere stays usable from REVENGE_LOCKOUT_TRUSTED_NETWORKS."""

from __future__ import annotations

import ipaddress

import pytest
from django.test import Client
from rest_framework.test import APIClient

from apps.accounts.models import LoginLockout, Role
from apps.accounts.services import lockout, users
from revenge import config

# The per-IP auth rate limit would answer 429 first; these tests are about the lockout.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rate_limit")]
RIGHT = "correct horse battery staple"
INTERNET, OTHER_INTERNET = "203.0.113.50", "198.51.100.7"
HOME, HOME_ATTACKER = "192.168.1.20", "192.168.1.66"


@pytest.fixture
def boss():
    return users.user_create(username="admin", password=RIGHT, by=None, role=Role.objects.get(group__name="admin"))


@pytest.fixture
def trusted(settings):
    settings.LOCKOUT_TRUSTED_NETWORKS = [ipaddress.ip_network("192.168.1.0/24"), ipaddress.ip_network("fd00::/8")]


def session_login(remote: str, password: str, username: str = "admin", **extra):
    body = {"username": username, "password": password}
    return APIClient(REMOTE_ADDR=remote).post("/api/v1/auth/login/", body, format="json", **extra)


def admin_login(remote: str, password: str):
    return Client(REMOTE_ADDR=remote).post("/admin/login/", {"username": "admin", "password": password, "next": "/"})


def lock_admin_from(remote: str) -> None:
    assert [session_login(remote, "guess").status_code for _ in range(5)] == [401, 401, 401, 401, 429]


def test_without_trusted_networks_the_lock_holds_everywhere(boss):
    lock_admin_from(INTERNET)
    assert session_login(HOME, RIGHT).status_code == 429
    assert admin_login(HOME, RIGHT).status_code == 429


def test_a_lock_from_the_internet_does_not_lock_the_admin_out_at_home(boss, trusted):
    lock_admin_from(INTERNET)
    assert LoginLockout.objects.get(scope="username", key="admin").is_locked()
    # Elsewhere on the internet, the username stays locked even with the right password.
    assert session_login(OTHER_INTERNET, RIGHT).status_code == 429
    # From the trusted network, the real admin signs in: API session, admin site, API token.
    assert session_login(HOME, RIGHT).status_code == 200
    assert admin_login(HOME, RIGHT).status_code == 302
    token = APIClient(REMOTE_ADDR="fd00::5").post(
        "/api/v1/auth/token/", {"username": "admin", "password": RIGHT, "device_name": "tv"}, format="json"
    )
    assert token.status_code == 201
    # Signing in at home does not lift the lock the attacker earned.
    assert session_login(OTHER_INTERNET, RIGHT).status_code == 429


def test_a_forged_forwarded_for_does_not_make_the_internet_trusted(boss, trusted):
    lock_admin_from(INTERNET)
    forged = session_login(OTHER_INTERNET, RIGHT, HTTP_X_FORWARDED_FOR=HOME)
    assert forged.status_code == 429


def test_failures_at_home_are_counted_per_address_and_lock_only_that_address(boss, trusted):
    lock_admin_from(HOME_ATTACKER)
    assert not LoginLockout.objects.filter(scope="username").exists(), "home failures do not lock the name for all"
    pair = LoginLockout.objects.get(scope="username_ip", key=f"admin|{HOME_ATTACKER}")
    assert pair.failures == 5 and pair.is_locked()
    assert session_login(HOME_ATTACKER, RIGHT).status_code == 429, "the guessing address stays locked"
    assert session_login(HOME, RIGHT).status_code == 200
    assert session_login(INTERNET, RIGHT).status_code == 200


def test_the_address_counter_still_applies_at_home(boss, trusted):
    statuses = [session_login(HOME_ATTACKER, "x", username=f"guess{i}").status_code for i in range(5)]
    assert statuses == [401, 401, 401, 401, 429]
    assert session_login(HOME_ATTACKER, RIGHT).status_code == 429
    assert session_login(HOME, RIGHT).status_code == 200


def test_unlocking_the_user_clears_their_home_counters_too(boss, trusted):
    lock_admin_from(HOME_ATTACKER)
    assert lockout.user_unlock(user=boss, by=boss) >= 1
    assert not LoginLockout.objects.filter(key__startswith="admin").exists()


def test_trusted_networks_are_validated():
    env = config.Env(environ={"REVENGE_LOCKOUT_TRUSTED_NETWORKS": "192.168.1.0/24, 0.0.0.0/0, ::/0, bogus"})
    assert config.lockout_trusted_networks(env) == [ipaddress.ip_network("192.168.1.0/24")]
    assert sorted(p.id for p in env.problems) == ["revenge.E012", "revenge.E041"]
