"""Cached title details: served without catalogue queries, shared only within a visibility class, and made stale
at once by each change that must show."""

from __future__ import annotations

import pytest
import redis.connection
from django.db import connection
from django.test.utils import CaptureQueriesContext
from prometheus_client import REGISTRY

from apps.accounts.services import roles, users
from apps.core import caching, events
from apps.core.testing.catalogue import movie_make
from apps.core.testing.clients import client_for, with_token
from apps.core.testing.people import kids_role_make, user_make
from apps.libraries import services as library_services
from apps.media import edits
from apps.media.models import Movie

pytestmark = pytest.mark.django_db


def catalogue_queries(client, url: str) -> tuple[int, list[str]]:
    """The status, and the queries of the request that read the catalogue (not sign-in or settings)."""
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url).status_code
    return status, [q["sql"] for q in queries.captured_queries if '"media_' in q["sql"]]


def misses() -> float:
    return REGISTRY.get_sample_value("revenge_cache_misses_total", {"namespace": "item-detail"}) or 0.0


def redis_commands(monkeypatch) -> list[str]:
    """The names of the Redis commands sent from now on, in order."""
    sent = []
    send = redis.connection.AbstractConnection.send_command
    monkeypatch.setattr(
        redis.connection.AbstractConnection,
        "send_command",
        lambda self, *a, **kw: sent.append(a[0]) or send(self, *a, **kw),
    )
    return sent


@pytest.fixture
def alice(world):
    return client_for(user_make("alice"))


def test_a_second_read_of_a_detail_reads_nothing_of_the_catalogue(world, alice):
    for url in (f"/api/v1/movies/{world['matrix'].pk}/", f"/api/v1/shows/{world['show'].pk}/"):
        first = alice.get(url).json()
        status, queries = catalogue_queries(alice, url)
        assert status == 200 and queries == []
        assert alice.get(url).json() == first


def test_users_of_one_visibility_class_share_an_entry_and_others_do_not(world, alice):
    url = f"/api/v1/movies/{world['matrix'].pk}/"
    alice.get(url)
    before = misses()
    assert client_for(user_make("bob")).get(url).status_code == 200
    assert misses() == before  # bob's rights are alice's: her entry serves him
    boss = client_for(user_make("boss", role="admin"))
    assert boss.get(url).json()["metadata"] is not None  # his own entry, with the match state
    assert misses() == before + 1
    assert alice.get(url).json()["metadata"] is None  # and hers never got it


def test_a_limited_user_never_gets_a_title_cached_for_others(world, alice):
    url = f"/api/v1/movies/{world['matrix'].pk}/"
    assert alice.get(url).status_code == 200
    kid = user_make("kid", role=kids_role_make(max_parental_age=12))
    grants = library_services.library_grants(library=world["movies"])
    grants["roles"]["kids"] = ["view_library"]
    library_services.library_grants_set(library=world["movies"], **grants, by=None)
    kids = client_for(kid)
    assert kids.get(url).status_code == 404
    assert catalogue_queries(kids, url) == (404, [])  # the "not found" is cached too, for the kids' class
    assert alice.get(url).status_code == 200


def test_a_file_path_shows_only_to_those_who_manage_the_library(tmp_path, db):
    from apps.core.testing.catalogue import library_of
    from apps.core.testing.media import make_clip

    make_clip(tmp_path / "Heat (1995).mkv", seconds=1)
    (heat_file,) = library_of(tmp_path)
    url = f"/api/v1/movies/{heat_file.movie_id}/"
    assert "path" in client_for(user_make("boss", role="admin")).get(url).json()["files"][0]
    assert "path" not in client_for(user_make("alice")).get(url).json()["files"][0]


def test_an_edit_shows_at_once(world, alice, django_capture_on_commit_callbacks):
    matrix, url = world["matrix"], f"/api/v1/movies/{world['matrix'].pk}/"
    assert alice.get(url).json()["tagline"] == "Welcome to the Real World."
    matrix.tagline = "Free your mind."
    with django_capture_on_commit_callbacks(execute=True):
        edits.item_update(item=matrix, by=None, fields=["tagline"])
    assert alice.get(url).json()["tagline"] == "Free your mind."


@pytest.mark.parametrize(
    ("event", "payload"),
    [
        ("metadata.refreshed", {"kind": "movie", "ids": ["ID"], "library_ids": ["LIB"], "matched": 1}),
        ("library.scan_completed", {"library_id": "LIB", "scan_id": 1, "kind": "full", "counters": {}}),
        ("media.removed", {"kind": "movie", "id": "ID", "library_id": "LIB", "title": "x"}),
        ("movie.available", {"movie_id": "ID", "library_id": "LIB", "title": "x", "year": 1999}),
    ],
)
def test_each_catalogue_event_makes_the_detail_stale_at_once(
    world, alice, event, payload, django_capture_on_commit_callbacks
):
    matrix, url = world["matrix"], f"/api/v1/movies/{world['matrix'].pk}/"
    alice.get(url)
    Movie.objects.filter(pk=matrix.pk).update(tagline="Changed by the worker.")
    assert alice.get(url).json()["tagline"] == "Welcome to the Real World."  # no event yet: cached
    swap = {"ID": matrix.pk, "LIB": world["movies"].pk}
    filled = {
        k: [swap[x] for x in v] if isinstance(v, list) else swap.get(v, v) if isinstance(v, str) else v
        for k, v in payload.items()
    }
    with django_capture_on_commit_callbacks(execute=True):
        events.emit(event, **filled)
    assert alice.get(url).json()["tagline"] == "Changed by the worker."


def test_a_scan_of_another_library_leaves_the_detail_cached(world, alice, django_capture_on_commit_callbacks):
    url = f"/api/v1/movies/{world['matrix'].pk}/"
    alice.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        events.emit("library.scan_completed", library_id=world["tv"].pk, scan_id=1, kind="full", counters={})
    assert catalogue_queries(alice, url) == (200, [])


def test_an_unchanged_rescan_leaves_the_detail_cached_and_a_changed_one_does_not(
    world, alice, django_capture_on_commit_callbacks
):
    matrix, url = world["matrix"], f"/api/v1/movies/{world['matrix'].pk}/"
    alice.get(url)
    quiet = {"seen": 3, "added": 0, "updated": 0, "moved": 0, "removed": 0, "unchanged": 3, "errors": 0}
    with django_capture_on_commit_callbacks(execute=True):
        events.emit("library.scan_completed", library_id=world["movies"].pk, scan_id=1, kind="full", counters=quiet)
    assert catalogue_queries(alice, url) == (200, [])  # the periodic rescan found nothing: still cached
    Movie.objects.filter(pk=matrix.pk).update(tagline="Changed by the worker.")
    with django_capture_on_commit_callbacks(execute=True):
        events.emit(
            "library.scan_completed",
            library_id=world["movies"].pk,
            scan_id=2,
            kind="incremental",
            counters={**quiet, "updated": 1},
        )
    assert alice.get(url).json()["tagline"] == "Changed by the worker."


def test_access_changes_show_at_once(world, alice):
    url = f"/api/v1/movies/{world['matrix'].pk}/"
    member = users.user_create(username="member", password="x" * 12, by=None)
    client = client_for(member)
    assert client.get(url).status_code == 200
    # A grant withdrawn.
    library_services.library_grants_set(library=world["movies"], roles={}, users={}, by=None)
    assert client.get(url).status_code == 404
    # Granted again, to the user alone.
    library_services.library_grants_set(library=world["movies"], roles={}, users={"member": ["view_library"]}, by=None)
    assert client.get(url).status_code == 200
    # Their role's limit lowered below the title's age.
    kids = kids_role_make(max_parental_age=12)
    users.user_update(user=member, by=None, role=kids)
    assert client.get(url).status_code == 404
    # The role's limit raised.
    roles.role_update(role=kids, by=None, max_parental_age=18)
    assert client.get(url).status_code == 200
    # The library disabled.
    library_services.library_update(library=world["movies"], enabled=False)
    assert client.get(url).status_code == 404


def test_a_title_that_becomes_visible_replaces_the_cached_not_found(world, alice, django_capture_on_commit_callbacks):
    later = movie_make(library=world["movies"], title="Heat", has_main_file=False)
    url = f"/api/v1/movies/{later.pk}/"
    assert alice.get(url).status_code == 404
    assert catalogue_queries(alice, url) == (404, [])  # negative entry
    Movie.objects.filter(pk=later.pk).update(has_main_file=True)
    with django_capture_on_commit_callbacks(execute=True):
        events.emit("movie.available", movie_id=later.pk, library_id=world["movies"].pk, title="Heat", year=2001)
    assert alice.get(url).status_code == 200


@pytest.mark.parametrize("pk", ["0", "99999999999999999999", "-1", "1e3", "%EF%BC%91", "1%00"])
def test_hostile_ids_are_not_found(world, alice, pk):
    assert alice.get(f"/api/v1/movies/{pk}/").status_code == 404


def test_a_cached_detail_asked_with_a_token_costs_three_cache_round_trips(world, monkeypatch):
    """The versions of the request (IP rules, access, the token's user), the rate limit, and the item's versions:
    each cached read after them is answered by this process."""
    user_make("carol")
    client, _ = with_token("carol")
    url = f"/api/v1/movies/{world['matrix'].pk}/"
    first = client.get(url).json()
    client.get(url)  # this process now keeps the entries it read
    sent = redis_commands(monkeypatch)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).json() == first
    assert queries.captured_queries == []
    assert sent == ["MGET", "EVAL", "MGET"]


def test_list_filters_on_a_detail_url_do_not_hide_the_title_from_anyone(world, alice):
    # Filters are a list's: on a detail they once filtered the computation, and the "not found" it cached was
    # served to every user of the class without the filter, for half a minute.
    for url in (f"/api/v1/movies/{world['matrix'].pk}/", f"/api/v1/shows/{world['show'].pk}/"):
        assert alice.get(url + "?year=1800&genre=nothing").status_code == 200
        assert client_for(user_make(f"bob-{url.split('/')[3]}")).get(url).status_code == 200


def test_a_cold_detail_costs_one_round_trip_for_its_lock_and_one_to_give_it_back(world, monkeypatch):
    user_make("carol")
    client, _ = with_token("carol")
    url = f"/api/v1/movies/{world['matrix'].pk}/"
    client.get(url)
    client.get(url)  # the user's rights and the request's versions are known, and kept by this process
    caching.bump(caching.item("movie", world["matrix"].pk))  # the title changed: its detail is cold
    sent = redis_commands(monkeypatch)
    assert client.get(url).status_code == 200
    # Versions, rate limit, the item's versions, the entry, the lock with a second read of it, the entry stored, the
    # lock given back. The user's libraries and permissions are kept by this process, and the title's row is read by
    # a query compiled for the user's visibility class, without building the selector (nor reading the settings).
    assert sent == ["MGET", "EVAL", "MGET", "GET", "EVAL", "SET", "EVAL"], " ".join(sent)
