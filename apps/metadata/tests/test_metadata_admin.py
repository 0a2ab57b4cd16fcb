"""The admin's metadata side: the lookup-off banner, refresh actions that queue work, and the Identify page."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.core.testing.catalogue import hide, movie_make
from apps.core.testing.people import user_make
from apps.libraries import services as library_services
from apps.media.models import MetadataStatus, Show

LOOKUP_OFF = "Metadata lookup is off: set REVENGE_TMDB_API_KEY or REVENGE_TMDB_TOKEN"


@pytest.fixture
def shelf(tmp_path, db):
    (tmp_path / "m").mkdir()
    (tmp_path / "tv").mkdir()
    movies = library_services.library_create(name="Movies", kind="movies", paths=[str(tmp_path / "m")])
    tv = library_services.library_create(name="TV", kind="shows", paths=[str(tmp_path / "tv")])
    movie = movie_make(library=movies, title="Matrix", year=1999, metadata_status=MetadataStatus.UNMATCHED)
    matched = movie_make(library=movies, title="Heat", year=1995, metadata_status=MetadataStatus.MATCHED)
    show = Show.objects.create(library=tv, match_key="lost", title="Lost", year=2004)
    return {"movies": movies, "tv": tv, "movie": movie, "matched": matched, "show": show}


@pytest.fixture
def operator(admin_user) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


def test_pages_say_when_lookup_is_off_and_actions_queue_nothing(shelf, operator, django_capture_on_commit_callbacks):
    for page in ("/admin/media/movie/", "/admin/media/show/", f"/admin/media/movie/{shelf['movie'].pk}/identify/"):
        response = operator.get(page)
        assert response.status_code == 200
        assert LOOKUP_OFF in response.content.decode()
    with django_capture_on_commit_callbacks() as queued:
        response = operator.post(
            "/admin/media/movie/", {"action": "refresh_metadata", "_selected_action": [shelf["movie"].pk]}, follow=True
        )
    assert LOOKUP_OFF in response.content.decode() and queued == []


def test_the_unmatched_filter_lists_items_waiting_for_identify(shelf, operator, tmdb):
    page = operator.get("/admin/media/movie/?metadata_status__exact=unmatched").content.decode()
    assert "Matrix" in page and "Heat" not in page
    assert f"/admin/media/movie/{shelf['movie'].pk}/identify/" in page
    change = operator.get(f"/admin/media/movie/{shelf['movie'].pk}/change/").content.decode()
    assert "Identify on TMDb" in change
    assert LOOKUP_OFF not in page


def test_refresh_actions_queue_work_for_movies_shows_and_libraries(
    shelf, operator, tmdb, django_capture_on_commit_callbacks
):
    movie, show = shelf["movie"], shelf["show"]
    with django_capture_on_commit_callbacks() as queued:
        response = operator.post(
            "/admin/media/movie/",
            {"action": "refresh_metadata", "_selected_action": [movie.pk, shelf["matched"].pk]},
            follow=True,
        )
    assert "Metadata refresh queued for 2 item(s)" in response.content.decode()
    assert len(queued) == 1
    with django_capture_on_commit_callbacks() as queued:
        operator.post("/admin/media/show/", {"action": "refresh_metadata", "_selected_action": [show.pk]})
    assert len(queued) == 1
    with django_capture_on_commit_callbacks() as queued:
        response = operator.post(
            "/admin/libraries/library/",
            {"action": "refresh_metadata", "_selected_action": [shelf["movies"].pk, shelf["tv"].pk]},
            follow=True,
        )
    assert "Metadata refresh of Movies queued" in response.content.decode()
    assert len(queued) == 2
    # Scanning's actions stay beside it.
    page = operator.get("/admin/libraries/library/").content.decode()
    assert "refresh_metadata" in page and "scan_now" in page


def test_identify_page_searches_and_a_pick_matches_and_locks_the_item(shelf, operator, tmdb):
    tmdb.movie_add(603, "The Matrix", year=1999, poster="/matrix.jpg", tagline="Welcome to the Real World.")
    tmdb.movie_add(604, "The Matrix Reloaded", year=2003)
    movie = shelf["movie"]
    url = f"/admin/media/movie/{movie.pk}/identify/"
    page = operator.get(url).content.decode()
    assert "The Matrix" in page and "/w185/matrix.jpg" in page and "Pick TMDb 603" in page
    page = operator.get(url, {"q": "reloaded", "year": "2003"}).content.decode()
    assert "Pick TMDb 604" in page and "Pick TMDb 603" not in page
    response = operator.post(url, {"tmdb_id": "603"})
    assert response.status_code == 302 and response["Location"] == f"/admin/media/movie/{movie.pk}/change/"
    movie.refresh_from_db()
    assert (movie.tmdb_id, movie.metadata_status, movie.tagline) == ("603", "matched", "Welcome to the Real World.")
    assert "tmdb_id" in movie.locked_fields


@pytest.mark.parametrize("picked", ["", "abc", "-4", "999999", "1" * 30])
def test_identify_page_refuses_a_bad_pick_with_a_message(shelf, operator, tmdb, picked):
    url = f"/admin/media/movie/{shelf['movie'].pk}/identify/"
    response = operator.post(url, {"tmdb_id": picked}, follow=True)
    assert response.status_code == 200
    assert response.context["messages"] and any(m.level_tag == "error" for m in response.context["messages"])
    shelf["movie"].refresh_from_db()
    assert shelf["movie"].tmdb_id == ""


def test_identify_page_with_hostile_search_and_tmdb_down(shelf, operator, tmdb):
    url = f"/admin/media/movie/{shelf['movie'].pk}/identify/"
    assert "year:" in operator.get(url, {"year": "abc"}).content.decode()
    tmdb.down = True
    assert "TMDb could not be asked" in operator.get(url).content.decode()


def test_identify_needs_a_visible_item_in_a_managed_library(shelf, tmdb):
    staff = user_make("mod", role="moderator")
    client = Client()
    client.force_login(staff)
    boss = user_make("boss", role="admin")
    library_services.library_grants_set(
        library=shelf["movies"], roles={"user": ["view_library"], "moderator": ["view_library"]}, users={}, by=boss
    )
    response = client.get(f"/admin/media/movie/{shelf['movie'].pk}/identify/")
    assert response.status_code in (302, 403)  # not staff of the admin, or not a manager of the library
    client.force_login(boss)
    hide(shelf["tv"])
    assert client.get(f"/admin/media/show/{shelf['show'].pk}/identify/").status_code == 200  # admins see all
    assert client.get("/admin/media/movie/424242/identify/").status_code == 404
