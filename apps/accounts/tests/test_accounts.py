"""Users, API tokens, the first admin and the admin site."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.http import HttpRequest
from django.utils import timezone

from apps.accounts.models import ApiToken, User
from apps.accounts.services import tokens
from apps.core import events

pytestmark = pytest.mark.django_db


def test_me_with_a_session(api_client, user):
    api_client.login(request=HttpRequest(), username="alice", password="correct horse battery staple")
    response = api_client.get("/api/v1/users/me/")
    assert response.status_code == 200
    assert response.json()["username"] == "alice"
    assert response.json()["is_superuser"] is False
    assert "password" not in response.json()


def test_me_with_a_token(api_client, user):
    token, raw_key = tokens.api_token_create(user=user, name="phone")
    assert raw_key.startswith("rvg_") and token.prefix == raw_key[:12]
    assert raw_key not in token.key_hash
    for keyword in ("Token", "Bearer"):
        api_client.credentials(HTTP_AUTHORIZATION=f"{keyword} {raw_key}")
        assert api_client.get("/api/v1/users/me/").json()["username"] == "alice"
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("Token", "Invalid token header"),
        ("Token a b", "Invalid token header"),
        ("Token rvg_not-a-real-key", "Invalid or expired token."),
        ("Token \u00e9t\u00e9", "invalid characters"),
    ],
)
def test_bad_tokens_are_refused_with_a_message(api_client, header, message):
    api_client.credentials(HTTP_AUTHORIZATION=header.encode("utf-8").decode("latin-1"))
    response = api_client.get("/api/v1/users/me/")
    assert response.status_code == 401
    assert message in response.json()["detail"]
    assert response.json()["code"] == "authentication_failed"


def test_expired_tokens_and_inactive_users_are_refused(api_client, user):
    _token, expired = tokens.api_token_create(user=user, name="old", expires_at=timezone.now() - timedelta(days=1))
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {expired}")
    assert api_client.get("/api/v1/users/me/").status_code == 401
    _token, live = tokens.api_token_create(user=user, name="new")
    user.is_active = False
    user.save()
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {live}")
    assert api_client.get("/api/v1/users/me/").json()["detail"] == "User inactive or deleted."


def test_token_use_is_recorded_at_most_once_a_minute(user):
    token, _ = tokens.api_token_create(user=user, name="tv")
    tokens.api_token_touch(token=token)
    first = token.last_used_at
    tokens.api_token_touch(token=token)
    assert token.last_used_at == first
    token.last_used_at = first - timedelta(minutes=2)
    tokens.api_token_touch(token=token)
    assert token.last_used_at > first


def test_ensure_admin_creates_the_first_admin_once(client, django_capture_on_commit_callbacks):
    seen = []
    listener = events.subscribe("user.created")(seen.append)
    try:
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("ensure_admin", stdout=out)
    finally:
        events.unsubscribe(listener)
    password = re.search(r"password: (\S+)", out.getvalue()).group(1)
    assert client.login(request=HttpRequest(), username="admin", password=password)
    assert [e.payload["username"] for e in seen] == ["admin"]
    again = StringIO()
    call_command("ensure_admin", stdout=again)
    assert "exists already" in again.getvalue()
    assert User.objects.filter(is_superuser=True).count() == 1


def test_ensure_admin_uses_the_configured_password(client, settings):
    settings.ADMIN_PASSWORD = "from the environment 42"
    out = StringIO()
    call_command("ensure_admin", stdout=out)
    assert "from the environment 42" not in out.getvalue()
    assert client.login(request=HttpRequest(), username="admin", password="from the environment 42")


def test_admin_site_is_titled_revenge_and_lists_task_runs(client, admin_user):
    assert b"Log in | Revenge" in client.get("/admin/login/").content
    client.force_login(admin_user)
    index = client.get("/admin/")
    assert b"Revenge" in index.content
    assert client.get("/admin/core/taskrun/").status_code == 200
    assert client.get("/admin/core/taskrun/add/").status_code == 403


def test_api_token_created_in_the_admin_is_shown_once(client, admin_user, user):
    client.force_login(admin_user)
    response = client.post("/admin/accounts/apitoken/add/", {"user": user.pk, "name": "living room tv"})
    # The response that created it shows it: no redirect, nothing in the messages cookie or the session.
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = re.search(r"(rvg_[\w-]+)", response.content.decode()).group(1)
    token = ApiToken.objects.get()
    assert token.name == "living room tv" and token.user == user
    assert token.key_hash == tokens.token_hash(key)
    assert key not in "".join(morsel.value for morsel in response.cookies.values())
    assert key not in "".join(morsel.value for morsel in client.cookies.values())
    assert key not in str(dict(client.session))
    # Never again: not on the list, not on the token's page, not on the next page's messages.
    for url in ("/admin/accounts/apitoken/", f"/admin/accounts/apitoken/{token.pk}/change/", "/admin/"):
        page = client.get(url)
        assert page.status_code == 200 and key not in page.content.decode(), url
    # "Save and add another" answers the same page; the form's own errors still show the form.
    again = client.post("/admin/accounts/apitoken/add/", {"user": user.pk, "name": "tv 2", "_addanother": "1"})
    assert again.status_code == 200 and re.search(r"rvg_[\w-]+", again.content.decode())
    invalid = client.post("/admin/accounts/apitoken/add/", {"user": 2**70, "name": ""})
    assert invalid.status_code == 200 and b"rvg_" not in invalid.content and ApiToken.objects.count() == 2


def test_api_token_command(user):
    out = StringIO()
    call_command("api_token_create", "alice", "--name", "cli", stdout=out)
    key = out.getvalue().strip()
    assert ApiToken.objects.get().key_hash == tokens.token_hash(key)
    with pytest.raises(CommandError, match="no user named 'nobody'"):
        call_command("api_token_create", "nobody")
