"""Each list endpoint of the API answers in a fixed number of SQL queries, however many rows it lists.

The numbers are a baseline in query_counts.json: a list that gains a query fails here until the baseline is
rewritten on purpose, with `REVENGE_UPDATE_QUERY_COUNTS=1 pytest apps/core/tests/test_query_counts.py`.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.schemas.generators import EndpointEnumerator

from apps.accounts.models import Role, User
from apps.accounts.services import roles, tokens
from apps.core.testing.catalogue import MOVIE_NFO, SHOW_NFO, session_for
from apps.core.testing.clients import client_for
from apps.core.testing.people import kids_role_make, user_make
from apps.libraries import services as libraries
from apps.media.models import Artwork, Credit, DuplicateGroup, DuplicateMember, Episode, MediaFile, Movie, Person
from apps.notifications import services as notifications
from apps.notifications.models import Notification, NotificationDelivery, NotificationEvent
from apps.playback import watch
from apps.requests.models import ArrServer, MediaRequest
from apps.scanning import services as scanning

BASELINE = Path(__file__).with_name("query_counts.json")
UPDATE = os.environ.get("REVENGE_UPDATE_QUERY_COUNTS") == "1"
UNREACHABLE = "http://hooks.invalid/hook"

# Each list and who asks: the viewer is a kids account (granted libraries only, an age limit), so the lists
# run their visibility filters; lists for managers are asked by a moderator, those for admins by an admin.
LISTS = {
    "/api/v1/activity/": "moderator",
    "/api/v1/auth/sessions/": "viewer",
    "/api/v1/duplicates/": "admin",
    "/api/v1/episodes/": "viewer",
    "/api/v1/files/": "viewer",
    "/api/v1/libraries/": "viewer",
    "/api/v1/movies/": "viewer",
    "/api/v1/notifications/": "viewer",
    "/api/v1/notifications/agents/": "moderator",
    "/api/v1/notifications/channels/": "viewer",
    "/api/v1/notifications/deliveries/": "moderator",
    "/api/v1/notifications/events/": "viewer",
    "/api/v1/playback/continue-watching/": "viewer",
    "/api/v1/playback/history/": "viewer",
    "/api/v1/playback/next-up/": "viewer",
    "/api/v1/people/": "viewer",
    "/api/v1/playback/sessions/": "viewer",
    "/api/v1/requests/": "viewer",
    "/api/v1/requests/servers/": "admin",
    "/api/v1/roles/": "moderator",
    "/api/v1/scans/": "moderator",
    "/api/v1/shows/": "viewer",
    "/api/v1/users/": "moderator",
}
# Lists whose length does not follow the rows (a fixed catalogue of event names).
FIXED_LENGTH = {"/api/v1/notifications/events/"}
# GET endpoints without an id that are not lists of rows.
NOT_LISTS = {
    "/api/v1/notifications/preferences/",
    "/api/v1/notifications/unread-count/",
    "/api/v1/playback/decision/",
    "/api/v1/playback/preferences/",  # one row: the viewer's own defaults
    "/api/v1/requests/search/",  # asks TMDb or Radarr/Sonarr; its query count is tested in apps/requests/tests
    "/api/v1/search/",  # at most `limit` ranked hits; its query count is tested in apps/media/tests/test_search.py
    "/api/v1/users/me/",
}


class Rows:
    """Libraries of real clips for a restricted viewer, and rows of every listed kind, added a few at a time."""

    def __init__(self, tmp_path: Path, place) -> None:
        self.root, self.place, self.added = tmp_path, place, 0
        self.admin = user_make("boss", role=Role.ADMIN)
        self.moderator = user_make("mod", role=Role.MODERATOR)
        self.viewer = user_make("kid", role=kids_role_make())
        self.movies = self._library("Movies", "movies", grant=True)
        self.hidden = self._library("Hidden", "movies", grant=False)
        self.tv = self._library("TV", "shows", grant=True)

    def _library(self, name: str, kind: str, *, grant: bool):
        (self.root / name).mkdir()
        library = libraries.library_create(name=name, kind=kind, paths=[str(self.root / name)])
        roles = {"user": ["view_library"], "kids": ["view_library"]} if grant else {}
        libraries.library_grants_set(library=library, roles=roles, users={}, by=self.admin)
        return library

    def add(self, count: int) -> None:
        """`count` more of everything: for each, a family film, an adult one, a hidden one, a show of two episodes."""
        numbers = range(self.added, self.added + count)
        self.added += count
        for n in numbers:
            for title, mpaa in ((f"Family{n}", "PG"), (f"Adult{n}", "R")):
                folder = f"{title} ({2000 + n})"
                self.place(self.root / "Movies", f"{folder}/{folder}.mkv")
                nfo = MOVIE_NFO.format(title=title, year=2000 + n, mpaa=mpaa)
                self.place(self.root / "Movies", f"{folder}/movie.nfo", content=nfo.encode())
            self.place(self.root / "Hidden", f"Hidden{n} ({2000 + n})/Hidden{n} ({2000 + n}).mkv")
            show = f"Show{n}"
            self.place(
                self.root / "TV", f"{show}/tvshow.nfo", content=SHOW_NFO.format(title=show, mpaa="TV-PG").encode()
            )
            for episode in (1, 2):
                self.place(self.root / "TV", f"{show}/Season 01/{show} - S01E0{episode}.mkv")
        for library in (self.movies, self.hidden, self.tv):
            scanning.scan_run(scan=scanning.scan_begin(library=library))
        for n in numbers:
            self._rows(n)

    def _rows(self, n: int) -> None:
        family = Movie.objects.get(title=f"Family{n}")
        for person in (f"Actor{n}", f"Director{n}"):
            person = Person.objects.create(name=person)
            Artwork.objects.create(kind="profile", path="/p.jpg", content_hash=f"{n:064}", person=person)
            Credit.objects.create(person=person, movie=family, kind="cast", character="Lead")
        Artwork.objects.create(kind="poster", path="/poster.jpg", content_hash=f"{n:064}", movie=family)
        first, _second = Episode.objects.filter(show__title=f"Show{n}").order_by("episode_number")
        watch.session_progress(session=session_for(self.viewer, movie=family), position=600)
        watch.watched_set(user=self.viewer, episode=first, watched=True)
        event = NotificationEvent.objects.create(
            event_id=f"counts-{n}", name="system.startup", category="system", payload={}, occurred_at=timezone.now()
        )
        Notification.objects.create(user=self.viewer, event=event, name=event.name, title=f"Notice {n}")
        notifications.agent_create(name=f"ch-{n}", kind="ntfy", owner=self.viewer, url=f"ntfy://ntfy.invalid/t{n}")
        tokens.api_token_create(user=self.viewer, name=f"tv-{n}")
        request = MediaRequest.objects.create(
            kind="movie", tmdb_id=1000 + n, title=f"Wish {n}", requested_by=self.admin
        )
        request.subscribers.add(self.viewer)
        MediaRequest.objects.create(kind="movie", tmdb_id=2000 + n, title=f"Own {n}", requested_by=self.viewer)
        user_make(f"member-{n}")
        roles.role_create(name=f"role-{n}", rank=5, by=None)
        agent = notifications.agent_create(name=f"agent-{n}", kind="webhook", url=UNREACHABLE, secret="s" * 20)
        NotificationDelivery.objects.create(event=event, agent=agent, next_attempt_at=event.occurred_at)
        ArrServer.objects.create(kind="radarr", name=f"radarr-{n}", base_url="http://radarr.invalid:7878", api_key="k")
        self._library(f"Extra{n}", "movies", grant=True)
        group = DuplicateGroup.objects.create(library=self.movies, kind="title", signature=f"counts-{n}")
        files = MediaFile.objects.filter(movie__title__in=[f"Family{n}", f"Adult{n}"])
        DuplicateMember.objects.bulk_create([DuplicateMember(group=group, file=f) for f in files])

    def asker(self, who: str):
        return {"viewer": self.viewer, "moderator": self.moderator, "admin": self.admin}[who]


def listed(rows: Rows, path: str) -> tuple[int, int]:
    """(SQL queries, rows in all) of a GET of `path` by a fresh user object, with the shared cache empty."""
    asker = rows.asker(LISTS[path])
    client_for(User.objects.get(pk=asker.pk)).get(path)  # warms what the process keeps (content types) alike
    cache.clear()  # but nothing of the answer or the asker's settings stays in the shared cache
    client = client_for(User.objects.get(pk=asker.pk))  # and no permissions are cached on the user object
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.content[:300]
    body = response.json()
    total = body["count"] if isinstance(body, dict) and "count" in body else len(body)
    return len(queries), total


def get_endpoints() -> set[str]:
    """Every GET of /api/v1/ in the URL conf that names no object."""
    found = set()
    for path, method, _callback in EndpointEnumerator().get_api_endpoints():
        if method == "GET" and path.startswith("/api/v1/") and not re.search(r"\{[^}]+\}", path):
            found.add(path)
    return found


def test_every_list_endpoint_has_a_query_count():
    assert get_endpoints() - NOT_LISTS == set(LISTS), "add the new list to LISTS (or to NOT_LISTS)"


def test_the_baseline_names_only_lists_that_exist():
    baseline = json.loads(BASELINE.read_text())
    assert set(baseline) <= set(LISTS), f"stale entries in {BASELINE.name}: {set(baseline) - set(LISTS)}"


@pytest.fixture
def rows(tmp_path, place, db) -> Rows:
    return Rows(tmp_path, place)


@pytest.mark.parametrize("path", sorted(LISTS))
def test_list_queries_match_the_baseline_and_do_not_grow_with_rows(rows, path):
    rows.add(2)
    queries, length = listed(rows, path)
    rows.add(2)
    more_queries, more_length = listed(rows, path)
    if path not in FIXED_LENGTH:
        assert more_length > length > 0, f"{path}: the rows should show ({length} then {more_length})"
    assert more_queries == queries, f"{path}: {queries} queries for {length} rows, {more_queries} for {more_length}"
    baseline = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    if UPDATE:
        BASELINE.write_text(json.dumps({**baseline, path: queries}, indent=2, sort_keys=True) + "\n")
        return
    assert path in baseline, f"no baseline for {path}: run with REVENGE_UPDATE_QUERY_COUNTS=1"
    assert queries == baseline[path], (
        f"{path} makes {queries} queries, the baseline says {baseline[path]}: "
        "if that is on purpose, run with REVENGE_UPDATE_QUERY_COUNTS=1 and commit query_counts.json"
    )


def test_every_list_is_encoded_as_drfs_own_renderer_would(rows):
    """The API encodes with orjson (apps/core/api/renderers.py): byte for byte what DRF's renderer gives."""
    from rest_framework.renderers import JSONRenderer as DRFRenderer

    rows.add(2)
    for path, who in sorted(LISTS.items()):
        response = client_for(User.objects.get(pk=rows.asker(who).pk)).get(path)
        assert response.status_code == 200, path
        assert response.content == DRFRenderer().render(response.data), path
