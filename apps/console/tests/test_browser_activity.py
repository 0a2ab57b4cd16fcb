"""Activity and task runs in a real browser: the short filters, housekeeping hidden, a failed run retried."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.accounts.models import Role
from apps.audit.services import activity_record
from apps.console.tests.test_browser_dashboard import shoot, sign_in
from apps.core.models import TaskRun
from apps.core.testing.accessibility import axe_violations, html_problems
from apps.core.testing.people import user_make

pytestmark = pytest.mark.django_db(transaction=True)


def checked(page) -> None:
    found = axe_violations(page)
    assert found == [], "\n".join(found)
    assert html_problems(page.content()) == []


def test_filters_housekeeping_and_retry(page):
    boss = user_make("boss", role=Role.ADMIN)
    activity_record(event="login_failed", success=False, actor_name="mallory", message="bad password")
    activity_record(event="stream_terminated", actor=boss, object_repr="Heat")
    now = timezone.now()
    for n, (name, state, args) in enumerate(
        [
            ("notifications.sweep", "success", ""),
            ("playback.sessions_idle_stop", "success", ""),
            ("libraries.scan_run", "success", "12"),
            ("metadata.refresh", "failure", "library_id=99"),
        ]
    ):
        TaskRun.objects.create(task_id=f"t{n}", name=name, state=state, args_summary=args, started_at=now)
    sign_in(page, "boss")

    page.goto("/admin/audit/activity/")
    page.get_by_role("link", name="Sign-ins and passwords").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(2)  # boss's sign-in, and mallory's failed one
    expect(page.locator("#result_list")).to_contain_text("login_failed")
    expect(page.locator("#result_list")).not_to_contain_text("stream_terminated")
    checked(page)
    shoot(page, "console-activity")

    page.goto("/admin/core/taskrun/")
    expect(page.locator("#result_list tbody tr")).to_have_count(2)
    expect(page.locator("#result_list")).not_to_contain_text("notifications.sweep")
    checked(page)
    shoot(page, "console-activity-task-runs")
    page.get_by_role("link", name="Only housekeeping").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(2)
    expect(page.locator("#result_list")).to_contain_text("notifications.sweep")

    failed = TaskRun.objects.get(name="metadata.refresh")
    page.goto(f"/admin/core/taskrun/{failed.pk}/change/")
    page.get_by_role("button", name="Retry").click()
    expect(page.locator(".messagelist")).to_contain_text("1 run(s) queued again.")
    assert TaskRun.objects.filter(name="metadata.refresh", state="queued").exists()
    shoot(page, "console-activity-retried")
