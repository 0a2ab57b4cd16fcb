"""Notification agents in the console: events by category as checkboxes, media kinds and libraries as pickers,
saved through the services; "Send test" in place; personal channels for managers; the delivery log's filters."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from apps.accounts.models import Role
from apps.core import events
from apps.core.testing.accessibility import html_problems
from apps.core.testing.people import user_make
from apps.core.testing.receivers import SECRET, WebhookReceiver
from apps.libraries import services as library_services
from apps.notifications import delivery, services
from apps.notifications.models import NotificationAgent, NotificationDelivery

pytestmark = pytest.mark.django_db
AGENTS = "/admin/notifications/notificationagent/"
ADD = f"{AGENTS}add/"


@pytest.fixture
def webhook():
    receiver = WebhookReceiver(SECRET)
    yield receiver
    receiver.close()


@pytest.fixture
def people(db) -> SimpleNamespace:
    return SimpleNamespace(boss=user_make("boss", role=Role.ADMIN), alice=user_make("alice", email="a@example.org"))


def agent_make(url: str, **fields) -> NotificationAgent:
    fields = {"name": "hook", "kind": "webhook", "secret": SECRET, "allow_private_network": True, **fields}
    return services.agent_create(url=url, **fields)


def form(**fields) -> dict:
    return {
        "name": "hook",
        "kind": "webhook",
        "url": "",
        "secret": "",
        "config": "{}",
        "enabled": "on",
        "allow_private_network": "on",
        **fields,
    }


def test_the_form_groups_events_by_category_with_pickers_for_conditions(people, client):
    client.force_login(people.boss)
    page = client.get(ADD)
    html = page.content.decode()
    assert page.status_code == 200
    assert "<legend>Request</legend>" in html and "<legend>Media</legend>" in html
    assert 'value="request"' in html and "Everything in request" in html and 'value="request.available"' in html
    assert 'type="checkbox" name="media_kinds" value="movie"' in html
    assert '"events": \'["' not in html  # no JSON box for events
    assert html_problems(html) == []


def test_an_agent_is_saved_through_the_services_with_what_was_ticked(people, client, webhook, tmp_path):
    library = library_services.library_create(name="Films", kind="movies", paths=[str(tmp_path)])
    client.force_login(people.boss)
    data = form(
        url=webhook.url,
        secret=SECRET,
        events=["request", "movie.added"],
        media_kinds=["movie"],
        libraries=[library.pk],
        users=[people.alice.pk],
    )
    answer = client.post(ADD, data)
    assert answer.status_code == 302, answer.context["adminform"].form.errors
    agent = NotificationAgent.objects.get()
    assert (agent.events, agent.media_kinds) == (["request", "movie.added"], ["movie"])
    assert list(agent.libraries.all()) == [library] and list(agent.users.all()) == [people.alice]
    assert agent.allow_private_network and agent.url == webhook.url


@pytest.mark.parametrize(
    ("fields", "field", "said"),
    [
        ({"events": ["nope.event"]}, "events", "Select a valid choice"),
        ({"events": ["*"], "media_kinds": ["alien"]}, "media_kinds", "Select a valid choice"),
        ({"events": ["*"], "url": "http://169.254.169.254/latest", "allow_private_network": ""}, "url", "link-local"),
        ({"events": ["*"], "url": "ftp://example.org/x"}, "url", "http:// or https://"),
        ({"events": ["*"], "secret": "short"}, "secret", "signing secret"),
        ({"events": ["digest"]}, "events", "names no event"),
    ],
)
def test_broken_input_is_told_next_to_its_field_and_nothing_is_saved(people, client, webhook, fields, field, said):
    client.force_login(people.boss)
    answer = client.post(ADD, form(**{"url": webhook.url, "secret": SECRET, **fields}))
    assert answer.status_code == 200
    errors = answer.context["adminform"].form.errors
    assert said in str(errors[field]), errors
    assert not NotificationAgent.objects.exists()


def test_a_stored_pattern_of_another_form_is_kept(people, client, webhook):
    agent = agent_make(webhook.url, events=["playback.*", "system"])
    client.force_login(people.boss)
    page = client.get(f"{AGENTS}{agent.pk}/change/").content.decode()
    assert "<legend>Other patterns</legend>" in page and 'value="playback.*"' in page
    answer = client.post(f"{AGENTS}{agent.pk}/change/", form(name="renamed", events=["playback.*", "system"]))
    assert answer.status_code == 302
    agent.refresh_from_db()
    assert (agent.name, agent.events, agent.url) == ("renamed", ["playback.*", "system"], webhook.url)


def test_send_test_answers_in_place(people, client, webhook):
    good = agent_make(webhook.url)
    dead = agent_make("http://127.0.0.1:9/", name="dead")
    client.force_login(people.boss)
    page = client.get(f"{AGENTS}{good.pk}/change/").content.decode()
    assert f'hx-post="/admin/console/agents/{good.pk}/test/"' in page
    assert html_problems(page) == []
    said = client.post(f"/admin/console/agents/{good.pk}/test/", HTTP_HX_REQUEST="true").content.decode()
    assert "Delivered: hook took the test message." in said and webhook.verified(webhook.received[0])
    failed = client.post(f"/admin/console/agents/{dead.pk}/test/", HTTP_HX_REQUEST="true").content.decode()
    assert "Not delivered:" in failed
    assert client.get(f"/admin/console/agents/{good.pk}/test/").status_code == 405
    assert client.post("/admin/console/agents/999999/test/").status_code == 404
    client.force_login(people.alice)
    assert client.post(f"/admin/console/agents/{good.pk}/test/").status_code in (302, 403)
    assert len(webhook.received) == 1


def test_managers_see_personal_channels(people, client, settings, webhook):
    agent_make(webhook.url, name="operator hook")
    phone = services.agent_create(
        kind="ntfy", name="alice phone", owner=people.alice, url="ntfy://ntfy.example.org/alice"
    )
    client.force_login(people.boss)
    everything = client.get(AGENTS).content.decode()
    assert "operator hook" in everything and "alice phone" in everything
    personal = client.get(AGENTS, {"whose": "personal"}).content.decode()
    assert "alice phone" in personal and "operator hook" not in personal
    # A personal channel may ask for the digest; its owner stays hers.
    data = form(name="alice phone", kind="ntfy", events=["digest"], allow_private_network="")
    answer = client.post(f"{AGENTS}{phone.pk}/change/", data)
    assert answer.status_code == 302, answer.context["adminform"].form.errors
    phone.refresh_from_db()
    assert (phone.events, phone.owner, phone.url) == (["digest"], people.alice, "ntfy://ntfy.example.org/alice")


def test_the_delivery_log_filters_by_event_agent_status_and_date(people, client, webhook):
    agent = agent_make(webhook.url, events=["system", "security"])
    for name, payload in (
        ("system.startup", {"process": "web"}),
        ("security.lockout", {"username": "x", "ip": "192.0.2.1"}),
    ):
        delivery.event_publish(event=events.Event(name=name, payload=payload))
    assert NotificationDelivery.objects.filter(agent=agent).count() == 2
    client.force_login(people.boss)
    log = "/admin/notifications/notificationdelivery/"
    page = client.get(log).content.decode()
    assert "?event=system.startup" in page and "?event=security.lockout" in page
    only = client.get(log, {"event": "system.startup"})
    assert list(only.context["cl"].queryset.values_list("event__name", flat=True)) == ["system.startup"]
    since = str(timezone.now() - timedelta(days=1))
    today = client.get(log, {"created_at__gte": since, "status__exact": "pending", "agent__id__exact": agent.pk})
    assert today.context["cl"].queryset.count() == 2
    later = client.get(log, {"created_at__gte": str(timezone.now() + timedelta(days=1))})
    assert later.context["cl"].queryset.count() == 0
