"""The checklist: each action an operator must be able to trace leaves an activity entry, with who and where."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from apps.accounts.models import ApiToken, LoginSession, Role
from apps.accounts.services import tokens, users
from apps.audit.models import Activity

OPERATOR_IP = "203.0.113.7"
RIGHT = "correct horse battery staple"


def entries() -> set[tuple[str, str]]:
    return {(entry.event, entry.object_type) for entry in Activity.objects.select_related("content_type")}


@pytest.mark.django_db(transaction=True)
def test_every_action_of_the_checklist_is_in_the_activity_log(tmp_path, settings):
    settings.AUDIT_RETENTION_DAYS = 90
    boss = users.user_create(username="boss", password=RIGHT, by=None, role=Role.objects.get(group__name=Role.ADMIN))
    _, key = tokens.api_token_create(user=boss, name="operator")
    api = APIClient(REMOTE_ADDR=OPERATOR_IP, HTTP_USER_AGENT="checklist/1.0")
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    Activity.objects.all().delete()  # only what the operator does below

    def ok(response, status=200):
        assert response.status_code == status, response.content
        return response.json() if response.content else None

    # Libraries, their folders and grants.
    library = ok(api.post("/api/v1/libraries/", {"name": "Films", "kind": "movies", "paths": [str(tmp_path)]}), 201)
    ok(api.patch(f"/api/v1/libraries/{library['id']}/", {"name": "Movies"}, format="json"))
    grants = {"roles": {"user": ["view_library"], "moderator": ["manage_library"]}, "users": {}}
    ok(api.put(f"/api/v1/libraries/{library['id']}/permissions/", grants, format="json"))
    # Roles, their settings and their permissions.
    role = ok(api.post("/api/v1/roles/", {"name": "kids", "rank": 15}, format="json"), 201)
    ok(api.patch(f"/api/v1/roles/{role['id']}/", {"max_streams": 2}, format="json"))
    ok(api.patch(f"/api/v1/roles/{role['id']}/", {"permissions": ["libraries.view_library"]}, format="json"))
    ok(api.delete(f"/api/v1/roles/{role['id']}/"), 204)
    # Users.
    carol = ok(api.post("/api/v1/users/", {"username": "carol", "password": "a long password 123"}), 201)
    ok(api.patch(f"/api/v1/users/{carol['id']}/", {"display_name": "Carol"}, format="json"))
    ok(api.delete(f"/api/v1/users/{carol['id']}/"), 204)
    ok(api.delete(f"/api/v1/libraries/{library['id']}/"), 204)

    # Sign-in, failures, lockout and unlock, tokens, sessions.
    alice = users.user_create(username="alice", password=RIGHT, by=None)
    outsider = APIClient(REMOTE_ADDR="192.0.2.50")
    token_body = {"username": "alice", "password": RIGHT, "device_name": "TV"}
    ok(outsider.post("/api/v1/auth/token/", token_body, format="json"), 201)
    for _ in range(5):
        outsider.post("/api/v1/auth/token/", {**token_body, "password": "wrong"}, format="json")
    ok(api.post(f"/api/v1/users/{alice.pk}/unlock/"))
    tv = ApiToken.objects.get(user=alice, name="TV")
    ok(api.delete(f"/api/v1/auth/sessions/token-{tv.pk}/?user={alice.pk}"), 204)
    browser = APIClient(REMOTE_ADDR="192.0.2.51")
    ok(browser.post("/api/v1/auth/login/", {"username": "alice", "password": RIGHT}, format="json"))
    session = LoginSession.objects.get(user=alice)
    ok(api.delete(f"/api/v1/auth/sessions/session-{session.pk}/?user={alice.pk}"), 204)
    again = APIClient(REMOTE_ADDR="192.0.2.51")
    ok(again.post("/api/v1/auth/login/", {"username": "alice", "password": RIGHT}, format="json"))
    ok(again.post("/api/v1/auth/logout/"), 204)
    ok(api.post("/api/v1/auth/logout-all/", {"user": alice.pk}, format="json"))

    # IP rules through the admin, then a request the new rule blocks.
    admin = Client(REMOTE_ADDR=OPERATOR_IP)
    admin.force_login(boss)
    admin.post("/admin/accounts/iprule/add/", {"network": "198.51.100.0/24", "kind": "block", "enabled": "on"})
    assert APIClient(REMOTE_ADDR="198.51.100.9").get("/api/v1/users/me/").status_code == 403

    expected = {
        ("create", "libraries.library"),
        ("update", "libraries.library"),
        ("delete", "libraries.library"),
        ("create", "libraries.libraryfolder"),
        ("permission_granted", "guardian.groupobjectpermission"),
        ("permission_revoked", "guardian.groupobjectpermission"),
        ("create", "accounts.role"),
        ("update", "accounts.role"),
        ("delete", "accounts.role"),
        ("permission_granted", "auth.group"),
        ("create", "accounts.user"),
        ("update", "accounts.user"),
        ("delete", "accounts.user"),
        ("create", "accounts.iprule"),
        ("login", "accounts.user"),
        ("login_failed", ""),
        ("lockout", ""),
        ("unlock", "accounts.user"),
        ("token_created", "accounts.apitoken"),
        ("token_revoked", "accounts.apitoken"),
        ("session_revoked", "accounts.user"),
        ("logout", "accounts.user"),
        ("logout_all", "accounts.user"),
        ("ip_blocked", ""),
    }
    missing = expected - entries()
    assert not missing, f"no activity entry for: {sorted(missing)}"

    # Changes made through the API name the operator and the address they came from.
    changes = Activity.objects.filter(event__in=["create", "update", "delete"], content_type__model="library")
    assert {(e.actor_id, e.remote_addr, e.user_agent) for e in changes} == {(boss.pk, OPERATOR_IP, "checklist/1.0")}
    settings_change = Activity.objects.get(event="update", content_type__model="role")
    assert settings_change.changes["max_streams"] == [0, 2]
    failed = Activity.objects.filter(event="login_failed").first()
    assert (failed.remote_addr, failed.success, failed.object_repr) == ("192.0.2.50", False, "alice")
    blocked = Activity.objects.get(event="ip_blocked")
    assert blocked.remote_addr == "198.51.100.9"
    unlock = Activity.objects.get(event="unlock")
    assert (unlock.actor_id, unlock.remote_addr) == (boss.pk, OPERATOR_IP)
