"""Recently added and library figures: what the viewer may see, cached per library, stale at once after a change."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core import events
from apps.core.testing.catalogue import hide, movie_make
from apps.core.testing.clients import client_for
from apps.core.testing.people import kids_role_make, user_make
from apps.libraries import services as library_services
from apps.media.models import MediaFile

pytestmark = pytest.mark.django_db


def catalogue_queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries.captured_queries if '"media_' in q["sql"]]


@pytest.fixture
def kid(world):
    kid = user_make("kid", role=kids_role_make(max_parental_age=12))
    for library in (world["movies"], world["tv"]):
        grants = library_services.library_grants(library=library)
        grants["roles"]["kids"] = ["view_library"]
        library_services.library_grants_set(library=library, **grants, by=None)
    return client_for(kid)


def test_recently_added_lists_the_newest_visible_titles_first(world, kid):
    movie_make(library=world["movies"], title="Heat", age_rating=12)
    url = f"/api/v1/libraries/{world['movies'].pk}/recent/"
    alice = client_for(user_make("alice"))
    assert [m["title"] for m in alice.get(url).json()["results"]] == ["Heat", "The Matrix"]
    assert [m["title"] for m in kid.get(url).json()["results"]] == ["Heat"]  # The Matrix is rated 17
    shows = alice.get(f"/api/v1/libraries/{world['tv'].pk}/recent/").json()["results"]
    assert [(s["title"], s["season_count"], s["episode_count"]) for s in shows] == [("Lost", 1, 1)]


def test_recently_added_is_served_from_the_cache_until_a_title_arrives(world, django_capture_on_commit_callbacks):
    url = f"/api/v1/libraries/{world['movies'].pk}/recent/"
    alice = client_for(user_make("alice"))
    first = alice.get(url).json()
    assert catalogue_queries(alice, url) == []
    heat = movie_make(library=world["movies"], title="Heat")
    assert alice.get(url).json() == first  # no event yet
    with django_capture_on_commit_callbacks(execute=True):
        events.emit("movie.added", movie_id=heat.pk, library_id=world["movies"].pk, title="Heat", year=2001)
    assert alice.get(url).json()["results"][0]["title"] == "Heat"


def test_the_figures_count_what_the_viewer_may_see(world, kid):
    MediaFile.objects.create(
        library=world["movies"], movie=world["matrix"], path="/m/matrix.mkv", size=1000, mtime_ns=1, duration=8160.04
    )
    alice = client_for(user_make("alice"))
    url = f"/api/v1/libraries/{world['movies'].pk}/stats/"
    assert alice.get(url).json() == {
        "movies": 1,
        "shows": 0,
        "episodes": 0,
        "files": 1,
        "size": 1000,
        "duration": 8160.0,
    }
    assert kid.get(url).json() == {"movies": 0, "shows": 0, "episodes": 0, "files": 0, "size": 0, "duration": 0.0}
    tv = alice.get(f"/api/v1/libraries/{world['tv'].pk}/stats/").json()
    assert (tv["shows"], tv["episodes"]) == (1, 1)


def test_the_figures_are_cached_until_a_scan_of_the_library_completes(world, django_capture_on_commit_callbacks):
    alice = client_for(user_make("alice"))
    url = f"/api/v1/libraries/{world['movies'].pk}/stats/"
    assert alice.get(url).json()["movies"] == 1
    assert catalogue_queries(alice, url) == []
    movie_make(library=world["movies"], title="Heat")
    with django_capture_on_commit_callbacks(execute=True):
        events.emit("library.scan_completed", library_id=world["tv"].pk, scan_id=1, kind="full", counters={})
    assert alice.get(url).json()["movies"] == 1  # another library's scan: still cached
    with django_capture_on_commit_callbacks(execute=True):
        events.emit("library.scan_completed", library_id=world["movies"].pk, scan_id=2, kind="full", counters={})
    assert alice.get(url).json()["movies"] == 2


def test_a_library_one_may_not_see_is_not_found(world):
    hide(world["movies"])
    alice = client_for(user_make("alice"))
    for tail in ("recent", "stats"):
        assert alice.get(f"/api/v1/libraries/{world['movies'].pk}/{tail}/").status_code == 404
        assert alice.get(f"/api/v1/libraries/99999999999999999999/{tail}/").status_code == 404
        assert alice.get(f"/api/v1/libraries/%EF%BC%91/{tail}/").status_code == 404
