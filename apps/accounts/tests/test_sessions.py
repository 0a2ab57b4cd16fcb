"""Sessions and tokens of a user: recorded at sign-in, listed with their device, ended one by one or all at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from apps.accounts.models import ApiToken, LoginSession, Role, User
from apps.accounts.services import sessions, tokens, users
from apps.core.testing.clients import CHROME, FIREFOX, IPHONE, signed_in, with_token
from apps.core.testing.people import PASSWORD, user_make

pytestmark = pytest.mark.django_db
SESSIONS, LOGIN, LOGOUT, LOGOUT_ALL = (
    "/api/v1/auth/sessions/",
    "/api/v1/auth/login/",
    "/api/v1/auth/logout/",
    "/api/v1/auth/logout-all/",
)
ME = "/api/v1/users/me/"


def auth_events(received) -> list[str]:
    return [event.name for event in received if event.name.startswith("auth.")]


def test_admin_login_is_listed_with_browser_and_os(django_capture_on_commit_callbacks, received):
    user_make("mod", role=Role.MODERATOR)
    browser = Client(HTTP_USER_AGENT=FIREFOX)
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post("/admin/login/", {"username": "mod", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302
    [login] = [e for e in received if e.name == "auth.login"]
    assert login.payload == {
        "user_id": User.objects.get(username="mod").pk,
        "username": "mod",
        "ip": "127.0.0.1",
        "user_agent": FIREFOX,
        "method": "admin",
    }
    [entry] = browser.get(SESSIONS).json()
    assert entry["kind"] == "session" and entry["id"].startswith("session-")
    assert (entry["name"], entry["browser"], entry["os"], entry["device"]) == (
        "Firefox 128 on Windows 10",
        "Firefox 128",
        "Windows 10",
        "Other",
    )
    assert entry["ip"] == "127.0.0.1" and entry["current"] is True
    assert entry["created_at"] and entry["last_seen_at"] and entry["expires_at"]


def test_api_login_answers_me_and_is_listed(user, django_capture_on_commit_callbacks, received):
    with django_capture_on_commit_callbacks(execute=True):
        client = signed_in(HTTP_USER_AGENT=CHROME)
    assert [(e.name, e.payload["method"]) for e in received if e.name == "auth.login"] == [("auth.login", "session")]
    assert client.get(ME).json()["username"] == "alice"
    [entry] = client.get(SESSIONS).json()
    assert (entry["browser"], entry["os"], entry["current"]) == ("Chrome 126", "Linux", True)


def test_api_login_refuses_bad_credentials(user, api_client):
    wrong = api_client.post(LOGIN, {"username": "alice", "password": "guess"}, format="json")
    assert wrong.status_code == 401
    assert wrong.json() == {"detail": "Invalid username or password.", "code": "authentication_failed"}
    assert api_client.post(LOGIN, {"username": "nobody", "password": PASSWORD}, format="json").status_code == 401
    assert api_client.post(LOGIN, {"username": "alice"}, format="json").status_code == 400
    assert api_client.get(ME).status_code == 401
    assert not LoginSession.objects.exists()


def test_ending_a_session_signs_its_cookie_out(user, django_capture_on_commit_callbacks, received):
    phone, laptop = signed_in(HTTP_USER_AGENT=IPHONE), signed_in(HTTP_USER_AGENT=FIREFOX)
    listed = laptop.get(SESSIONS).json()
    assert [(e["name"], e["current"]) for e in listed] == [
        ("Firefox 128 on Windows 10", True),
        ("Mobile Safari 17 on iOS 17.5 (iPhone)", False),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        assert laptop.delete(f"{SESSIONS}{listed[1]['id']}/").status_code == 204
    assert phone.get(ME).status_code == 401
    assert [e["id"] for e in laptop.get(SESSIONS).json()] == [listed[0]["id"]]
    [revoked] = [e for e in received if e.name == "auth.session_revoked"]
    assert revoked.payload == {
        "user_id": user.pk,
        "username": "alice",
        "session_id": int(listed[1]["id"].removeprefix("session-")),
        "device": "Mobile Safari 17 on iOS 17.5 (iPhone)",
        "by_id": user.pk,
    }
    assert laptop.delete(f"{SESSIONS}{listed[1]['id']}/").status_code == 404


def test_ending_the_current_session_drops_the_cookie(user):
    client = signed_in()
    [entry] = client.get(SESSIONS).json()
    response = client.delete(f"{SESSIONS}{entry['id']}/")
    assert response.status_code == 204
    assert response.cookies["sessionid"].value == ""
    assert client.get(ME).status_code == 401


def test_logout_all_ends_every_session_and_token(user, django_capture_on_commit_callbacks, received):
    first, second = signed_in(), signed_in()
    (tv, tv_id), (phone, _) = with_token(), with_token()
    untracked = signed_in()
    # As if it signed in before sessions were recorded: only the epoch can end it.
    LoginSession.objects.filter(session_key=untracked.cookies["sessionid"].value).delete()
    assert len(first.get(SESSIONS).json()) == 4
    with django_capture_on_commit_callbacks(execute=True):
        response = first.post(LOGOUT_ALL, {}, format="json")
    assert response.status_code == 200 and response.json() == {"sessions": 2, "tokens": 2}
    for client in (first, second, tv, phone, untracked):
        assert client.get(ME).status_code == 401
    assert not ApiToken.objects.filter(pk=tv_id).exists() and not LoginSession.objects.exists()
    [event] = [e for e in received if e.name == "auth.logout_all"]
    assert event.payload == {"user_id": user.pk, "username": "alice", "sessions": 2, "tokens": 2, "by_id": user.pk}
    # Signing in again works with the new epoch.
    again = signed_in()
    assert again.get(ME).status_code == 200 and len(again.get(SESSIONS).json()) == 1


def test_logout_ends_this_session_or_token_only(user, django_capture_on_commit_callbacks, received):
    session, other = signed_in(), signed_in()
    (tv, tv_id), (phone, _) = with_token(), with_token()
    with django_capture_on_commit_callbacks(execute=True):
        assert session.post(LOGOUT).status_code == 204
        assert tv.post(LOGOUT).status_code == 204
    assert session.get(ME).status_code == 401 and tv.get(ME).status_code == 401
    assert other.get(ME).status_code == 200 and phone.get(ME).status_code == 200
    assert not ApiToken.objects.filter(pk=tv_id).exists()
    assert [(e.name, e.payload["method"]) for e in received if e.name == "auth.logout"] == [
        ("auth.logout", "session"),
        ("auth.logout", "token"),
    ]
    assert LoginSession.objects.count() == 1


def test_a_token_is_listed_current_with_its_device_and_can_be_revoked(
    user, django_capture_on_commit_callbacks, received
):
    with django_capture_on_commit_callbacks(execute=True):
        tv, tv_id = with_token(HTTP_USER_AGENT="okhttp/4.9.2", REMOTE_ADDR="192.0.2.8")
    assert auth_events(received) == ["auth.token_created", "auth.login"]
    assert received[0].payload == {
        "user_id": user.pk,
        "username": "alice",
        "token_id": tv_id,
        "name": "Living room TV",
        "by_id": user.pk,
    }
    assert received[1].payload["method"] == "token" and received[1].payload["ip"] == "192.0.2.8"
    [entry] = tv.get(SESSIONS).json()
    assert entry["id"] == f"token-{tv_id}" and entry["kind"] == "token" and entry["current"] is True
    assert (entry["name"], entry["browser"], entry["ip"]) == ("Living room TV", "okhttp 4", "192.0.2.8")
    assert entry["last_seen_at"] is not None
    with django_capture_on_commit_callbacks(execute=True):
        assert signed_in().delete(f"{SESSIONS}token-{tv_id}/").status_code == 204
    assert tv.get(ME).status_code == 401
    revoked = [e for e in received if e.name == "auth.token_revoked"]
    assert [e.payload["token_id"] for e in revoked] == [tv_id]


def test_expired_and_dead_ones_are_not_listed(user):
    client = signed_in()
    tokens.api_token_create(user=user, name="old", expires_at=timezone.now() - timedelta(minutes=1))
    expired, deleted = signed_in(), signed_in()
    Session.objects.filter(session_key=expired.cookies["sessionid"].value).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    Session.objects.filter(session_key=deleted.cookies["sessionid"].value).delete()
    assert [e["current"] for e in client.get(SESSIONS).json()] == [True]
    # Their rows are left behind until the user signs in again.
    assert LoginSession.objects.filter(user=user).count() == 3
    signed_in()
    assert LoginSession.objects.filter(user=user).count() == 2
    # A new password ends every session (Django's auth hash): they leave the list at once.
    users.user_update(user=user, by=None, password="another long password")
    user_make("boss", role=Role.ADMIN)
    assert signed_in("boss").get(SESSIONS, {"user": user.pk}).json() == []


def test_managers_act_on_lower_ranks_only(user, django_capture_on_commit_callbacks, received):
    moderator = user_make("mod", role=Role.MODERATOR)
    boss = user_make("boss", role=Role.ADMIN)
    alice_browser = signed_in()
    _, alice_token = with_token()
    boss_browser = signed_in("boss")
    _, boss_token = with_token("boss")
    mod = signed_in("mod")

    listed = mod.get(SESSIONS, {"user": user.pk})
    assert listed.status_code == 200
    assert {e["current"] for e in listed.json()} == {False} and len(listed.json()) == 2
    with django_capture_on_commit_callbacks(execute=True):
        session_id = next(e["id"] for e in listed.json() if e["kind"] == "session")
        assert mod.delete(f"{SESSIONS}{session_id}/").status_code == 204
        assert mod.delete(f"{SESSIONS}token-{alice_token}/").status_code == 204
    assert alice_browser.get(ME).status_code == 401
    assert [e.payload["by_id"] for e in received if e.name.endswith("_revoked")] == [moderator.pk, moderator.pk]

    # An admin outranks the moderator: invisible to them.
    assert mod.get(SESSIONS, {"user": boss.pk}).status_code == 404
    boss_session = LoginSession.objects.get(user=boss)
    assert mod.delete(f"{SESSIONS}session-{boss_session.pk}/").status_code == 404
    assert mod.delete(f"{SESSIONS}token-{boss_token}/").status_code == 404
    assert mod.post(LOGOUT_ALL, {"user": boss.pk}, format="json").status_code == 404
    assert boss_browser.get(ME).status_code == 200 and ApiToken.objects.filter(pk=boss_token).exists()

    # The admin may do it all, to the moderator too.
    with django_capture_on_commit_callbacks(execute=True):
        ended = boss_browser.post(LOGOUT_ALL, {"user": moderator.pk}, format="json")
    assert ended.status_code == 200 and ended.json() == {"sessions": 1, "tokens": 0}
    assert mod.get(ME).status_code == 401 and boss_browser.get(ME).status_code == 200
    [event] = [e for e in received if e.name == "auth.logout_all"]
    assert (event.payload["user_id"], event.payload["by_id"]) == (moderator.pk, boss.pk)


def test_plain_users_cannot_act_on_others(user):
    other = user_make("bob")
    bob = signed_in("bob")
    _, bob_token = with_token("bob")
    bob_session = LoginSession.objects.get(user=other)
    alice = signed_in()
    assert alice.get(SESSIONS, {"user": other.pk}).status_code == 403
    assert alice.get(SESSIONS, {"user": "abc"}).status_code == 403
    assert alice.get(SESSIONS, {"user": user.pk}).status_code == 200
    assert alice.delete(f"{SESSIONS}session-{bob_session.pk}/").status_code == 404
    assert alice.delete(f"{SESSIONS}token-{bob_token}/").status_code == 404
    assert alice.post(LOGOUT_ALL, {"user": other.pk}, format="json").status_code == 403
    assert bob.get(ME).status_code == 200 and ApiToken.objects.filter(pk=bob_token).exists()
    assert APIClient().get(SESSIONS).status_code == 401


@pytest.mark.parametrize(
    "device_id",
    [
        "session-abc",
        "token-999999",
        "token-99999999999999999999999",
        "session-0",
        "session--1",
        "session-",
        "token-1.5",
        "../x",
        "..",
        "%00",
        "session-1%00",
        "x" * 5000,
    ],
)
def test_malformed_or_unknown_ids_are_not_found(user, device_id):
    client = signed_in()
    assert client.delete(f"{SESSIONS}{device_id}/").status_code == 404
    assert client.get(ME).status_code == 200


@pytest.mark.parametrize("user_id", ["abc", "0", "-1", "99999999999999999999", "1e3", "%00", "1;DROP"])
def test_malformed_user_ids_are_not_found_for_managers(user, user_id):
    user_make("mod", role=Role.MODERATOR)
    mod = signed_in("mod")
    assert mod.get(SESSIONS, {"user": user_id}).status_code == 404
    assert mod.post(LOGOUT_ALL, {"user": user_id}, format="json").status_code in (400, 404)
    assert mod.get(ME).status_code == 200


def test_a_forged_forwarded_for_does_not_change_the_recorded_ip(user):
    outsider = signed_in(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert outsider.get(SESSIONS).json()[0]["ip"] == "203.0.113.9"
    proxied = signed_in(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert proxied.get(SESSIONS).json()[0]["ip"] == "198.51.100.7"
    tv, tv_id = with_token(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert ApiToken.objects.get(pk=tv_id).last_ip == "203.0.113.9"


def minute_over() -> None:
    """The gates of the last minute expire: the shared cache's and this process's own."""
    cache.clear()
    sessions._touched.clear()


def test_last_seen_is_written_at_most_once_a_minute(user):
    client = signed_in(REMOTE_ADDR="192.0.2.1")
    row = LoginSession.objects.get()
    long_ago = timezone.now() - timedelta(hours=1)
    LoginSession.objects.update(last_seen_at=long_ago)
    client.get(ME, REMOTE_ADDR="192.0.2.2")  # within the minute of signing in: not written
    assert LoginSession.objects.get().last_seen_at == long_ago
    minute_over()
    client.get(ME, REMOTE_ADDR="192.0.2.3")
    row.refresh_from_db()
    assert row.ip == "192.0.2.3" and row.last_seen_at > long_ago
    client.get(ME, REMOTE_ADDR="192.0.2.4")
    row.refresh_from_db()
    assert row.ip == "192.0.2.3"


def test_a_session_nobody_recorded_is_adopted_on_use(user):
    client = signed_in(HTTP_USER_AGENT=FIREFOX)
    LoginSession.objects.all().delete()
    cache.clear()
    [entry] = client.get(SESSIONS).json()
    assert entry["browser"] == "Firefox 128" and entry["current"] is True


def test_token_use_records_the_address(user):
    tv, tv_id = with_token(REMOTE_ADDR="192.0.2.10")
    ApiToken.objects.filter(pk=tv_id).update(last_used_at=timezone.now() - timedelta(minutes=5))
    tv.get(ME, REMOTE_ADDR="192.0.2.11")
    assert ApiToken.objects.get(pk=tv_id).last_ip == "192.0.2.11"
    tv.get(ME, REMOTE_ADDR="192.0.2.12")  # within the minute: not written
    assert ApiToken.objects.get(pk=tv_id).last_ip == "192.0.2.11"


@pytest.mark.parametrize(
    "user_agent",
    ["", "\x01\x02\x7f\xff" * 2000, "Mozilla/5.0 " * 10_000, "() { :; }; echo pwned", "<script>alert(1)</script>"],
    ids=["empty", "binary", "huge", "shellshock", "html"],
)
def test_hostile_user_agents_sign_in_and_list(user, user_agent):
    client = signed_in(HTTP_USER_AGENT=user_agent)
    _, tv_id = with_token(HTTP_USER_AGENT=user_agent)
    listed = client.get(SESSIONS)
    assert listed.status_code == 200 and len(listed.json()) == 2
    assert len(LoginSession.objects.get().user_agent) <= 300
    assert len(ApiToken.objects.get(pk=tv_id).user_agent) <= 300


def test_a_nul_byte_in_the_user_agent_is_not_stored(user):
    """PostgreSQL text cannot hold NUL: the stored user agent drops control characters."""
    client = signed_in(HTTP_USER_AGENT="Firefox/128.0\x00" + "\x00" * 500)
    [entry] = client.get(SESSIONS).json()
    assert entry["browser"] == "Firefox 128"
    assert LoginSession.objects.get().user_agent == "Firefox/128.0"


def test_secret_key_rotation_keeps_sessions_after_an_epoch_bump(user, settings):
    """The epoch's hash honours SECRET_KEY_FALLBACKS as Django's does: rotating the key signs nobody out."""
    signed_in().post(LOGOUT_ALL, {}, format="json")
    assert User.objects.get(pk=user.pk).session_epoch == 1
    kept, dropped = signed_in(), signed_in()
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a brand new secret key that is long enough 0123456789"
    assert kept.get(ME).status_code == 200  # verified with the old key, then moved to the new one
    settings.SECRET_KEY_FALLBACKS = []
    assert kept.get(ME).status_code == 200
    assert dropped.get(ME).status_code == 401  # still on the old key, which is no longer accepted


def test_a_token_login_records_no_session_even_from_a_signed_in_browser(user):
    browser = signed_in(HTTP_USER_AGENT=FIREFOX)
    body = {"username": "alice", "password": PASSWORD, "device_name": "cli"}
    assert browser.post("/api/v1/auth/token/", body, format="json").status_code == 201
    assert LoginSession.objects.count() == 1
    assert [e["kind"] for e in browser.get(SESSIONS).json()] == ["token", "session"]
    assert User.objects.get(pk=user.pk).last_login is not None


def test_the_daily_prune_drops_expired_sessions_and_their_devices(user):
    from apps.accounts.tasks import sessions_prune

    browser = Client()
    browser.post("/api/v1/auth/login/", {"username": "alice", "password": PASSWORD}, content_type="application/json")
    other = Client()
    other.post("/api/v1/auth/login/", {"username": "alice", "password": PASSWORD}, content_type="application/json")
    assert LoginSession.objects.filter(user=user).count() == 2
    expired = LoginSession.objects.filter(user=user).first()
    Session.objects.filter(session_key=expired.session_key).update(expire_date=timezone.now() - timedelta(days=1))
    assert sessions_prune.apply().get() == 1
    assert LoginSession.objects.filter(user=user).count() == 1
    assert not Session.objects.filter(session_key=expired.session_key).exists()
