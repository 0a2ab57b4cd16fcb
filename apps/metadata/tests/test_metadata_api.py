"""Identify and refresh over the API: for library managers, against the TMDb stand-in, with hostile input refused."""

from __future__ import annotations

import time

import pytest

from apps.core.testing.catalogue import hide, movie_make
from apps.core.testing.clients import client_for
from apps.core.testing.people import user_make
from apps.libraries import services as library_services
from apps.media.models import MetadataStatus, Movie, Show

LOOKUP_OFF = "Metadata lookup is off"


@pytest.fixture
def shelf(tmp_path, db):
    (tmp_path / "m").mkdir()
    (tmp_path / "tv").mkdir()
    movies = library_services.library_create(name="Movies", kind="movies", paths=[str(tmp_path / "m")])
    tv = library_services.library_create(name="TV", kind="shows", paths=[str(tmp_path / "tv")])
    boss = user_make("boss", role="admin")
    unmatched = movie_make(library=movies, title="Matrix", year=1999, metadata_status=MetadataStatus.UNMATCHED)
    show = Show.objects.create(library=tv, match_key="lost", title="Lost", year=2004)
    return {"movies": movies, "tv": tv, "boss": boss, "movie": unmatched, "show": show}


@pytest.fixture
def matrix(tmdb):
    tmdb.movie_add(
        603,
        "The Matrix",
        year=1999,
        poster="/matrix.jpg",
        tagline="Welcome to the Real World.",
        cast=[(6384, "Keanu Reeves", "Neo")],
        crew=[(9340, "Lana Wachowski", "Director", "Directing")],
    )
    tmdb.movie_add(604, "The Matrix Reloaded", year=2003)
    return tmdb


def manager(shelf, username: str = "manny"):
    """A member with a manage grant on the movie library only."""
    person = user_make(username)
    library_services.library_grants_set(
        library=shelf["movies"],
        roles={"user": ["view_library"]},
        users={username: ["manage_library"]},
        by=shelf["boss"],
    )
    return person


def test_identify_lists_candidates_and_a_pick_matches_and_locks_the_item(shelf, matrix):
    client = client_for(manager(shelf))
    movie = shelf["movie"]
    response = client.get(f"/api/v1/movies/{movie.pk}/identify/")
    assert response.status_code == 200, response.content
    candidates = response.json()
    assert candidates[0]["tmdb_id"] == 603 and candidates[0]["year"] == 1999
    assert candidates[0]["poster_url"].endswith("/w185/matrix.jpg")
    assert [c["tmdb_id"] for c in client.get(f"/api/v1/movies/{movie.pk}/identify/?q=reloaded").json()] == [604]
    response = client.post(f"/api/v1/movies/{movie.pk}/identify/", {"tmdb_id": 603}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["ids"]["tmdb"] == 603
    assert body["tagline"] == "Welcome to the Real World."
    assert [c["name"] for c in body["cast"]] == ["Keanu Reeves"]
    assert body["metadata"]["status"] == "matched" and "tmdb_id" in body["metadata"]["locked_fields"]
    movie.refresh_from_db()
    assert (movie.tmdb_id, movie.metadata_status) == ("603", MetadataStatus.MATCHED)


def test_identify_with_an_id_tmdb_does_not_know_answers_400_and_changes_nothing(shelf, matrix):
    client = client_for(shelf["boss"])
    movie = shelf["movie"]
    response = client.post(f"/api/v1/movies/{movie.pk}/identify/", {"tmdb_id": 999999}, format="json")
    assert response.status_code == 400
    assert "999999" in str(response.json()["errors"]["tmdb_id"])
    movie.refresh_from_db()
    assert (movie.tmdb_id, movie.locked_fields) == ("", [])


@pytest.mark.parametrize("tmdb_id", ["abc", -1, 0, 2**40, True, None, 6.5, [603]])
def test_identify_refuses_what_is_not_an_id(shelf, matrix, tmdb_id):
    url = f"/api/v1/movies/{shelf['movie'].pk}/identify/"
    response = client_for(shelf["boss"]).post(url, {"tmdb_id": tmdb_id}, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["errors"]["tmdb_id"]
    assert client_for(shelf["boss"]).post(url, {}, format="json").status_code == 400


@pytest.mark.parametrize("query", ["year=abc", "year=-5", "year=99999999999", f"q={'x' * 300}"])
def test_identify_search_refuses_hostile_parameters(shelf, matrix, query):
    response = client_for(shelf["boss"]).get(f"/api/v1/movies/{shelf['movie'].pk}/identify/?{query}")
    assert response.status_code == 400
    assert response.json()["errors"]


def test_only_those_who_manage_the_library_may_identify_or_refresh(shelf, matrix):
    movie, show = shelf["movie"], shelf["show"]
    member = client_for(user_make("alice"))
    assert member.get(f"/api/v1/movies/{movie.pk}/identify/").status_code == 403
    assert member.post(f"/api/v1/movies/{movie.pk}/refresh-metadata/").status_code == 403
    assert member.post("/api/v1/metadata/refresh/").status_code == 403
    assert client_for(None).post(f"/api/v1/movies/{movie.pk}/refresh-metadata/").status_code in (401, 403)
    manny = client_for(manager(shelf))
    assert manny.post(f"/api/v1/movies/{movie.pk}/refresh-metadata/").status_code == 202
    assert manny.post(f"/api/v1/shows/{show.pk}/refresh-metadata/").status_code == 403  # not his library
    assert manny.post(f"/api/v1/libraries/{shelf['tv'].pk}/refresh-metadata/").status_code == 403
    assert manny.post("/api/v1/metadata/refresh/").status_code == 403  # everything is for admins
    hide(shelf["movies"])
    alice = client_for(user_make("carol"))
    assert alice.get(f"/api/v1/movies/{movie.pk}/identify/").status_code == 404


@pytest.mark.parametrize("item", ["0", "424242", "99999999999999999999", "-1", "abc", "\uff11\uff12"])
def test_unknown_or_malformed_items_answer_404(shelf, matrix, item):
    client = client_for(shelf["boss"])
    assert client.get(f"/api/v1/movies/{item}/identify/").status_code == 404
    assert client.post(f"/api/v1/shows/{item}/refresh-metadata/").status_code == 404
    assert client.post(f"/api/v1/libraries/{item}/refresh-metadata/").status_code == 404


def test_refresh_queues_the_item_a_library_or_everything(shelf, matrix, django_capture_on_commit_callbacks):
    client = client_for(shelf["boss"])
    movie, show = shelf["movie"], shelf["show"]
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(f"/api/v1/movies/{movie.pk}/refresh-metadata/")
    assert response.status_code == 202
    assert response.json() == {"movies": [movie.pk], "shows": [], "library": None, "everything": False, "tasks": 1}
    assert len(queued) == 1
    with django_capture_on_commit_callbacks() as queued:
        body = client.post(f"/api/v1/shows/{show.pk}/refresh-metadata/").json()
    assert (body["shows"], len(queued)) == ([show.pk], 1)
    with django_capture_on_commit_callbacks() as queued:
        body = client.post(f"/api/v1/libraries/{shelf['movies'].pk}/refresh-metadata/").json()
    assert (body["library"], body["tasks"], len(queued)) == (shelf["movies"].pk, 1, 1)
    with django_capture_on_commit_callbacks() as queued:
        body = client.post("/api/v1/metadata/refresh/").json()
    assert body["everything"] is True and body["tasks"] == len(queued) == 2  # a movie and a show library


def test_with_no_key_the_endpoints_say_lookup_is_off(shelf, django_capture_on_commit_callbacks):
    client = client_for(shelf["boss"])
    movie = shelf["movie"]
    with django_capture_on_commit_callbacks() as queued:
        for response in (
            client.get(f"/api/v1/movies/{movie.pk}/identify/"),
            client.post(f"/api/v1/movies/{movie.pk}/identify/", {"tmdb_id": 603}, format="json"),
            client.post(f"/api/v1/movies/{movie.pk}/refresh-metadata/"),
            client.post("/api/v1/metadata/refresh/"),
        ):
            assert response.status_code == 409
            assert LOOKUP_OFF in response.json()["detail"]
    assert queued == []


def test_tmdb_unreachable_answers_502_with_a_message(shelf, matrix):
    matrix.down = True
    client = client_for(shelf["boss"])
    movie = shelf["movie"]
    response = client.get(f"/api/v1/movies/{movie.pk}/identify/")
    assert response.status_code == 502
    assert "TMDb could not be asked" in response.json()["detail"]
    response = client.post(f"/api/v1/movies/{movie.pk}/identify/", {"tmdb_id": 603}, format="json")
    assert response.status_code == 502
    movie.refresh_from_db()
    assert movie.tmdb_id == ""


@pytest.mark.django_db(transaction=True)
def test_a_queued_refresh_is_done_by_a_worker(tmp_path, matrix, redis_worker):
    (tmp_path / "m").mkdir()
    library = library_services.library_create(name="Movies", kind="movies", paths=[str(tmp_path / "m")])
    movie = movie_make(library=library, title="The Matrix", year=1999)
    response = client_for(user_make("boss", role="admin")).post(f"/api/v1/movies/{movie.pk}/refresh-metadata/")
    assert response.status_code == 202
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and Movie.objects.get(pk=movie.pk).metadata_status == MetadataStatus.PENDING:
        time.sleep(0.2)
    movie.refresh_from_db()
    assert (movie.metadata_status, movie.tmdb_id, movie.tagline) == ("matched", "603", "Welcome to the Real World.")
