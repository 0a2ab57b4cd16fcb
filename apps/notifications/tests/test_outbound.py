"""Channels and agents cannot be aimed at the server's own network: refused when saved, refused when sent,
admin-only schemes, the admin opt-in (and its activity entry), and test sends that tell nothing of the answer."""

from __future__ import annotations

import ipaddress

import pytest

from apps.audit.models import Activity
from apps.core import outbound
from apps.core.testing.clients import client_for
from apps.core.testing.receivers import SECRET
from apps.notifications import senders, services
from apps.notifications.models import NotificationAgent
from apps.notifications.tests.helpers import make_agent

pytestmark = pytest.mark.django_db
CHANNELS, AGENTS = "/api/v1/notifications/channels/", "/api/v1/notifications/agents/"
HOSTILE = [
    ("127.0.0.1:8399", "127.0.0.1 is a loopback address"),
    ("[::1]", "::1 is a loopback address"),
    ("10.0.0.8", "10.0.0.8 is a private address"),
    ("172.16.9.9", "172.16.9.9 is a private address"),
    ("192.168.0.10", "192.168.0.10 is a private address"),
    ("169.254.169.254", "169.254.169.254 is a link-local address"),
    ("[fe80::1]", "fe80::1 is a link-local address"),
    ("[fc00::1]", "fc00::1 is a private address"),
    ("0.0.0.0", "0.0.0.0 is an unspecified address"),  # noqa: S104 - an address refused, not bound
    ("224.0.0.1", "224.0.0.1 is a multicast address"),
    ("100.64.0.1", "100.64.0.1 is a shared (carrier-grade NAT) address"),
    ("[::ffff:127.0.0.1]", "::ffff:127.0.0.1 is a loopback address"),
    ("2130706433", "127.0.0.1 (of 2130706433) is a loopback address"),
    ("0x7f.1", "127.0.0.1 (of 0x7f.1) is a loopback address"),
    ("localhost:8399", "127.0.0.1 (of localhost) is a loopback address"),
]


@pytest.mark.parametrize(("host", "reason"), HOSTILE)
def test_a_guests_discord_channel_on_the_own_network_is_refused(people, host, reason):
    body = {"kind": "discord", "url": f"http://{host}/api/webhooks/1/token"}
    refused = client_for(people.guest).post(CHANNELS, body, format="json")
    assert refused.status_code == 400 and reason in refused.json()["errors"]["url"][0]
    assert not NotificationAgent.objects.exists()


@pytest.mark.parametrize(("host", "reason"), HOSTILE)
def test_a_moderators_webhook_agent_on_the_own_network_is_refused(people, host, reason):
    body = {"kind": "webhook", "url": f"http://{host}/hook", "secret": SECRET, "events": ["*"]}
    refused = client_for(people.moderator).post(AGENTS, body, format="json")
    assert refused.status_code == 400 and reason in refused.json()["errors"]["url"][0]


@pytest.mark.parametrize("host", ["127.0.0.1", "[::1]", "10.1.1.1", "169.254.169.254", "localhost", "[fd00::2]"])
def test_apprise_urls_naming_an_own_address_are_refused_when_saved(people, host):
    refused = client_for(people.member).post(CHANNELS, {"kind": "ntfy", "url": f"ntfy://{host}:8080/t"}, format="json")
    assert refused.status_code == 400 and "address" in refused.json()["errors"]["url"][0]


def test_a_name_that_resolves_to_loopback_when_sent_is_refused_then(people, ntfy):
    """Saved while it pointed elsewhere (or not at all); at send time it resolves to 127.0.0.1: nothing is sent."""
    channel = services.agent_create(kind="ntfy", owner=people.member, url=f"ntfy://ntfy.example:{ntfy.port}/t")
    outbound.resolver = lambda host: ["127.0.0.1"] if host == "ntfy.example" else None
    try:
        answer = client_for(people.member).post(f"{CHANNELS}{channel.pk}/test/").json()
    finally:
        outbound.resolver = None
    assert answer == {
        "delivered": False,
        "status_code": None,
        "error": "address 127.0.0.1 (of ntfy.example) is a loopback address",
    }
    assert ntfy.received == []


def test_a_webhook_name_that_resolves_to_loopback_is_refused_before_connecting(people, webhook):
    agent = services.agent_create(kind="webhook", url=f"http://hooks.example:{webhook.port}/", secret=SECRET)
    outbound.resolver = lambda host: ["127.0.0.1"] if host == "hooks.example" else None
    try:
        result = services.agent_test(agent=agent)
    finally:
        outbound.resolver = None
    assert result.error == "address 127.0.0.1 (of hooks.example) is a loopback address" and webhook.received == []


@pytest.mark.parametrize(
    "url",
    [
        "json://hooks.invalid/x?method=GET&+Authorization=Bearer%20stolen",
        "jsons://hooks.invalid/x?-secret=1",
        "xml://hooks.invalid/x",
        "form://hooks.invalid/x?method=PUT",
        "apprise://hooks.invalid/abcdef",
        "syslog://local5",
        "rsyslog://hooks.invalid/local5",
    ],
)
def test_schemes_that_are_not_notification_services_are_for_admins_only(people, url):
    refused = client_for(people.member).post(CHANNELS, {"kind": "apprise", "url": url}, format="json")
    assert refused.status_code == 400 and "not a notification service" in refused.json()["errors"]["url"][0]
    moderator = client_for(people.moderator).post(AGENTS, {"kind": "apprise", "url": url}, format="json")
    assert moderator.status_code == 400 and "only an admin" in moderator.json()["errors"]["url"][0]
    assert client_for(people.admin).post(AGENTS, {"kind": "apprise", "url": url}, format="json").status_code == 201


def test_a_json_channel_stored_before_the_rule_is_not_sent(people):
    channel = NotificationAgent.objects.create(kind="apprise", owner=people.member, url="json://hooks.invalid/x")
    result = services.agent_test(agent=channel)
    assert not result.ok and "not a notification service" in result.error


def test_only_admins_opt_in_and_the_opt_in_reaches_a_real_local_receiver(people, webhook):
    body = {"kind": "webhook", "url": webhook.url, "secret": SECRET, "events": ["*"], "allow_private_network": True}
    denied = client_for(people.moderator).post(AGENTS, body, format="json")
    assert denied.status_code == 403 and "Only an admin" in denied.json()["detail"]
    created = client_for(people.admin).post(AGENTS, body, format="json")
    assert created.status_code == 201 and created.json()["allow_private_network"] is True
    entry = Activity.objects.get(event="private_network_allowed")
    assert entry.actor == people.admin and entry.object_pk == str(created.json()["id"])
    tested = client_for(people.admin).post(f"{AGENTS}{created.json()['id']}/test/").json()
    assert tested["delivered"] is True and webhook.verified(webhook.received[0])
    # A moderator may edit it, not re-aim it nor take the opt-in away; an admin may.
    detail = f"{AGENTS}{created.json()['id']}/"
    moderator = client_for(people.moderator)
    assert moderator.patch(detail, {"events": ["media"]}, format="json").status_code == 200
    moved = moderator.patch(detail, {"url": "http://10.0.0.1/"}, format="json")
    assert moved.status_code == 403 and "change the address" in moved.json()["detail"]
    assert moderator.patch(detail, {"allow_private_network": False}, format="json").status_code == 403
    off = {"allow_private_network": False, "url": "http://hooks.invalid/"}
    assert client_for(people.admin).patch(detail, off, format="json").status_code == 200
    assert Activity.objects.filter(event="private_network_disallowed", actor=people.admin).count() == 1


def test_the_same_receiver_without_the_opt_in_gets_nothing(people, webhook):
    """A row stored before the guard existed is checked when it sends."""
    agent = make_agent(url=webhook.url, secret=SECRET)
    NotificationAgent.objects.filter(pk=agent.pk).update(allow_private_network=False)
    agent.refresh_from_db()
    result = services.agent_test(agent=agent)
    assert not result.ok and result.error == "address 127.0.0.1 is a loopback address" and webhook.received == []


def test_personal_channels_of_non_admins_never_opt_in(people, ntfy):
    body = {"kind": "ntfy", "url": f"ntfy://127.0.0.1:{ntfy.port}/t", "allow_private_network": True}
    for who in (people.guest, people.member, people.moderator):
        refused = client_for(who).post(CHANNELS, body, format="json")
        assert refused.status_code == 403, who
    own = client_for(people.admin).post(CHANNELS, body, format="json")
    assert own.status_code == 201
    channel = NotificationAgent.objects.get(pk=own.json()["id"])
    assert senders.send(channel, message=services.TEST_MESSAGE, envelope=_envelope()).ok
    # Once the owner is no longer an admin, the opt-in is not honoured any more.
    type(people.admin).objects.filter(pk=people.admin.pk).update(is_superuser=False)
    channel = NotificationAgent.objects.select_related("owner").get(pk=channel.pk)
    result = senders.send(channel, message=services.TEST_MESSAGE, envelope=_envelope())
    assert not result.ok and "loopback" in result.error and len(ntfy.received) == 1


def test_a_failed_test_says_the_status_and_nothing_of_the_answer(people, plain_receiver, settings):
    settings.OUTBOUND_ALLOWED_NETWORKS = [ipaddress.ip_network("127.0.0.1/32")]
    plain_receiver.answer = lambda request: (418, {"Content-Type": "text/plain"}, b"root:x:0:0 internal secrets")
    channel = services.agent_create(kind="discord", owner=people.guest, url=plain_receiver.url + "/api/webhooks/1/t")
    answer = client_for(people.guest).post(f"{CHANNELS}{channel.pk}/test/").json()
    assert answer == {"delivered": False, "status_code": 418, "error": "HTTP 418"}


def test_a_redirect_to_the_own_network_is_not_followed(people, plain_receiver, webhook, settings):
    settings.OUTBOUND_ALLOWED_NETWORKS = [ipaddress.ip_network("127.0.0.1/32")]
    plain_receiver.answer = lambda request: (307, {"Location": f"http://127.0.0.2:{webhook.port}/"}, b"")
    channel = services.agent_create(kind="discord", owner=people.guest, url=plain_receiver.url + "/api/webhooks/1/t")
    answer = client_for(people.guest).post(f"{CHANNELS}{channel.pk}/test/").json()
    assert answer == {"delivered": False, "status_code": 307, "error": "HTTP 307: redirects are not followed"}
    assert webhook.received == []


def _envelope() -> senders.Envelope:
    return senders.Envelope(key="t.1", event="test", category="test")


def test_an_email_agents_smtp_server_goes_through_the_guard_too(people, smtp):
    config = {"host": "127.0.0.1", "port": smtp.port, "to": ["ops@example.org"]}
    body = {"kind": "email", "config": config, "events": ["*"]}
    refused = client_for(people.moderator).post(AGENTS, body, format="json")
    assert refused.status_code == 400 and "127.0.0.1 is a loopback address" in str(refused.json()["errors"]["config"])
    agent = make_agent(kind="email", config=config)  # opted in: it is delivered
    assert services.agent_test(agent=agent).ok and len(smtp.wait_for(1)) == 1
    NotificationAgent.objects.filter(pk=agent.pk).update(allow_private_network=False)
    agent.refresh_from_db()
    result = services.agent_test(agent=agent)
    assert not result.ok and result.error == "address 127.0.0.1 is a loopback address"


def test_apprise_follows_no_redirect_even_to_an_address_the_agent_may_reach(people, plain_receiver, ntfy):
    plain_receiver.answer = lambda request: (302, {"Location": f"http://127.0.0.1:{ntfy.port}/t"}, b"")
    agent = make_agent(kind="ntfy", url=f"ntfy://127.0.0.1:{plain_receiver.port}/t")  # opted in
    result = services.agent_test(agent=agent)
    assert (result.ok, result.status_code, result.error) == (False, 302, "HTTP 302: redirects are not followed")
    assert len(plain_receiver.received) == 1 and ntfy.received == []
