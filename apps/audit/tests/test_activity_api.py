"""GET /api/v1/activity/: who may read it, its filters, newest first; retention; the admin list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.accounts.models import Role
from apps.accounts.services import users
from apps.audit.models import Activity
from apps.audit.services import activity_prune, activity_record
from apps.core.testing.clients import client_for

pytestmark = pytest.mark.django_db
URL = "/api/v1/activity/"
AUTH_EVENTS = {"login", "login_failed", "lockout"}


def member(name: str, role: str):
    return users.user_create(username=name, password="x" * 12, by=None, role=Role.objects.get(group__name=role))


@pytest.fixture
def admin_api():
    return client_for(member("boss", Role.ADMIN))


def test_only_admins_and_moderators_with_the_permission_read_it(api_client, user):
    assert api_client.get(URL).status_code == 401
    refused = client_for(user).get(URL)
    assert refused.status_code == 403 and "audit.view_activity" in refused.json()["detail"]
    assert client_for(member("guesty", Role.GUEST)).get(URL).status_code == 403
    moderator = member("mod", Role.MODERATOR)
    assert client_for(moderator).get(URL).status_code == 200
    # A moderator whose role lost the permission reads nothing any more.
    role = Role.objects.get(group__name=Role.MODERATOR)
    role.group.permissions.remove(role.group.permissions.get(codename="view_activity"))
    moderator = type(moderator).objects.get(pk=moderator.pk)
    assert client_for(moderator).get(URL).status_code == 403


def test_a_change_through_the_api_names_its_actor_and_address(admin_api, tmp_path):
    response = admin_api.post(
        "/api/v1/libraries/",
        {"name": "Films", "kind": "movies", "paths": [str(tmp_path)]},
        format="json",
        REMOTE_ADDR="203.0.113.5",
        HTTP_X_FORWARDED_FOR="10.1.1.1",  # from an untrusted client: ignored
        HTTP_USER_AGENT="Revenge-Test/1.0",
    )
    assert response.status_code == 201
    entries = admin_api.get(URL, {"object_type": "libraries.library", "action": "create"}).json()["results"]
    assert len(entries) == 1
    entry = entries[0]
    assert entry["actor"]["username"] == "boss"
    assert entry["ip"] == "203.0.113.5" and entry["user_agent"] == "Revenge-Test/1.0"
    assert entry["object_id"] == str(response.json()["id"]) and entry["object_repr"] == "Films"
    assert entry["changes"]["name"] == [None, "Films"]


def test_filters_and_order(admin_api, user):
    now = timezone.now()
    old = activity_record(event="login_failed", success=False, ip="192.0.2.1", object_repr="alice")
    Activity.objects.filter(pk=old.pk).update(timestamp=now - timedelta(days=3))
    activity_record(event="login", actor=user, target=user, ip="192.0.2.2")
    activity_record(event="lockout", success=False, ip="192.0.2.1", message="ip locked")

    def actions(**query) -> list[str]:
        response = admin_api.get(URL, query)
        assert response.status_code == 200, response.content
        return [entry["action"] for entry in response.json()["results"] if entry["action"] in AUTH_EVENTS]

    assert actions()[:3] == ["lockout", "login", "login_failed"]  # newest first
    assert actions(success="false") == ["lockout", "login_failed"]
    assert actions(action="login") == ["login"]
    assert actions(user=user.pk) == ["login"]
    assert actions(ip="192.0.2.1") == ["lockout", "login_failed"]
    assert "login_failed" not in actions(since=(now - timedelta(days=1)).isoformat())
    assert actions(until=(now - timedelta(days=1)).isoformat()) == ["login_failed"]
    assert actions(object_type="accounts.user", object_id=str(user.pk)) == ["login"]
    assert actions(search="ip locked") == ["lockout"]


@pytest.mark.parametrize(
    "query",
    [{"since": "yesterday"}, {"user": "alice"}, {"success": "maybe"}, {"page": "0"}, {"until": "2026-13-40"}],
)
def test_broken_filters_are_a_clear_400_or_empty(admin_api, query):
    response = admin_api.get(URL, query)
    assert response.status_code in (400, 404), response.content
    assert response.json().get("detail") or response.json().get("errors")


def test_unknown_object_type_finds_nothing(admin_api):
    activity_record(event="login_failed", success=False)
    assert admin_api.get(URL, {"object_type": "nonsense"}).json()["results"] == []
    assert admin_api.get(URL, {"object_type": "no.such"}).json()["results"] == []


def test_entries_outlive_their_actor(admin_api):
    gone = member("temp", Role.MODERATOR)
    activity_record(event="login", actor=gone, target=gone)
    users.user_delete(user=gone, by=None)
    logins = admin_api.get(URL, {"action": "login"}).json()["results"]
    assert logins[0]["actor"] == {"id": None, "username": "temp"}


def test_retention_prunes_only_old_entries(settings):
    settings.AUDIT_RETENTION_DAYS = 90
    keep = activity_record(event="login_failed", success=False)
    old = activity_record(event="login_failed", success=False)
    Activity.objects.filter(pk=old.pk).update(timestamp=timezone.now() - timedelta(days=91))
    assert activity_prune() == 1
    assert list(Activity.objects.filter(event="login_failed").values_list("pk", flat=True)) == [keep.pk]


def test_the_prune_task_is_scheduled(settings):
    assert settings.CELERY_BEAT_SCHEDULE["audit.activity_prune"]["task"] == "audit.activity_prune"
    from apps.audit.tasks import activity_prune as task

    old = activity_record(event="login_failed", success=False)
    Activity.objects.filter(pk=old.pk).update(timestamp=timezone.now() - timedelta(days=400))
    assert task.apply().get() == 1


def test_admin_list_and_detail_are_read_only(admin_client, user):
    entry = activity_record(event="login_failed", success=False, ip="192.0.2.9", object_repr="alice")
    listing = admin_client.get("/admin/audit/activity/", {"event": "login_failed"})
    assert listing.status_code == 200 and b"192.0.2.9" in listing.content
    detail = admin_client.get(f"/admin/audit/activity/{entry.pk}/change/")
    assert detail.status_code == 200 and b"login_failed" in detail.content
    assert admin_client.get("/admin/audit/activity/add/").status_code == 403
    assert admin_client.post(f"/admin/audit/activity/{entry.pk}/delete/", {"post": "yes"}).status_code == 403


def test_schedule_changes_are_recorded_but_not_their_runs():
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    every = IntervalSchedule.objects.create(every=5, period=IntervalSchedule.MINUTES)
    task = PeriodicTask.objects.create(name="scan due", task="libraries.scan_due", interval=every)
    task.last_run_at, task.total_run_count = timezone.now(), 3
    task.save()
    task.enabled = False
    task.save()
    logged = Activity.objects.filter(content_type__model="periodictask", object_pk=str(task.pk))
    assert [(e.event, sorted(e.changes)) for e in logged.order_by("pk")] == [
        ("create", sorted(logged.order_by("pk").first().changes)),
        ("update", ["enabled"]),
    ]
