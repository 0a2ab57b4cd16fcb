"""Tiered lockout (django-axes with our handler): per username and per client IP, on every way to sign in."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from apps.accounts.models import LoginLockout, Role
from apps.accounts.services import lockout, users

# The per-IP auth rate limit would answer 429 first; these tests are about the lockout.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rate_limit")]
URL = "/api/v1/auth/token/"
RIGHT = "correct horse battery staple"
ATTACKER = "198.51.100.66"


def attempt(client, password: str = "wrong password", *, username: str = "alice", ip: str = ATTACKER):
    body = {"username": username, "password": password, "device_name": "tv"}
    return client.post(URL, body, format="json", HTTP_X_FORWARDED_FOR=ip)


def age_locks() -> None:
    """Let the running locks expire, as if their time had passed."""
    LoginLockout.objects.filter(permanent=False).update(locked_until=timezone.now() - timedelta(seconds=1))


def counter(scope: str = "username", key: str = "alice") -> LoginLockout:
    return LoginLockout.objects.get(scope=scope, key=key)


def test_tiers_lock_15_minutes_then_an_hour_then_until_unlocked(api_client, user):
    assert [attempt(api_client).status_code for _ in range(4)] == [401] * 4
    fifth = attempt(api_client)
    assert fifth.status_code == 429 and fifth.json()["code"] == "locked_out"
    assert 14 * 60 < int(fifth["Retry-After"]) <= 15 * 60
    locked = attempt(api_client, RIGHT, ip="192.0.2.10")
    assert locked.status_code == 429, "the right password is refused while the username is locked"
    assert counter().failures == 5, "refused attempts are not counted"

    age_locks()
    assert [attempt(api_client).status_code for _ in range(4)] == [401] * 4
    tenth = attempt(api_client)
    assert tenth.status_code == 429
    assert 59 * 60 < int(tenth["Retry-After"]) <= 60 * 60
    assert counter().failures == 10

    age_locks()
    assert [attempt(api_client).status_code for _ in range(9)] == [401] * 9
    twentieth = attempt(api_client)
    assert twentieth.status_code == 403 and "Retry-After" not in twentieth
    assert "until an administrator unlocks" in twentieth.json()["detail"]
    age_locks()
    assert attempt(api_client, RIGHT, ip="192.0.2.10").status_code == 403
    assert counter().permanent and counter().failures == 20


def test_unlock_by_a_moderator_through_the_api(api_client, user):
    for _ in range(20):
        attempt(api_client)
        age_locks()
    assert attempt(api_client, RIGHT, ip="192.0.2.10").status_code == 403
    moderator = users.user_create(
        username="mod", password="x" * 12, by=None, role=Role.objects.get(group__name=Role.MODERATOR)
    )
    staff = APIClient()
    staff.force_authenticate(moderator)
    response = staff.post(f"/api/v1/users/{user.pk}/unlock/")
    assert response.status_code == 200 and response.json()["unlocked"] is True
    assert attempt(api_client, RIGHT, ip="192.0.2.10").status_code == 201
    # The attacker's address keeps its own lock: unlocking a user does not unlock whoever attacked them.
    assert attempt(api_client, RIGHT).status_code == 403


def test_a_user_cannot_unlock_anyone(api_client, user):
    other = users.user_create(username="bob", password="x" * 12, by=None)
    member = APIClient()
    member.force_authenticate(user)
    assert member.post(f"/api/v1/users/{other.pk}/unlock/").status_code == 404
    assert member.post(f"/api/v1/users/{user.pk}/unlock/").status_code == 403


def test_the_client_ip_is_locked_for_every_username(api_client, user):
    statuses = [attempt(api_client, username=f"guess{i}").status_code for i in range(5)]
    assert statuses == [401, 401, 401, 401, 429]
    assert counter("ip", ATTACKER).failures == 5
    assert attempt(api_client, RIGHT).status_code == 429, "alice from the locked address is refused"
    assert attempt(api_client, RIGHT, ip="192.0.2.10").status_code == 201, "alice from elsewhere is not"


def test_a_forged_forwarded_for_does_not_change_the_locked_address(api_client, user):
    for i in range(5):
        api_client.post(
            URL,
            {"username": f"u{i}", "password": "x", "device_name": "tv"},
            format="json",
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{i}",
        )
    assert counter("ip", "203.0.113.9").failures == 5
    assert not LoginLockout.objects.filter(scope="ip", key__startswith="10.0.0.").exists()
    # From the trusted proxy, the forwarded address is the one counted.
    attempt(api_client, ip="198.51.100.200")
    assert counter("ip", "198.51.100.200").failures == 1


def test_success_clears_the_username_count_but_not_the_address(api_client, user):
    for _ in range(3):
        attempt(api_client)
    assert attempt(api_client, RIGHT, ip=ATTACKER).status_code == 201
    assert not LoginLockout.objects.filter(scope="username").exists()
    assert counter("ip", ATTACKER).failures == 3


def test_a_long_quiet_spell_starts_the_count_over(api_client, user, settings):
    for _ in range(4):
        attempt(api_client)
    LoginLockout.objects.update(last_failure_at=timezone.now() - timedelta(hours=settings.LOCKOUT_FORGET_HOURS + 1))
    assert attempt(api_client).status_code == 401
    assert counter().failures == 1
    LoginLockout.objects.update(last_failure_at=timezone.now() - timedelta(hours=settings.LOCKOUT_FORGET_HOURS + 1))
    assert lockout.lockouts_prune() == 2  # username and address counters, neither locked


def test_events_for_failures_and_the_lockout(api_client, user, received, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(6):
            attempt(api_client, ip="192.0.2.77")
    failed = [e for e in received if e.name == "security.login_failed"]
    assert len(failed) == 6
    assert failed[0].payload["ip"] == "192.0.2.77" and failed[0].payload["username"] == "alice"
    assert [e.payload["locked"] for e in failed] == [False] * 4 + [True, True]
    locks = [e for e in received if e.name == "security.lockout"]
    assert {(e.payload["scope"], e.payload["failures"]) for e in locks} == {("username", 5), ("ip", 5)}


def test_the_admin_login_is_covered(user):
    admin_client = Client(REMOTE_ADDR="192.0.2.5")
    form = {"username": "alice", "password": "nope", "next": "/admin/"}
    statuses = [admin_client.post("/admin/login/", form).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the form again, then the lockout page
    page = admin_client.post("/admin/login/", {**form, "password": RIGHT})
    assert page.status_code == 429 and b"Sign-in locked" in page.content


def test_admin_actions_unlock_users_and_addresses(user, admin_client):
    for i in range(5):
        attempt(APIClient(), username=f"guess{i}")
    for _ in range(5):
        attempt(APIClient(), ip="192.0.2.99")
    response = admin_client.post(
        "/admin/accounts/user/", {"action": "unlock", "_selected_action": [user.pk]}, follow=True
    )
    assert b"Unlocked: alice" in response.content
    assert not LoginLockout.objects.filter(scope="username", key="alice").exists()
    address = counter("ip", ATTACKER)
    admin_client.post("/admin/accounts/loginlockout/", {"action": "unlock", "_selected_action": [address.pk]})
    assert not LoginLockout.objects.filter(pk=address.pk).exists()


@pytest.mark.parametrize(
    "username",
    ["a" * 10_000, "nul\x00byte", "ünïcödé", " ", ["list"], {"dict": 1}, 12345],
)
def test_hostile_usernames_get_a_clear_answer(api_client, user, username):
    response = api_client.post(URL, {"username": username, "password": "x", "device_name": "tv"}, format="json")
    assert response.status_code in (400, 401), response.content
    assert "detail" in response.json() or "errors" in response.json()


def test_counting_by_the_pair_of_username_and_address(api_client, user, settings):
    settings.AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
    assert [attempt(api_client).status_code for _ in range(5)] == [401, 401, 401, 401, 429]
    assert list(LoginLockout.objects.values_list("scope", "key")) == [("username_ip", f"alice|{ATTACKER}")]
    assert attempt(api_client, RIGHT, ip="192.0.2.10").status_code == 201, "alice elsewhere is not locked"


def test_the_shell_way_back_in(api_client, user, received, django_capture_on_commit_callbacks):
    for _ in range(5):
        attempt(api_client)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("axes_reset_username", "alice", stdout=StringIO())
        call_command("axes_reset_ip", ATTACKER, stdout=StringIO())
    assert not LoginLockout.objects.exists()
    assert attempt(api_client, RIGHT).status_code == 201
    unlocked = [e.payload["scope"] for e in received if e.name == "security.unlocked"]
    assert unlocked == ["username", "ip"]


def test_the_session_login_is_covered(user):
    browser = APIClient(REMOTE_ADDR="192.0.2.6")
    wrong = {"username": "alice", "password": "nope"}
    statuses = [browser.post("/api/v1/auth/login/", wrong, format="json").status_code for _ in range(5)]
    assert statuses == [401, 401, 401, 401, 429]
    refused = browser.post("/api/v1/auth/login/", {**wrong, "password": RIGHT}, format="json")
    assert refused.status_code == 429 and refused.json()["code"] == "locked_out"
    assert browser.get("/api/v1/users/me/").status_code in (401, 403), "no session was opened"
