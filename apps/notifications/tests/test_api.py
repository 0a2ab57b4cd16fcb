"""The notifications API: agents (managers), own channels and preferences, the catalogue, the delivery log and
in-app notifications; secrets never come back, broken configuration is a 400 with a message."""

import ipaddress

import pytest
from rest_framework.test import APIClient

from apps.core.testing.clients import client_for
from apps.core.testing.receivers import SECRET
from apps.notifications.models import Notification, NotificationAgent, NotificationDelivery
from apps.notifications.tests.helpers import dispatched, make_agent

pytestmark = pytest.mark.django_db
AGENTS = "/api/v1/notifications/agents/"


def test_a_manager_creates_a_webhook_agent_and_never_reads_its_secret_back(people, webhook):
    client = client_for(people.moderator)
    body = {"name": "ops", "kind": "webhook", "url": webhook.url + "/x?token=abc", "secret": SECRET, "events": ["*"]}
    # The receiver is on 127.0.0.1: a moderator is refused, an admin opts the agent in.
    assert client.post(AGENTS, body, format="json").status_code == 400
    response = client_for(people.admin).post(AGENTS, {**body, "allow_private_network": True}, format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    assert "secret" not in created and "url" not in created and created["has_secret"] is True
    assert created["target"] == f"http://127.0.0.1:{webhook.port}/…" and "abc" not in str(created)
    listed = client.get(AGENTS).json()
    assert listed["count"] == 1 and SECRET not in str(listed) and "token=abc" not in str(listed)
    # Changing something else keeps the URL and secret; the agent still signs with the same secret.
    response = client.patch(f"{AGENTS}{created['id']}/", {"events": ["media"]}, format="json")
    assert response.status_code == 200 and response.json()["events"] == ["media"]
    agent = NotificationAgent.objects.get(pk=created["id"])
    assert (agent.url, agent.secret) == (webhook.url + "/x?token=abc", SECRET)


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"kind": "webhook", "url": "ftp://127.0.0.1/", "secret": SECRET}, "url", "http:// or https://"),
        ({"kind": "webhook", "url": "http://127.0.0.1/"}, "secret", "signing secret"),
        ({"kind": "fax", "url": "http://127.0.0.1/"}, "kind", "not a valid choice"),
        ({"kind": "gotify", "url": "gotify://"}, "url", "Apprise"),
        ({"kind": "email", "config": {"host": "", "to": []}}, "config", "required"),
        ({"kind": "webhook", "url": "http://h/", "secret": SECRET, "events": ["movie.exploded"]}, "events", "names no"),
    ],
)
def test_broken_agent_configuration_is_a_400_with_a_message(people, body, field, words):
    response = client_for(people.admin).post(AGENTS, {"name": "bad", **body}, format="json")
    assert response.status_code == 400
    data = response.json()
    assert data["code"] == "invalid" and words in " ".join(data["errors"][field]), data
    assert not NotificationAgent.objects.exists()


def test_members_may_not_see_or_touch_agents(people):
    agent = make_agent(url="http://127.0.0.1:9/", secret=SECRET, events=["*"])
    client = client_for(people.member)
    assert client.get(AGENTS).status_code == 403
    assert client.get(f"{AGENTS}{agent.pk}/").status_code == 403
    assert client.post(f"{AGENTS}{agent.pk}/test/").status_code == 403
    assert APIClient().get(AGENTS).status_code == 401


def test_send_test_reports_how_it_went(people, webhook, plain_receiver):
    good = make_agent(name="good", url=webhook.url, secret=SECRET, events=["*"])
    client = client_for(people.admin)
    assert client.post(f"{AGENTS}{good.pk}/test/").json() == {"delivered": True, "status_code": 200, "error": ""}
    assert webhook.verified(webhook.received[0]) and webhook.received[0].headers["X-Revenge-Event"] == "test"
    plain_receiver.mode = "fail"
    bad = make_agent(name="bad", url=plain_receiver.url, secret=SECRET, events=["*"])
    answer = client.post(f"{AGENTS}{bad.pk}/test/").json()
    assert answer == {"delivered": False, "status_code": 500, "error": "HTTP 500"}  # never the receiver's words
    assert not NotificationDelivery.objects.exists()  # tests are not deliveries


def test_people_manage_their_own_channels_only(people, ntfy, settings):
    mine = client_for(people.member)
    body = {"kind": "ntfy", "url": f"ntfy://127.0.0.1:{ntfy.port}/member-topic", "events": ["request"]}
    refused = mine.post("/api/v1/notifications/channels/", body, format="json")
    assert refused.status_code == 400 and "127.0.0.1 is a loopback address" in refused.json()["errors"]["url"][0]
    settings.OUTBOUND_ALLOWED_NETWORKS = [ipaddress.ip_network("127.0.0.1/32")]  # as if it were the operator's LAN
    response = mine.post("/api/v1/notifications/channels/", body, format="json")
    assert response.status_code == 201, response.json()
    channel = response.json()
    assert channel["name"] == "ntfy" and "url" not in channel and "member-topic" in channel["target"]
    assert mine.post(f"/api/v1/notifications/channels/{channel['id']}/test/").json()["delivered"] is True
    assert ntfy.received[0].json()["topic"] == "member-topic"
    theirs = client_for(people.guest)
    assert theirs.get("/api/v1/notifications/channels/").json()["count"] == 0
    assert theirs.get(f"/api/v1/notifications/channels/{channel['id']}/").status_code == 404
    assert client_for(people.admin).get(AGENTS).json()["count"] == 0  # channels are not the operator's agents
    refused = mine.post(
        "/api/v1/notifications/channels/", {"kind": "webhook", "url": "http://127.0.0.1/"}, format="json"
    )
    assert refused.status_code == 400 and "kind" in refused.json()["errors"]


def test_preferences_are_read_and_changed_by_their_owner(people):
    client = client_for(people.moderator)
    data = client.get("/api/v1/notifications/preferences/").json()
    assert data["events"] == [] and data["in_app"] is True and data["digest"] == "off"
    assert "system" in data["defaults"]
    response = client.patch(
        "/api/v1/notifications/preferences/", {"events": ["media", "request.*"], "digest": "weekly"}, format="json"
    )
    assert response.status_code == 200 and response.json()["events"] == ["media", "request.*"]
    bad = client.put("/api/v1/notifications/preferences/", {"events": ["nonsense"]}, format="json")
    assert bad.status_code == 400 and "names no event" in bad.json()["errors"]["events"][0]
    assert client.patch("/api/v1/notifications/preferences/", {"digest": "hourly"}, format="json").status_code == 400
    assert client_for(people.member).get("/api/v1/notifications/preferences/").json()["events"] == []


def test_the_catalogue_lists_every_event_with_category_and_payload(people):
    events = client_for(people.guest).get("/api/v1/notifications/events/").json()
    by_name = {e["name"]: e for e in events}
    for name in ("movie.available", "request.failed", "playback.paused", "transcode.started", "security.lockout"):
        assert name in by_name
    assert by_name["request.declined"]["category"] == "request"
    assert {"request_id", "requester_id", "subscriber_ids", "reason"} <= set(by_name["request.declined"]["payload"])


def test_in_app_notifications_unread_count_and_mark_read(people):
    for process in ("web", "worker"):
        dispatched("system.startup", process=process)
    client = client_for(people.admin)
    assert client.get("/api/v1/notifications/unread-count/").json() == {"unread": 2}
    listed = client.get("/api/v1/notifications/").json()
    assert listed["count"] == 2 and {n["title"] for n in listed["results"]} == {
        "Revenge web started",
        "Revenge worker started",
    }
    first = listed["results"][0]["id"]
    assert client.post(f"/api/v1/notifications/{first}/read/").json() == {"marked": 1}
    assert client.get("/api/v1/notifications/?unread=true").json()["count"] == 1
    # Someone else's notice is not there for anyone else.
    assert client_for(people.moderator).post(f"/api/v1/notifications/{first}/read/").status_code == 404
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 1}
    assert client.get("/api/v1/notifications/unread-count/").json() == {"unread": 0}
    assert Notification.objects.filter(user=people.moderator, read_at=None).count() == 2


def test_the_delivery_log_is_for_managers(people, webhook):
    agent = make_agent(url=webhook.url, secret=SECRET, events=["system"])
    dispatched("system.startup", process="web")
    rows = client_for(people.moderator).get("/api/v1/notifications/deliveries/?status=pending").json()
    assert rows["count"] == 1
    row = rows["results"][0]
    assert (row["event"], row["agent"], row["agent_kind"], row["attempts"]) == (
        "system.startup",
        agent.pk,
        "webhook",
        0,
    )
    assert client_for(people.member).get("/api/v1/notifications/deliveries/").status_code == 403


def test_agent_conditions_name_only_what_the_manager_may_see(people, webhook, tmp_path):
    from apps.accounts.services import roles, users
    from apps.accounts.services.roles import permissions_by_name
    from apps.libraries import services as library_services

    hidden = library_services.library_create(name="Hidden", kind="movies", paths=[str(tmp_path)])
    library_services.library_grants_set(library=hidden, roles={}, users={}, by=people.admin)
    ops = roles.role_create(name="ops", rank=30, by=None, permissions=permissions_by_name(["accounts.change_user"]))
    operator = users.user_create(username="ops", password="x" * 12, by=None, role=ops)
    body = {"name": "ops", "kind": "webhook", "url": "http://hooks.invalid/in", "secret": SECRET, "events": ["*"]}
    outranked = client_for(people.moderator).post(AGENTS, {**body, "users": [people.admin.pk]}, format="json")
    assert outranked.status_code == 400 and "users" in outranked.json()["errors"]
    unseen = client_for(operator).post(AGENTS, {**body, "libraries": [hidden.pk]}, format="json")
    assert unseen.status_code == 400 and "libraries" in unseen.json()["errors"]
    allowed = client_for(people.moderator).post(AGENTS, {**body, "users": [people.member.pk]}, format="json")
    assert allowed.status_code == 201, allowed.json()
    everything = {**body, "name": "all", "libraries": [hidden.pk], "users": [people.admin.pk]}
    assert client_for(people.admin).post(AGENTS, everything, format="json").status_code == 201
