"""The requests queue: pending requests with posters and subscribers; approve with a profile and folder read from
the Radarr stand-in, decline with a reason; broken input is told next to its field and changes nothing."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.cache import cache

from apps.accounts.models import Role
from apps.core.testing.accessibility import html_problems
from apps.core.testing.arr import API_KEY, FakeArr
from apps.core.testing.people import user_make
from apps.requests.models import ArrServer, MediaRequest

pytestmark = pytest.mark.django_db
QUEUE = "/admin/console/requests/"


def radarr_server_make(fake: FakeArr, **fields) -> ArrServer:
    """The default Radarr at the stand-in, opted in to 127.0.0.1, with a default profile and folder."""
    defaults = {"quality_profile_id": 1, "root_folder": "/data/media", "is_default": True}
    return ArrServer.objects.create(
        kind="radarr",
        name="Radarr",
        base_url=fake.url,
        api_key=API_KEY,
        allow_private_network=True,
        **{**defaults, **fields},
    )


@pytest.fixture
def queue(radarr, db) -> SimpleNamespace:
    """A default Radarr with defaults, people, and two pending movie requests (one with a subscriber)."""
    server = radarr_server_make(radarr)
    people = SimpleNamespace(
        boss=user_make("boss", role=Role.ADMIN),
        mod=user_make("mod", role=Role.MODERATOR),
        alice=user_make("alice"),
        bob=user_make("bob"),
    )
    heat = MediaRequest.objects.create(
        kind="movie", tmdb_id=949, title="Heat", year=1995, poster="http://img/heat.jpg", requested_by=people.alice
    )
    heat.subscribers.add(people.bob)
    arrival = MediaRequest.objects.create(kind="movie", tmdb_id=329865, title="Arrival", requested_by=people.boss)
    return SimpleNamespace(server=server, heat=heat, arrival=arrival, **vars(people))


def approve(client, media_request, **fields):
    data = {f"r{media_request.pk}-{name}": value for name, value in fields.items()}
    return client.post(f"{QUEUE}do/{media_request.pk}/approve/", data)


def test_the_queue_shows_posters_requesters_subscribers_and_what_the_server_offers(queue, client):
    client.force_login(queue.boss)
    page = client.get(QUEUE)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'src="http://img/heat.jpg"' in html and "Heat (1995)" in html and "Arrival" in html
    assert "alice" in html and "+1" in html and "bob" in html
    assert '<option value="4">HD-1080p</option>' in html  # the stand-in's quality profiles
    assert '<option value="/movies">/movies</option>' in html  # and its root folders
    assert html_problems(html) == []


def test_a_chosen_profile_and_folder_go_with_the_approval(queue, client):
    client.force_login(queue.boss)
    answer = approve(client, queue.heat, server=queue.server.pk, quality_profile=4, root_folder="/movies")
    assert answer.status_code == 302
    queue.heat.refresh_from_db()
    assert (queue.heat.status, queue.heat.quality_profile_id, queue.heat.root_folder) == ("approved", 4, "/movies")
    assert queue.heat.server == queue.server and queue.heat.approved_by == queue.boss
    assert "Approved Heat (1995)." in client.get(QUEUE).content.decode()


def test_empty_choices_keep_the_servers_defaults(queue, client):
    client.force_login(queue.boss)
    assert approve(client, queue.heat, server=queue.server.pk, quality_profile="", root_folder="").status_code == 302
    queue.heat.refresh_from_db()
    assert (queue.heat.status, queue.heat.quality_profile_id, queue.heat.root_folder) == ("approved", None, "")


@pytest.mark.parametrize(
    ("fields", "field", "said"),
    [
        ({"quality_profile": 99, "root_folder": "/movies"}, "quality_profile", "Select a valid choice"),
        ({"quality_profile": "'; drop", "root_folder": "/movies"}, "quality_profile", "Select a valid choice"),
        ({"quality_profile": 4, "root_folder": "/etc"}, "root_folder", "Select a valid choice"),
        ({"quality_profile": 4, "root_folder": "../../movies"}, "root_folder", "Select a valid choice"),
    ],
)
def test_choices_the_server_does_not_offer_are_refused_next_to_the_field(queue, client, fields, field, said):
    client.force_login(queue.boss)
    answer = approve(client, queue.heat, server=queue.server.pk, **fields)
    assert answer.status_code == 400
    assert said in answer.content.decode()
    assert answer.context["entries"][0]["approve"].errors[field]
    queue.heat.refresh_from_db()
    assert queue.heat.status == "pending" and queue.heat.quality_profile_id is None


def test_a_server_of_the_wrong_kind_or_a_disabled_one_is_refused(queue, client, radarr):
    sonarr = ArrServer.objects.create(kind="sonarr", name="Sonarr", base_url=radarr.url, api_key=API_KEY)
    off = ArrServer.objects.create(
        kind="radarr", name="Old Radarr", base_url=radarr.url, api_key=API_KEY, enabled=False
    )
    client.force_login(queue.boss)
    for server in (sonarr, off, "nonsense", ""):
        answer = approve(client, queue.heat, server=getattr(server, "pk", server))
        assert answer.status_code == 400
        assert answer.context["entries"][0]["approve"].errors["server"]
    queue.heat.refresh_from_db()
    assert queue.heat.status == "pending"


def test_a_down_server_is_told_and_its_defaults_still_serve(queue, client, radarr):
    radarr.fail_next = 100  # 503 to everything
    client.force_login(queue.boss)
    page = client.get(QUEUE)
    assert page.status_code == 200
    assert "Radarr cannot be asked right now" in page.content.decode()
    # Two requests on the page, one question to the server: its failure is kept a few seconds too.
    assert len([p for _, p, _ in radarr.received if p == "/api/v3/qualityprofile"]) == 1
    assert approve(client, queue.heat, server=queue.server.pk).status_code == 302
    queue.heat.refresh_from_db()
    assert queue.heat.status == "approved"


def test_a_down_server_without_defaults_cannot_be_approved_to(queue, client, radarr):
    ArrServer.objects.filter(pk=queue.server.pk).update(quality_profile_id=None, root_folder="")
    radarr.close()
    client.force_login(queue.boss)
    answer = approve(client, queue.heat, server=queue.server.pk)
    assert answer.status_code == 400
    assert "no default profile and folder" in answer.content.decode()
    queue.heat.refresh_from_db()
    assert queue.heat.status == "pending"


def test_the_servers_lists_are_cached_briefly(queue, client, radarr):
    client.force_login(queue.boss)
    client.get(QUEUE)
    client.get(QUEUE)
    asked = [path for method, path, _ in radarr.received if path == "/api/v3/qualityprofile"]
    assert len(asked) == 1
    cache.clear()
    client.get(QUEUE)
    assert len([path for method, path, _ in radarr.received if path == "/api/v3/qualityprofile"]) == 2


def test_another_server_brings_its_own_lists(queue, client, radarr):
    other = FakeArr("radarr")
    other.root_folders = ["/films-4k"]
    try:
        uhd = ArrServer.objects.create(
            kind="radarr", name="Radarr 4K", base_url=other.url, api_key=API_KEY, is_4k=True, allow_private_network=True
        )
        client.force_login(queue.boss)
        form = client.get(f"{QUEUE}form/{queue.heat.pk}/", {f"r{queue.heat.pk}-server": uhd.pk})
        assert form.status_code == 200
        html = form.content.decode()
        assert '<option value="/films-4k">/films-4k</option>' in html and "/movies" not in html
        assert html_problems(html) == []
    finally:
        other.close()


def test_decline_with_a_reason_and_a_reason_too_long(queue, client):
    client.force_login(queue.boss)
    too_long = client.post(f"{QUEUE}do/{queue.heat.pk}/decline/", {f"d{queue.heat.pk}-reason": "x" * 501})
    assert too_long.status_code == 400
    assert "at most 500 characters" in too_long.content.decode()
    queue.heat.refresh_from_db()
    assert queue.heat.status == "pending"
    done = client.post(f"{QUEUE}do/{queue.heat.pk}/decline/", {f"d{queue.heat.pk}-reason": "Not on this server"})
    assert done.status_code == 302
    queue.heat.refresh_from_db()
    assert (queue.heat.status, queue.heat.decline_reason) == ("declined", "Not on this server")
    # Declined is no longer pending: acting again is "no such request", not a second decline.
    assert client.post(f"{QUEUE}do/{queue.heat.pk}/decline/", {}).status_code == 404


def test_rank_unknown_actions_and_strangers(queue, client):
    client.force_login(queue.mod)
    page = client.get(QUEUE).content.decode()
    assert "Asked by someone ranked above you" in page  # the admin's request: no forms for the moderator
    assert approve(client, queue.arrival, server=queue.server.pk).status_code == 403
    assert client.post(f"{QUEUE}do/{queue.heat.pk}/explode/", {}).status_code == 404
    assert client.post(f"{QUEUE}do/999999/approve/", {}).status_code == 404
    assert client.get(f"{QUEUE}do/{queue.heat.pk}/approve/").status_code == 405
    client.force_login(queue.alice)
    assert client.get(QUEUE).status_code in (302, 403)
    assert approve(client, queue.heat, server=queue.server.pk).status_code in (302, 403)
    queue.heat.refresh_from_db()
    assert queue.heat.status == "pending"


def test_the_server_page_shows_the_webhook_to_paste(queue, client):
    client.force_login(queue.boss)
    page = client.get(f"/admin/requests/arrserver/{queue.server.pk}/change/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'value="http://testserver/api/v1/webhooks/radarr/"' in html
    assert queue.server.webhook_secret in html and 'data-copy="webhook-url"' in html
    assert html_problems(html) == []
