"""The requests pages: search marks each title as the API does, requests go through the service, refusals are told."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.metadata.tmdb import client as tmdb_client
from apps.requests import services
from apps.requests.models import MediaRequest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_rate_limit")]


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_guest_gets_no_requests_page_and_no_button(people, servers):
    client = client_of(people.guest)
    page = client.get("/requests/?q=heat")
    assert page.status_code == 403 and b"may not request titles" in page.content
    made = client.post("/requests/new/", {"kind": "movie", "external_id": "949"})
    assert made.status_code == 403 and not MediaRequest.objects.exists()
    home = client.get("/me/")
    assert b'href="/requests/"' not in home.content and b">Request<" not in home.content


def test_the_search_marks_titles_and_shows_the_quota(people, servers):
    services.request_create(user=people.other, kind="movie", external_id=329865)
    page = client_of(people.member).get("/requests/?kind=movie&q=heat arrival")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'aria-label="Request Heat (1995)"' in text and "http://img/heat.jpg" in text
    assert "Arrival" in text and 'class="state state-requested">Requested<' in text
    assert "<strong>1</strong> of 1 left" in text and "<strong>5</strong> of 5 left" in text


def test_a_request_is_made_then_the_quota_refuses_the_next_with_the_apis_words(people, servers):
    client = client_of(people.member)
    made = client.post("/requests/new/", {"kind": "movie", "external_id": "949", "q": "heat"})
    assert made.status_code == 302 and made["Location"] == "/requests/?kind=movie&q=heat"
    request = MediaRequest.objects.get()
    assert (request.title, request.requested_by, request.status) == ("Heat", people.member, "pending")
    page = client.get(made["Location"])
    assert b"Requested Heat (1995)." in page.content and b'class="state state-requested"' in page.content
    assert b"<strong>0</strong> of 1 left" in page.content and b"one more from" in page.content
    refused = client.post("/requests/new/", {"kind": "movie", "external_id": "329865", "q": "arrival"})
    assert refused.status_code == 403
    assert b"You have used your 1 movie request of the last 7 days." in refused.content
    assert MediaRequest.objects.count() == 1


def test_a_title_requested_by_someone_else_is_joined(people, servers):
    services.request_create(user=people.other, kind="movie", external_id=949)
    made = client_of(people.member).post("/requests/new/", {"kind": "movie", "external_id": "949"})
    assert made.status_code == 302
    request = MediaRequest.objects.get()
    assert list(request.subscribers.all()) == [people.member]


def test_a_show_is_requested_with_the_seasons_ticked(people, servers):
    client = client_of(people.member)
    page = client.get("/requests/?kind=show&q=severance")
    assert b'name="seasons" value="2"' in page.content and b"Specials" in page.content
    client.post("/requests/new/", {"kind": "show", "external_id": "371980", "seasons": ["2", "1"]})
    assert MediaRequest.objects.get().seasons == [1, 2]


@pytest.mark.parametrize(
    ("query", "told"),
    [
        ("q=", b"Type a title to look for."),
        ("q=" + "x" * 201, b"Ensure this value has at most 200 characters"),
        ("q=heat%00", b"Null characters are not allowed."),
        ("q=heat%1b%5b2J", b"cannot be searched for"),
        ("kind=book&q=heat", b"Select a valid choice."),
    ],
)
def test_a_hostile_query_is_told_next_to_the_field(people, servers, radarr, query, told):
    page = client_of(people.member).get(f"/requests/?{query}")
    assert page.status_code == 400 and told in page.content
    assert not any(path.endswith("/lookup") for _, path, _ in radarr.received)


@pytest.mark.parametrize(
    ("form", "told"),
    [
        ({"kind": "movie", "external_id": "0"}, b"greater than or equal to 1."),
        ({"kind": "movie", "external_id": "x' OR 1=1"}, b"Enter a whole number."),
        ({"kind": "movie", "external_id": str(2**40)}, b"less than or equal to 2147483647."),
        ({"kind": "film", "external_id": "949"}, b"Select a valid choice. film is not one of the available choices."),
        ({"kind": "show", "external_id": "371980", "seasons": ["-1"]}, b"Select a valid choice. -1 is not one"),
        ({"kind": "movie", "external_id": "949", "seasons": ["1"]}, b"Only shows have seasons."),
        ({"kind": "show", "external_id": "371980", "seasons": ["9"]}, b"Severance has no season 9."),
        ({"kind": "movie", "external_id": "4242"}, b"No movie with tmdb id 4242 is known to Radarr."),
    ],
)
def test_a_broken_request_is_told_and_nothing_is_saved(people, servers, form, told):
    page = client_of(people.member).post("/requests/new/", form)
    assert page.status_code in (400, 403) and told in page.content, page.content.decode()[:3000]
    assert not MediaRequest.objects.exists()


def test_without_a_server_the_search_says_so(people, db):
    page = client_of(people.member).get("/requests/?q=heat")
    assert page.status_code == 503 and b"No enabled default Radarr server is configured" in page.content


def test_a_request_is_cancelled_while_pending_and_not_once_handed_off(people, servers):
    request, _ = services.request_create(user=people.member, kind="movie", external_id=949)
    client = client_of(people.member)
    page = client.get("/requests/")
    assert f'action="/requests/{request.pk}/cancel/"'.encode() in page.content
    assert client.post(f"/requests/{request.pk}/cancel/").status_code == 302
    assert not MediaRequest.objects.exists()
    request, _ = services.request_create(user=people.other, kind="movie", external_id=329865)
    MediaRequest.objects.filter(pk=request.pk).update(status="processing")
    gone = client_of(people.other).post(f"/requests/{request.pk}/cancel/", follow=True)
    assert b"was not cancelled: the request is processing" in gone.content
    assert MediaRequest.objects.filter(pk=request.pk).exists()
    # Someone else's request is nobody else's to cancel, nor to know of.
    assert client.post(f"/requests/{request.pk}/cancel/").status_code == 404


def test_with_tmdb_configured_the_page_shows_its_titles_posters_states_and_seasons(people, servers, tmdb, radarr):
    tmdb.movie_add(949, "Heat", year=1995, overview="A heist in Los Angeles.", poster="/heat.jpg")
    tmdb.movie_add(603, "Heat Lightning", year=1999)
    tmdb.show_add(95396, "Severance", tvdb_id=371980, seasons={0: 1, 1: 9, 2: 10}, poster="/severance.jpg")
    services.request_create(user=people.other, kind="movie", external_id=949)
    asked_radarr = len(radarr.received)  # the request's own check of the title
    client = client_of(people.member)
    page = client.get("/requests/?kind=movie&q=heat")
    assert page.status_code == 200
    text = page.content.decode()
    assert f'<img src="{tmdb.image_url}/w185/heat.jpg"' in text and "A heist in Los Angeles." in text
    assert 'class="state state-requested">Requested<' in text, "Heat: requested by someone else"
    assert 'aria-label="Request Heat Lightning (1999)"' in text and 'name="external_id" value="603"' in text
    assert len(radarr.received) == asked_radarr, "TMDb answered the search, not Radarr"
    shows = client.get("/requests/?kind=show&q=severance").content.decode()
    assert 'name="external_id" value="371980"' in shows and 'name="seasons" value="2"' in shows
    assert f"{tmdb.image_url}/w185/severance.jpg" in shows and "Specials" in shows


def test_with_tmdb_down_and_no_server_the_page_says_search_cannot_be_done(people, tmdb, monkeypatch):
    monkeypatch.setattr(tmdb_client, "BACKOFF", 0.01)
    tmdb.down = "503"
    page = client_of(people.member).get("/requests/?kind=movie&q=heat")
    assert page.status_code == 502
    assert b"TMDb cannot be asked right now; an admin can see why in the server log." in page.content
    assert b"127.0.0.1" not in page.content
