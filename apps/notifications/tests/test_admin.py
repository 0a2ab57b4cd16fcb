"""The operator UI: clear errors for broken agents, write-only secrets, "Send test", notices, retries."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from apps.audit.models import Activity
from apps.core.testing.receivers import SECRET
from apps.notifications.models import MessageTemplate, NotificationAgent, NotificationDelivery
from apps.notifications.services import message_template_save
from apps.notifications.tests.helpers import dispatched, make_agent

pytestmark = pytest.mark.django_db
ADD = "/admin/notifications/notificationagent/add/"


@pytest.fixture
def admin_client(people) -> Client:
    client = Client()
    client.force_login(people.admin)
    return client


def form(**fields) -> dict:
    return {
        "name": "hook",
        "kind": "webhook",
        "url": "",
        "secret": "",
        "config": "{}",
        "events": ["*"],
        "enabled": "on",
        "allow_private_network": "on",  # the receivers are on 127.0.0.1: the admin opts in
        **fields,
    }


def test_a_broken_agent_is_refused_with_a_clear_error(admin_client):
    response = admin_client.post(ADD, form(url="ftp://127.0.0.1/x", secret="short"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "http:// or https://" in errors["url"][0] and "signing secret" in errors["secret"][0]
    assert not NotificationAgent.objects.exists()


def test_secrets_are_write_only_in_the_admin_too(admin_client, webhook):
    response = admin_client.post(ADD, form(url=webhook.url, secret=SECRET))
    assert response.status_code == 302, response.context["adminform"].form.errors
    agent = NotificationAgent.objects.get()
    [entry] = Activity.objects.filter(content_type__model="notificationagent", event="create")
    assert Activity.objects.get(event="private_network_allowed").actor.username == "boss"
    assert "secret" not in entry.changes and "url" not in entry.changes and SECRET not in str(entry.changes)
    page = admin_client.get(f"/admin/notifications/notificationagent/{agent.pk}/change/").content.decode()
    assert SECRET not in page and f'value="{webhook.url}' not in page
    response = admin_client.post(f"/admin/notifications/notificationagent/{agent.pk}/change/", form(name="renamed"))
    assert response.status_code == 302
    agent.refresh_from_db()
    assert (agent.name, agent.url, agent.secret) == ("renamed", webhook.url, SECRET)


def test_send_test_from_the_admin(admin_client, webhook):
    agent = make_agent(url=webhook.url, secret=SECRET, events=["*"])
    response = admin_client.post(
        "/admin/notifications/notificationagent/",
        {"action": "send_test", "_selected_action": [agent.pk]},
        follow=True,
    )
    assert "Hook: delivered." in response.content.decode()
    assert webhook.verified(webhook.received[0])


def test_an_agent_turned_off_for_failing_is_announced_on_the_list(admin_client):
    agent = make_agent(url="http://127.0.0.1:9/", secret=SECRET, events=["*"])
    NotificationAgent.objects.filter(pk=agent.pk).update(
        enabled=False, disabled_reason="turned off after 10 failed deliveries in a row; last error: HTTP 500"
    )
    page = admin_client.get("/admin/notifications/notificationagent/").content.decode()
    assert "turned off after 10 failed deliveries in a row" in page
    # Turned back on by hand, it starts counting from zero.
    admin_client.post(f"/admin/notifications/notificationagent/{agent.pk}/change/", form())
    agent.refresh_from_db()
    assert agent.enabled and agent.consecutive_failures == 0 and agent.disabled_reason == ""


def test_failed_deliveries_can_be_tried_again(admin_client, people):
    agent = make_agent(url="http://127.0.0.1:9/", secret=SECRET, events=["system"])
    dispatched("system.startup", process="web")
    row = NotificationDelivery.objects.get(agent=agent)
    NotificationDelivery.objects.filter(pk=row.pk).update(status="failed", attempts=5, last_error="HTTP 500")
    admin_client.get("/admin/notifications/notificationdelivery/")
    response = admin_client.post(
        "/admin/notifications/notificationdelivery/", {"action": "retry", "_selected_action": [row.pk]}, follow=True
    )
    assert "1 deliveries queued again." in response.content.decode()
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == ("pending", 0, "")


def test_message_wording_pages_show_the_defaults(admin_client):
    page = admin_client.get("/admin/notifications/messagetemplate/add/?event=movie.added").content.decode()
    assert "Default: New movie: {{ title }}" in page


def test_staff_who_are_not_admins_see_the_opt_in_but_cannot_set_it(people, webhook):
    from django.contrib.auth.models import Permission

    from apps.accounts.services import users

    keeper = users.user_create(username="keeper", password="x" * 12, by=None)
    keeper.is_staff = True
    keeper.save()
    keeper.user_permissions.add(*Permission.objects.filter(codename__endswith="_notificationagent"))
    client = Client()
    client.force_login(keeper)
    page = client.get(ADD)
    assert page.status_code == 200 and 'name="allow_private_network"' not in page.content.decode()  # read-only
    response = client.post(ADD, form(url=webhook.url, secret=SECRET))  # the box is ignored: not theirs to tick
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "127.0.0.1 is a loopback address" in str(errors["url"])
    assert not NotificationAgent.objects.exists()
    agent = make_agent(url=webhook.url, secret=SECRET)  # opted in by an admin
    moved = client.post(f"/admin/notifications/notificationagent/{agent.pk}/change/", form(url="http://10.0.0.1/"))
    assert "change the address" in str(moved.context["adminform"].form.non_field_errors())
    kept = client.post(f"/admin/notifications/notificationagent/{agent.pk}/change/", form(name="renamed"))
    assert kept.status_code == 302
    agent.refresh_from_db()
    assert agent.name == "renamed" and agent.allow_private_network and agent.url == webhook.url


def test_a_message_template_saved_outside_the_form_is_checked_by_the_service_too(db):
    with pytest.raises(ValidationError) as refused:
        message_template_save(template=MessageTemplate(event="movie.added", title="{% if %}"), by=None)
    assert "title" in refused.value.message_dict
    assert not MessageTemplate.objects.exists()
