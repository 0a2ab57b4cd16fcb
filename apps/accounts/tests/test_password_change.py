"""A new password ends every API token and session of the user, but the changer's own session (API, admin, CLI)."""

from __future__ import annotations

import getpass

import pytest
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.test import Client
from rest_framework.test import APIClient

from apps.accounts.models import ApiToken, LoginSession, Role, User
from apps.audit.models import Activity
from apps.core.testing.clients import signed_in, with_token
from apps.core.testing.people import PASSWORD, user_make

pytestmark = pytest.mark.django_db
ME = "/api/v1/users/me/"
NEW = "a brand new passphrase 42"


def admin_browser(username: str, password: str = PASSWORD) -> Client:
    browser = Client()
    response = browser.post("/admin/login/", {"username": username, "password": password, "next": "/admin/"})
    assert response.status_code == 302, response.content
    return browser


def test_api_password_reset_ends_the_users_sessions_and_tokens(django_capture_on_commit_callbacks, received):
    user_make("boss", role=Role.ADMIN)
    alice = user_make("alice")
    phone, laptop = signed_in("alice"), signed_in("alice")
    tv, _ = with_token("alice")
    boss = signed_in("boss")
    boss_tv, _ = with_token("boss")
    with django_capture_on_commit_callbacks(execute=True):
        changed = boss.patch(f"/api/v1/users/{alice.pk}/", {"password": NEW}, format="json")
    assert changed.status_code == 200, changed.content
    for client in (phone, laptop, tv):
        assert client.get(ME).status_code in (401, 403)
    assert not ApiToken.objects.filter(user=alice).exists()
    assert not LoginSession.objects.filter(user=alice).exists()
    # The changer's own credentials are not touched: it was someone else's password.
    assert boss.get(ME).status_code == 200 and boss_tv.get(ME).status_code == 200
    [event] = [e for e in received if e.name == "auth.password_changed"]
    assert event.payload == {
        "user_id": alice.pk,
        "username": "alice",
        "sessions": 2,
        "tokens": 1,
        "by_id": User.objects.get(username="boss").pk,
    }
    entry = Activity.objects.get(event="password_changed")
    assert entry.message == "password changed; ended 2 other sessions and 1 tokens"
    login = APIClient().post("/api/v1/auth/login/", {"username": "alice", "password": NEW}, format="json")
    assert login.status_code == 200


def test_own_password_change_keeps_only_the_session_that_made_it():
    boss = user_make("boss", role=Role.ADMIN)
    here, elsewhere = signed_in("boss"), signed_in("boss")
    tv, _ = with_token("boss")
    assert here.patch(f"/api/v1/users/{boss.pk}/", {"password": NEW}, format="json").status_code == 200
    assert here.get(ME).status_code == 200, "the session that changed the password stays signed in"
    assert elsewhere.get(ME).status_code in (401, 403)
    assert tv.get(ME).status_code == 401
    assert LoginSession.objects.filter(user=boss).count() == 1


def test_own_password_change_from_a_token_revokes_that_token_too():
    boss = user_make("boss", role=Role.ADMIN)
    tv, _ = with_token("boss")
    browser = signed_in("boss")
    assert tv.patch(f"/api/v1/users/{boss.pk}/", {"password": NEW}, format="json").status_code == 200
    assert tv.get(ME).status_code == 401
    assert browser.get(ME).status_code in (401, 403)


def test_a_refused_change_revokes_nothing():
    user_make("boss", role=Role.ADMIN)
    alice = user_make("alice")
    tv, _ = with_token("alice")
    boss = signed_in("boss")
    bad = boss.patch(f"/api/v1/users/{alice.pk}/", {"password": NEW, "email": "not an address"}, format="json")
    assert bad.status_code == 400
    too_short = boss.patch(f"/api/v1/users/{alice.pk}/", {"password": "short"}, format="json")
    assert too_short.status_code == 400
    # A moderator cannot reach an admin's password at all.
    user_make("mod", role=Role.MODERATOR)
    admin_tv, _ = with_token("boss")
    hidden = signed_in("mod").patch(f"/api/v1/users/{User.objects.get(username='boss').pk}/", {"password": NEW})
    assert hidden.status_code in (403, 404)
    assert tv.get(ME).status_code == 200 and admin_tv.get(ME).status_code == 200


def test_admin_site_password_change_of_another_user():
    user_make("boss", role=Role.ADMIN)
    alice = user_make("alice")
    phone, (tv, _) = signed_in("alice"), with_token("alice")
    browser = admin_browser("boss")
    url = f"/admin/accounts/user/{alice.pk}/password/"
    response = browser.post(url, {"password1": NEW, "password2": NEW, "usable_password": "true"})
    assert response.status_code == 302, response.content
    assert phone.get(ME).status_code in (401, 403) and tv.get(ME).status_code == 401
    assert browser.get("/admin/").status_code == 200
    alice.refresh_from_db()
    assert alice.check_password(NEW)


def test_admin_site_own_password_change_keeps_this_browser_only():
    boss = user_make("boss", role=Role.ADMIN)
    browser, other = admin_browser("boss"), admin_browser("boss")
    tv, _ = with_token("boss")
    response = browser.post(f"/admin/accounts/user/{boss.pk}/password/", {"password1": NEW, "password2": NEW})
    assert response.status_code == 302, response.content
    assert browser.get("/admin/").status_code == 200
    assert other.get("/admin/").status_code == 302  # back to the login page
    assert tv.get(ME).status_code == 401
    # The device row follows the session key Django cycled.
    [row] = LoginSession.objects.filter(user=boss)
    assert row.session_key == browser.cookies["sessionid"].value
    assert Session.objects.filter(session_key=row.session_key).exists()


def test_admin_site_disabling_the_password_ends_everything():
    user_make("boss", role=Role.ADMIN)
    alice = user_make("alice")
    tv, _ = with_token("alice")
    browser = admin_browser("boss")
    response = browser.post(
        f"/admin/accounts/user/{alice.pk}/password/", {"usable_password": "false", "unset-password": "1"}
    )
    assert response.status_code == 302, response.content
    assert tv.get(ME).status_code == 401
    alice.refresh_from_db()
    assert not alice.has_usable_password()


def test_changepassword_command_ends_sessions_and_tokens(monkeypatch):
    user_make("alice")
    phone, (tv, _) = signed_in("alice"), with_token("alice")
    answers = iter(["mismatch one", "mismatch two", NEW, NEW])
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(answers))
    result = call_command("changepassword", "alice")
    assert "1 sessions and 1 API tokens ended" in result
    assert phone.get(ME).status_code in (401, 403) and tv.get(ME).status_code == 401
    assert User.objects.get(username="alice").check_password(NEW)


def test_changepassword_refuses_unknown_users_and_gives_up_after_three_tries(monkeypatch):
    user_make("alice")
    tv, _ = with_token("alice")
    with pytest.raises(CommandError, match="user 'nobody' does not exist"):
        call_command("changepassword", "nobody")
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": "123")  # too short, too common, numeric
    with pytest.raises(CommandError, match="after 3 attempts"):
        call_command("changepassword", "alice")
    assert tv.get(ME).status_code == 200, "nothing changed, nothing ended"
