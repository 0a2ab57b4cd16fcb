"""Cached search answers: shared within a visibility class only, served without searching again, and stale at
once when a library the searcher sees, or their access, changes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import Role
from apps.accounts.services import users
from apps.core import events
from apps.core.testing.clients import client_for
from apps.libraries import services as library_services
from apps.libraries.models import Library
from apps.media.models import Movie
from apps.media.tests.search_world import search_world_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db, tmp_path):
    return search_world_make(str(tmp_path))


def found(client, q: str) -> list[str]:
    response = client.get("/api/v1/search/", {"q": q, "kind": "movie"})
    assert response.status_code == 200, response.content
    return [hit["title"] for hit in response.json()["results"]]


def searched(client, q: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/search/", {"q": q, "kind": "movie"}).status_code == 200
    return [x["sql"] for x in queries.captured_queries if '"media_' in x["sql"]]


def test_a_repeated_search_does_not_search_again(world):
    member = client_for(world["member"])
    first = found(member, "matrix")
    assert "The Matrix" in first
    assert searched(member, "matrix") == []
    assert searched(member, "  matrix ") == []  # the same words, the same entry
    assert found(member, "matrix") == first


def test_a_limited_user_never_gets_what_another_class_cached(world):
    member, kid = client_for(world["member"]), client_for(world["kid"])
    assert "The Matrix" in found(member, "matrix")  # R-rated, visible to the family role
    assert "The Matrix" not in found(kid, "matrix")
    relative = users.user_create(
        username="cousin", password="x" * 12, by=None, role=Role.objects.get(group__name="family")
    )
    assert searched(client_for(relative), "matrix") == []  # same rights as member: member's entry


def test_a_new_title_is_found_at_once(world, django_capture_on_commit_callbacks):
    member = client_for(world["member"])
    assert found(member, "matrix 4") == [] or "The Matrix 4" not in found(member, "matrix 4")
    shown = Library.objects.get(name="Movies")
    added = Movie.objects.create(library=shown, match_key="m4", title="The Matrix 4", year=2030, has_main_file=True)
    with django_capture_on_commit_callbacks(execute=True):
        events.emit("movie.added", movie_id=added.pk, library_id=shown.pk, title=added.title, year=2030)
    assert "The Matrix 4" in found(member, "matrix 4")


def test_a_scan_of_a_library_the_searcher_cannot_see_leaves_the_entry(world, django_capture_on_commit_callbacks):
    member = client_for(world["member"])
    found(member, "matrix")
    hidden = Library.objects.get(name="Private")
    with django_capture_on_commit_callbacks(execute=True):
        events.emit("library.scan_completed", library_id=hidden.pk, scan_id=1, kind="full", counters={})
    assert searched(member, "matrix") == []


def test_a_grant_shows_in_search_at_once(world):
    member = client_for(world["member"])
    assert "The Matrix Resurrections" not in found(member, "matrix")
    hidden = Library.objects.get(name="Private")
    library_services.library_grants_set(library=hidden, roles={"family": ["view_library"]}, users={}, by=None)
    assert "The Matrix Resurrections" in found(member, "matrix")
