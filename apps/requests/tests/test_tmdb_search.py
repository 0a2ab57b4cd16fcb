"""Request search through TMDb (the kit's stand-in on 127.0.0.1): results, their states, the fall-back to
Radarr/Sonarr when TMDb fails, hostile answers, and a request made from a TMDb result reaching Radarr/Sonarr."""

from __future__ import annotations

import json
import urllib.request

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.libraries import services as libraries
from apps.media.models import Movie, Show
from apps.metadata.tmdb import client
from apps.requests import tasks, titles
from apps.requests.models import ArrServer, MediaRequest

pytestmark = pytest.mark.django_db
URL = "/api/v1/requests/"
SEARCH = f"{URL}search/"


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    """Backoff timing only: the retries still happen, without their sleep."""
    monkeypatch.setattr(client, "BACKOFF", 0.01)


@pytest.fixture
def catalogue(tmdb):
    tmdb.movie_add(949, "Heat", year=1995, overview="A heist.", poster="/heat.jpg")
    tmdb.movie_add(329865, "Arrival", year=2016, poster="/arrival.jpg")
    tmdb.movie_add(8203, "Heat Wave", year=1990, popularity=1.0)
    tmdb.show_add(95396, "Severance", tvdb_id=371980, first_air_date="2022-02-18", seasons={0: 1, 1: 9, 2: 10},
                  poster="/severance.jpg")  # fmt: skip
    tmdb.show_add(4000, "Severance Pay", tvdb_id=None, seasons={1: 2})  # no tvdb id: Sonarr cannot take it
    return tmdb


def library_of(people, tmp_path, name: str, kind: str, *, roles: dict) -> object:
    (tmp_path / name).mkdir()
    library = libraries.library_create(name=name, kind=kind, paths=[str(tmp_path / name)])
    libraries.library_grants_set(library=library, roles=roles, users={}, by=people.admin)
    return library


def test_tmdb_answers_the_search_with_each_titles_state(catalogue, servers, people, api, radarr, tmp_path):
    shared = library_of(people, tmp_path, "M", "movies", roles={"user": ["view_library"]})
    Movie.objects.create(library=shared, match_key="heat", title="Heat", tmdb_id="949", has_main_file=True)
    MediaRequest.objects.create(kind="movie", tmdb_id=8203, title="Heat Wave", requested_by=people.other)

    answer = api(people.member).get(SEARCH, {"kind": "movie", "q": "heat"})
    assert answer.status_code == 200, answer.content
    heat, wave = answer.json()
    assert heat == {
        "kind": "movie", "tmdb_id": 949, "tvdb_id": None, "title": "Heat", "year": 1995, "overview": "A heist.",
        "poster": f"{catalogue.image_url}/w185/heat.jpg", "seasons": [], "in_library": True,
        "request_status": None, "request_id": None,
    }  # fmt: skip
    assert (wave["title"], wave["in_library"], wave["request_status"], wave["poster"]) == (
        "Heat Wave",
        False,
        "pending",
        "",
    )
    arrival = api(people.member).get(SEARCH, {"kind": "movie", "q": "arrival"}).json()
    assert [(r["tmdb_id"], r["in_library"], r["request_status"]) for r in arrival] == [(329865, False, None)]
    assert radarr.received == [], "TMDb answered: Radarr was not asked"
    with urllib.request.urlopen(heat["poster"]) as poster:  # the stand-in on 127.0.0.1
        assert poster.headers["Content-Type"] == "image/jpeg" and poster.read()


def test_shows_carry_the_tvdb_id_and_seasons_and_one_without_a_tvdb_id_is_left_out(
    catalogue, servers, people, api, sonarr, tmp_path
):
    shows = library_of(people, tmp_path, "S", "shows", roles={"user": ["view_library"]})
    # Matched from TMDb only (no tvdb id stored): still the same show.
    Show.objects.create(library=shows, match_key="severance", title="Severance", tmdb_id="95396")
    found = api(people.member).get(SEARCH, {"kind": "show", "q": "severance"}).json()
    assert [(r["title"], r["tmdb_id"], r["tvdb_id"], r["year"], r["seasons"], r["in_library"]) for r in found] == [
        ("Severance", 95396, 371980, 2022, [0, 1, 2], True)
    ]
    assert sonarr.received == []
    by_tvdb = api(people.member).get(SEARCH, {"kind": "show", "q": "tvdb:371980"}).json()
    assert [r["tmdb_id"] for r in by_tvdb] == [95396]
    by_tmdb = api(people.member).get(SEARCH, {"kind": "movie", "q": "tmdb:329865"}).json()
    assert [r["title"] for r in by_tmdb] == ["Arrival"]
    assert api(people.member).get(SEARCH, {"kind": "movie", "q": "tmdb:999999"}).json() == []


def test_a_show_search_asks_tmdb_a_bounded_number_of_times_and_then_from_the_cache(tmdb, servers, people, api):
    for n in range(30):
        tmdb.show_add(5000 + n, f"Star Show {n}", tvdb_id=700000 + n, popularity=100 - n)
    first = api(people.member).get(SEARCH, {"kind": "show", "q": "star"}).json()
    assert len(first) == titles.SHOW_DETAILS and first[0]["tvdb_id"] == 700000
    asked = len(tmdb.calls)
    assert asked == 1 + titles.SHOW_DETAILS, tmdb.calls
    again = api(people.other).get(SEARCH, {"kind": "show", "q": "star"}).json()
    assert [r["tvdb_id"] for r in again] == [r["tvdb_id"] for r in first] and len(tmdb.calls) == asked


def test_a_title_in_a_library_hidden_from_the_user_stays_requestable(catalogue, servers, people, api, tmp_path):
    hidden = library_of(people, tmp_path, "Private", "movies", roles={})
    Movie.objects.create(library=hidden, match_key="heat", title="Heat", tmdb_id="949", has_main_file=True)
    member = api(people.member).get(SEARCH, {"kind": "movie", "q": "heat"}).json()
    assert [(r["tmdb_id"], r["in_library"]) for r in member] == [(949, False), (8203, False)]
    admin = api(people.admin).get(SEARCH, {"kind": "movie", "q": "heat"}).json()
    assert [(r["tmdb_id"], r["in_library"]) for r in admin] == [(949, True), (8203, False)]


@pytest.mark.parametrize("down", ["503", "closed"])
def test_tmdb_down_falls_back_to_radarr_and_is_let_rest(catalogue, servers, people, api, radarr, down):
    catalogue.down = down
    answer = api(people.member).get(SEARCH, {"kind": "movie", "q": "heat"})
    assert answer.status_code == 200, answer.content
    assert [(r["title"], r["poster"]) for r in answer.json()] == [("Heat", "http://img/heat.jpg")]
    asked = len(catalogue.calls)
    assert 1 <= asked <= client.QUICK_ATTEMPTS
    # The next searches do not wait on TMDb again while it rests.
    assert api(people.member).get(SEARCH, {"kind": "movie", "q": "arrival"}).json()[0]["tmdb_id"] == 329865
    assert len(catalogue.calls) == asked and len(radarr.received) == 2


def test_tmdb_down_and_no_server_is_a_clear_502_that_names_no_address(catalogue, people, api):
    catalogue.down = "503"
    answer = api(people.member).get(SEARCH, {"kind": "movie", "q": "heat"})
    assert answer.status_code == 502 and answer.json()["code"] == "tmdb_unavailable"
    assert "TMDb cannot be asked right now" in answer.json()["detail"]
    assert "127.0.0.1" not in answer.content.decode()
    catalogue.down = None
    # Resting: still told, without TMDb being asked again.
    asked = len(catalogue.calls)
    assert api(people.member).get(SEARCH, {"kind": "movie", "q": "heat"}).status_code == 502
    assert len(catalogue.calls) == asked


def test_without_tmdb_or_a_server_the_search_says_so(people, api):
    answer = api(people.member).get(SEARCH, {"kind": "show", "q": "severance"})
    assert answer.status_code == 503 and answer.json() == {
        "detail": "no enabled default Sonarr server is configured",
        "code": "no_server",
    }


def test_tmdb_configured_and_up_needs_no_server_to_search(catalogue, people, api):
    found = api(people.member).get(SEARCH, {"kind": "movie", "q": "arrival"}).json()
    assert [r["tmdb_id"] for r in found] == [329865]


def _movie_results(results) -> bytes:
    return json.dumps({"page": 1, "results": results, "total_pages": 1, "total_results": 1}).encode()


GOOD = {"id": 949, "title": "Heat", "release_date": "1995-12-15", "poster_path": "/heat.jpg"}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"<html>Service Unavailable</html>", None),
        (b'["not", "an", "object"]', None),
        (json.dumps({"results": "many"}).encode(), None),
        (json.dumps({"results": None}).encode(), None),
        (_movie_results([GOOD, GOOD, "x", 7, None, []]), [(949, "Heat", 1995, "/w185/heat.jpg")]),
        (
            _movie_results(
                [
                    {"title": "No id"},
                    {"id": "949", "title": "Id as text"},
                    {"id": True, "title": "Id as a boolean"},
                    {"id": -4, "title": "Negative"},
                    {"id": 2**40, "title": "Too big"},
                    {"id": 1.5, "title": "A fraction"},
                    {"id": 77, "title": ["a", "list"]},
                    {"id": 78, "title": "   "},
                    {
                        "id": 79,
                        "title": "Odd fields",
                        "release_date": 1995,
                        "overview": {"x": 1},
                        "poster_path": "../../etc/passwd",
                    },
                    {"id": 80, "title": "Offsite", "poster_path": "https://evil.example/x.jpg", "release_date": "soon"},
                    {"id": 81, "title": "X" * 10_000, "release_date": "0000-01-01"},
                ]
            ),
            [(79, "Odd fields", None, ""), (80, "Offsite", None, ""), (81, "X" * 500, None, "")],
        ),
        (
            _movie_results([{"id": n, "title": f"Film {n}"} for n in range(1, 100_001)]),
            [(n, f"Film {n}", None, "") for n in range(1, titles.LIMIT + 1)],
        ),
    ],
)
def test_hostile_tmdb_answers_never_crash_nor_show_bogus_titles(tmdb, servers, people, api, radarr, body, expected):
    tmdb.respond_raw("/3/search/movie", body)
    answer = api(people.member).get(SEARCH, {"kind": "movie", "q": "heat"})
    assert answer.status_code == 200, answer.content
    shown = [(r["tmdb_id"], r["title"], r["year"], r["poster"].replace(tmdb.image_url, "")) for r in answer.json()]
    if expected is None:  # not TMDb's shape: Radarr answers instead
        assert shown == [(949, "Heat", 1995, "http://img/heat.jpg")] and radarr.received
    else:
        assert shown == expected and not radarr.received
        assert all(r["overview"] == "" for r in answer.json())


@pytest.mark.parametrize(
    "details",
    [
        {"external_ids": {"tvdb_id": "371980"}},
        {"external_ids": {"tvdb_id": None}},
        {"external_ids": "371980"},
        {"id": 1},  # another show's details
        {"name": None},
    ],
)
def test_a_show_whose_details_lack_a_usable_tvdb_id_is_not_shown(tmdb, people, api, details):
    show = tmdb.show_add(95396, "Severance", tvdb_id=371980)
    tmdb.show_add(95397, "Severance Again", tvdb_id=371981)
    show.update(details)
    found = api(people.member).get(SEARCH, {"kind": "show", "q": "severance"}).json()
    assert [r["tvdb_id"] for r in found] == [371981]


def test_broken_show_details_fall_back_to_sonarr(tmdb, servers, people, api, sonarr):
    tmdb.show_add(95396, "Severance", tvdb_id=371980)
    tmdb.respond_raw("/3/tv/95396", b"\x00\xff not json")
    found = api(people.member).get(SEARCH, {"kind": "show", "q": "severance"}).json()
    assert [(r["tvdb_id"], r["seasons"]) for r in found] == [(371980, [0, 1, 2])] and sonarr.received


def test_a_movie_requested_from_a_tmdb_result_is_added_to_radarr_by_tmdb_id(catalogue, servers, people, api, radarr):
    (heat, *_) = api(people.member).get(SEARCH, {"kind": "movie", "q": "heat"}).json()
    made = api(people.member).post(URL, {"kind": "movie", "tmdb_id": heat["tmdb_id"]}, format="json")
    assert made.status_code == 201, made.content
    approved = api(people.moderator).post(f"{URL}{made.json()['id']}/approve/")
    assert approved.status_code == 200, approved.content
    assert tasks.request_handoff.apply(args=[made.json()["id"]]).get() == "processing"
    (body,) = radarr.posts("/api/v3/movie")
    assert (body["tmdbId"], body["title"]) == (949, "Heat")
    again = api(people.member).get(SEARCH, {"kind": "movie", "q": "heat"}).json()
    assert again[0]["request_status"] == "processing" and again[0]["request_id"] == made.json()["id"]


def test_a_show_requested_from_a_tmdb_result_is_added_to_sonarr_by_tvdb_id(catalogue, servers, people, api, sonarr):
    (show,) = api(people.member).get(SEARCH, {"kind": "show", "q": "severance"}).json()
    body = {"kind": "show", "tvdb_id": show["tvdb_id"], "seasons": show["seasons"][-1:]}
    made = api(people.member).post(URL, body, format="json")
    assert made.status_code == 201, made.content
    assert api(people.moderator).post(f"{URL}{made.json()['id']}/approve/").status_code == 200
    assert tasks.request_handoff.apply(args=[made.json()["id"]]).get() == "processing"
    (added,) = sonarr.posts("/api/v3/series")
    assert added["tvdbId"] == 371980
    assert [s["seasonNumber"] for s in added["seasons"] if s["monitored"]] == [2]
    request = MediaRequest.objects.get()
    assert (request.tvdb_id, request.seasons, request.server.kind) == (371980, [2], ArrServer.Kind.SONARR)


def test_a_request_takes_its_title_from_tmdb_even_while_radarr_is_down(catalogue, servers, people, api, radarr):
    ArrServer.objects.filter(pk=servers.radarr.pk).update(base_url="http://127.0.0.1:9")  # nothing listens there
    made = api(people.member).post(URL, {"kind": "movie", "tmdb_id": 949}, format="json")
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["title"], body["year"], body["poster"]) == ("Heat", 1995, f"{catalogue.image_url}/w185/heat.jpg")
    unknown = api(people.member).post(URL, {"kind": "movie", "tmdb_id": 424242}, format="json")
    assert unknown.status_code == 400 and "known to TMDb" in unknown.json()["errors"]["tmdb_id"][0]
    assert MediaRequest.objects.count() == 1, "Radarr being down stopped nothing"


def test_a_shows_seasons_are_checked_against_the_ones_tmdb_offered(tmdb, servers, people, api, sonarr):
    tmdb.show_add(95396, "Severance", tvdb_id=371980, seasons={1: 9, 2: 10, 3: 8})  # Sonarr's lookup: 0, 1, 2
    (show,) = api(people.member).get(SEARCH, {"kind": "show", "q": "severance"}).json()
    assert show["seasons"] == [1, 2, 3]
    made = api(people.member).post(URL, {"kind": "show", "tvdb_id": 371980, "seasons": [3]}, format="json")
    assert made.status_code == 201, made.content
    assert (made.json()["seasons"], MediaRequest.objects.get().tmdb_id) == ([3], 95396)
    MediaRequest.objects.update(status="declined")
    refused = api(people.member).post(URL, {"kind": "show", "tvdb_id": 371980, "seasons": [0]}, format="json")
    assert refused.status_code == 400 and "Severance has no season 0" in refused.json()["errors"]["seasons"][0]
    assert sonarr.received == []


def test_with_tmdb_down_a_request_is_checked_with_radarr_as_before(catalogue, servers, people, api, radarr):
    catalogue.down = "503"
    made = api(people.member).post(URL, {"kind": "movie", "tmdb_id": 949}, format="json")
    assert made.status_code == 201, made.content
    assert (made.json()["title"], made.json()["poster"]) == ("Heat", "http://img/heat.jpg")
    assert radarr.received


@pytest.mark.parametrize("kind", ["movie", "show"])
def test_the_database_queries_of_a_search_do_not_grow_with_its_results(tmdb, people, api, kind):
    member = api(people.member)
    for n in range(titles.SHOW_DETAILS):
        tmdb.movie_add(10 + n, f"Lone {n}" if n == 0 else f"Many {n}")
        tmdb.show_add(100 + n, f"Lone {n}" if n == 0 else f"Many {n}", tvdb_id=1000 + n)
        MediaRequest.objects.create(kind=kind, tmdb_id=10 + n, tvdb_id=1000 + n, title="T", requested_by=people.other)
    member.get(SEARCH, {"kind": kind, "q": "lone"})  # sessions, role settings: the first request's own
    counts = []
    for q, shown in (("lone", 1), ("many", titles.SHOW_DETAILS - 1)):
        with CaptureQueriesContext(connection) as queries:
            found = member.get(SEARCH, {"kind": kind, "q": q}).json()
        assert len(found) == shown and all(r["request_status"] == "pending" for r in found)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
