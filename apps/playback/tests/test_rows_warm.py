"""Warming after a scan: the worker computes the home rows of active viewers of the scanned library."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from prometheus_client import REGISTRY
from rest_framework.test import APIClient

from apps.core import caching, events
from apps.core.testing.catalogue import episode, session_for
from apps.media.models import Show
from apps.playback import watch, watch_rows


def row_queries(user, url: str) -> list[str]:
    api = APIClient()
    api.force_authenticate(user)
    with CaptureQueriesContext(connection) as queries:
        assert api.get(url).status_code == 200
    return [q["sql"] for q in queries.captured_queries if '"playback_' in q["sql"] or '"media_' in q["sql"]]


def misses(name: str) -> float:
    return REGISTRY.get_sample_value("revenge_cache_misses_total", {"namespace": name}) or 0.0


@pytest.mark.django_db
def test_warming_computes_the_rows_of_active_viewers_of_the_library_only(catalogue):
    watch.session_progress(session=session_for(catalogue.user, movie=catalogue.heat), position=600)
    watch.watched_set(user=catalogue.kid, episode=episode("Lost", 1, 1), watched=True)
    tv = Show.objects.get(title="Lost").library
    private_tv = Show.objects.get(title="Hush").library
    caching.bump(caching.library(tv.pk))  # what the scan's events did
    assert watch_rows.rows_warm(library_id=tv.pk) == 2  # the user and the kid see TV; the idle boss is skipped
    rows = ("/api/v1/playback/continue-watching/", "/api/v1/playback/next-up/")
    library = (f"/api/v1/libraries/{tv.pk}/recent/", f"/api/v1/libraries/{tv.pk}/stats/")
    for user in (catalogue.user, catalogue.kid):
        for url in (*rows, *library):
            assert row_queries(user, url) == [], (user, url)
    assert watch_rows.rows_warm(library_id=private_tv.pk) == 0  # hidden from both
    assert watch_rows.rows_warm(library_id=10**9) == 0  # no such library


def test_a_completed_scan_warms_the_rows_on_the_worker(redis_worker, catalogue):
    user, tv = catalogue.user, Show.objects.get(title="Lost").library
    watch.watched_set(user=user, episode=episode("Lost", 1, 1), watched=True)
    before = misses("next-up")
    events.emit("library.scan_completed", library_id=tv.pk, library="TV", scan_id=1, kind="full", counters={})
    deadline = time.monotonic() + 30
    while misses("next-up") == before and time.monotonic() < deadline:
        time.sleep(0.05)  # the worker thread computes the row
    assert misses("next-up") == before + 1
    assert row_queries(user, "/api/v1/playback/next-up/") == []
