"""Activity and task runs in the console: short, readable filters; housekeeping hidden until asked for; "Retry"
for a failed run whose task allows it, refused with the reason otherwise."""

from __future__ import annotations

import pytest
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.audit.models import Activity
from apps.audit.services import activity_record
from apps.core.models import TaskRun
from apps.core.task_runs import arguments_of, housekeeping_names, retry_refusal
from apps.core.testing.accessibility import html_problems
from apps.core.testing.people import user_make

pytestmark = pytest.mark.django_db
RUNS = "/admin/core/taskrun/"
ACTIVITY = "/admin/audit/activity/"


def run_make(name: str, state: str = "failure", args: str = "", **fields) -> TaskRun:
    return TaskRun.objects.create(
        task_id=f"{name}-{TaskRun.objects.count()}",
        name=name,
        state=state,
        args_summary=args,
        started_at=timezone.now(),
        error="Traceback: boom" if state == "failure" else "",
        **fields,
    )


@pytest.fixture
def boss(db) -> User:
    return user_make("boss", role=Role.ADMIN)


def names_listed(page) -> list[str]:
    return sorted(page.context["cl"].queryset.values_list("name", flat=True))


def test_housekeeping_is_hidden_until_asked_for(boss, client):
    run_make("notifications.sweep", "success")
    run_make("core.task_runs_prune", "success")
    run_make("libraries.scan_run", "success", "12")
    run_make("metadata.refresh", "failure", "library_id=3")
    client.force_login(boss)
    shown = client.get(RUNS)
    assert names_listed(shown) == ["libraries.scan_run", "metadata.refresh"]
    assert "Hidden" in shown.content.decode() and "Only housekeeping" in shown.content.decode()
    assert names_listed(client.get(RUNS, {"housekeeping": "show"})) == [
        "core.task_runs_prune",
        "libraries.scan_run",
        "metadata.refresh",
        "notifications.sweep",
    ]
    only = client.get(RUNS, {"housekeeping": "only"})
    assert names_listed(only) == ["core.task_runs_prune", "notifications.sweep"]
    assert names_listed(client.get(RUNS, {"area": "libraries"})) == ["libraries.scan_run"]
    assert "notifications.sweep" in housekeeping_names()
    assert html_problems(shown.content.decode()) == []


def test_a_failed_run_is_retried_with_its_arguments(boss, client):
    failed = run_make("metadata.refresh", "failure", "library_id=3, force=True")
    client.force_login(boss)
    page = client.get(f"{RUNS}{failed.pk}/change/").content.decode()
    assert '<button type="submit" class="button">Retry</button>' in page
    answer = client.post(RUNS, {"action": "retry", "_selected_action": [failed.pk]}, follow=True)
    assert "1 run(s) queued again." in answer.content.decode()
    again = TaskRun.objects.exclude(pk=failed.pk).get(name="metadata.refresh")
    assert again.state == "queued" and again.args_summary == "library_id=3, force=True"


@pytest.mark.parametrize(
    ("name", "state", "args", "said"),
    [
        ("libraries.scan_run", "failure", "12", "not safe to run again by hand"),
        ("metadata.refresh", "success", "", "succeeded, not failed"),
        ("metadata.refresh", "failure", "movie_ids=[1, 2, 3, …", "too long to keep"),
        ("metadata.refresh", "failure", "<Library: Films>", "not kept as plain values"),
        ("metadata.refresh", "failure", "__import__('os').system('true')", "not kept as plain values"),
        ("nobody.knows", "failure", "", "no task nobody.knows is known"),
    ],
)
def test_runs_that_cannot_be_retried_say_why(boss, client, name, state, args, said):
    run = run_make(name, state, args)
    assert said in retry_refusal(run=run)
    client.force_login(boss)
    answer = client.post(RUNS, {"action": "retry", "_selected_action": [run.pk]}, follow=True)
    assert said in answer.content.decode()
    assert TaskRun.objects.count() == 1  # nothing queued


def test_arguments_are_read_back_only_as_plain_values():
    assert arguments_of("3, 'x', paths=['/a', '/b'], done=False") == ((3, "x"), {"paths": ["/a", "/b"], "done": False})
    assert arguments_of("") == ((), {})
    for broken in ("3,, 4", "**{'a': 1}", "open('/etc/passwd')", "1)", "x=1, 2"):
        with pytest.raises(ValueError):
            arguments_of(broken)


def test_retry_needs_more_than_reading_the_log(client):
    mod = user_make("mod", role=Role.MODERATOR)
    run = run_make("metadata.refresh", "failure", "library_id=3")
    client.force_login(mod)
    if client.get(RUNS).status_code != 200:
        return  # moderators do not see task runs at all
    client.post(RUNS, {"action": "retry", "_selected_action": [run.pk]})
    assert TaskRun.objects.count() == 1


def test_activity_filters_are_a_short_readable_list(boss, client):
    Activity.objects.all().delete()  # what making the admin wrote
    activity_record(event="login_failed", success=False, actor_name="mallory", message="bad password")
    activity_record(event="update", target=boss)
    activity_record(event="stream_terminated", actor=boss, object_repr="Heat")
    client.force_login(boss)
    page = client.get(ACTIVITY)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Sign-ins and passwords" in html and "Operators&#x27; actions" in html
    assert "?area=accounts" in html and "?content_type__id__exact" not in html
    signins = client.get(ACTIVITY, {"kind": "signin"}).context["cl"].queryset
    assert list(signins.values_list("event", flat=True)) == ["login_failed"]
    accounts = client.get(ACTIVITY, {"area": "accounts"}).context["cl"].queryset
    assert list(accounts.values_list("object_repr", flat=True)) == ["boss"]
    assert client.get(ACTIVITY, {"kind": "nonsense"}).status_code in (200, 302)
    assert html_problems(html) == []
