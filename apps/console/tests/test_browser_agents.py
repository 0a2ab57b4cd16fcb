"""An agent's page in a real browser: events ticked by category, "Send test" answered in place (htmx)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from apps.accounts.models import Role
from apps.console.tests.test_browser_dashboard import shoot, sign_in
from apps.core.testing.accessibility import axe_violations, html_problems
from apps.core.testing.people import user_make
from apps.core.testing.receivers import SECRET, WebhookReceiver
from apps.notifications import services
from apps.notifications.models import NotificationAgent

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def webhook():
    receiver = WebhookReceiver(SECRET)
    yield receiver
    receiver.close()


def test_tick_events_save_and_send_a_test(page, webhook):
    user_make("boss", role=Role.ADMIN)
    agent = services.agent_create(
        kind="webhook", name="Ops hook", url=webhook.url, secret=SECRET, events=["system"], allow_private_network=True
    )
    sign_in(page, "boss")
    page.goto(f"/admin/notifications/notificationagent/{agent.pk}/change/")
    page.get_by_label("Everything in request").check()
    page.get_by_label("Movies", exact=True).check()
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    agent.refresh_from_db()
    assert (sorted(agent.events), agent.media_kinds) == (["request", "system"], ["movie"])

    page.get_by_role("button", name="Send test").click()
    expect(page.locator("#agent-test-result")).to_contain_text("Delivered: Ops hook took the test message.")
    found = axe_violations(page)
    assert found == [], "\n".join(found)
    assert html_problems(page.content()) == []
    shoot(page, "console-agent")

    NotificationAgent.objects.filter(pk=agent.pk).update(url="http://127.0.0.1:9/")
    page.get_by_role("button", name="Send test").click()
    expect(page.locator("#agent-test-result")).to_contain_text("Not delivered")
    shoot(page, "console-agent-test-failed")
