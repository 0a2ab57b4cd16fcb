"""Cached continue watching and next up: served without reading progress or the catalogue again, and stale at
once after the user's progress, their access, or the catalogue they see changes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from apps.core import events
from apps.core.testing.catalogue import episode, session_for
from apps.libraries import services as libraries
from apps.media.models import Show
from apps.playback import watch

pytestmark = pytest.mark.django_db
ROWS = ("/api/v1/playback/continue-watching/", "/api/v1/playback/next-up/")


def client(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def row_queries(api, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert api.get(url).status_code == 200
    return [q["sql"] for q in queries.captured_queries if '"playback_' in q["sql"] or '"media_' in q["sql"]]


def titles(api, url: str) -> list[str]:
    return [row["item"]["title"] for row in api.get(url).json()["results"]]


@pytest.fixture
def watching(catalogue, django_capture_on_commit_callbacks):
    user = catalogue.user
    with django_capture_on_commit_callbacks(execute=True):
        watch.session_progress(session=session_for(user, movie=catalogue.heat), position=600)
        watch.watched_set(user=user, episode=episode("Lost", 1, 1), watched=True)
    return catalogue


@pytest.mark.parametrize("url", ROWS)
def test_a_second_read_of_a_row_reads_no_progress_and_no_catalogue(watching, url):
    api = client(watching.user)
    first = api.get(url).json()
    assert first["count"] == 1
    assert row_queries(api, url) == []
    assert api.get(url).json() == first


def test_a_heartbeat_over_http_moves_continue_watching_at_once(watching, django_capture_on_commit_callbacks):
    api = client(watching.user)
    assert titles(api, ROWS[0]) == ["Heat"]
    session = session_for(watching.user, movie=watching.alien)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/v1/playback/sessions/{session.pk}/progress/", {"position": 900}, format="json")
    assert response.status_code == 200
    assert titles(api, ROWS[0]) == ["Alien", "Heat"]
    positions = {row["item"]["title"]: row["item"]["position"] for row in api.get(ROWS[0]).json()["results"]}
    assert positions["Alien"] == 900.0


def test_marking_watched_moves_next_up_at_once(watching, django_capture_on_commit_callbacks):
    api = client(watching.user)
    assert titles(api, ROWS[1]) == ["Lost S01E02"]
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/playback/watched/", {"episode": episode("Lost", 1, 2).pk, "watched": True})
    assert response.status_code == 200
    assert titles(api, ROWS[1]) == ["Lost S01E03"]


def test_another_users_progress_leaves_my_rows_cached(watching, django_capture_on_commit_callbacks):
    api = client(watching.user)
    for url in ROWS:
        api.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        watch.watched_set(user=watching.kid, episode=episode("Lost", 1, 1), watched=True)
    for url in ROWS:
        assert row_queries(api, url) == []


def test_a_withdrawn_grant_empties_the_rows_at_once(watching):
    api = client(watching.user)
    assert titles(api, ROWS[0]) == ["Heat"] and titles(api, ROWS[1]) == ["Lost S01E02"]
    for name in ("Movies", "TV"):
        library = watching.heat.library if name == "Movies" else Show.objects.get(title="Lost").library
        libraries.library_grants_set(library=library, roles={"kids": ["view_library"]}, users={}, by=watching.boss)
    assert titles(api, ROWS[0]) == [] and titles(api, ROWS[1]) == []


def test_a_catalogue_change_shows_in_the_rows_at_once(watching, django_capture_on_commit_callbacks):
    api = client(watching.user)
    assert titles(api, ROWS[0]) == ["Heat"]
    heat = watching.heat
    type(heat).objects.filter(pk=heat.pk).update(title="Heat (Director's Cut)")
    assert titles(api, ROWS[0]) == ["Heat"]  # no event: the row is cached
    with django_capture_on_commit_callbacks(execute=True):
        events.emit(
            "catalogue.changed", kind="movie", id=heat.pk, library_id=heat.library_id, title="x", fields=["title"]
        )
    assert titles(api, ROWS[0]) == ["Heat (Director's Cut)"]


def test_the_cached_row_is_paged_per_request(watching):
    api = client(watching.user)
    first = api.get(ROWS[0] + "?page_size=1").json()
    assert api.get(ROWS[0] + "?page=2&page_size=1").status_code == 404
    assert api.get(ROWS[0] + "?page_size=1").json() == first
    assert api.get(ROWS[0] + "?page=x").status_code == 404  # a hostile page is refused, not cached as a row
