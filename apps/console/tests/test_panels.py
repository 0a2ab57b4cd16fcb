"""The panels' own logic: health dots from what the processes leave behind, counts that skip a query when the
list already holds everything, and the library totals kept until a library finishes a scan."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from apps.accounts.models import LoginLockout
from apps.console.panels import attention, now_playing, status
from apps.console.panels.libraries import build as libraries_build
from apps.core import collectors
from apps.core.models import TaskRun
from apps.core.testing.catalogue import movie_make
from apps.libraries import services as library_services
from apps.libraries.models import Library, WatcherStatus
from apps.notifications.models import NotificationAgent
from apps.requests.models import MediaRequest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_dots():
    status.dots_forget()
    yield
    status.dots_forget()


def dots() -> dict[str, status.Dot]:
    status.dots_forget()
    return {dot.name: dot for dot in status.dots()}


def test_dots_when_nothing_ever_ran(db):
    found = dots()
    assert found["watcher"].state == "off" and found["beat"].state == "warn"
    assert found["workers"].state in ("warn", "down")  # down only when tasks wait in a queue
    assert found["cache"].state == "ok" and found["broker"].state == "ok"


def test_dots_follow_the_watcher_workers_and_beat(db):
    now = timezone.now()
    status_row = WatcherStatus.objects.create(name="host:1", started_at=now, heartbeat_at=now, watches=12)
    TaskRun.objects.create(task_id="t1", name="core.ping", worker="w1@host", state="success", finished_at=now)
    every = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.MINUTES)
    PeriodicTask.objects.create(name="sweep", task="notifications.sweep", interval=every, last_run_at=now)
    found = dots()
    assert (found["watcher"].state, found["watcher"].detail) == ("ok", "12 folders watched")
    assert found["beat"].state == "ok"
    # A run finished a minute ago says little: the workers are asked, and none runs here.
    assert (found["workers"].state, found["workers"].detail) == ("down", "no worker answered a ping")

    WatcherStatus.objects.filter(pk=status_row.pk).update(warnings=["inotify queue overflow"])
    assert dots()["watcher"].state == "warn"
    long_ago = now - timedelta(hours=1)
    WatcherStatus.objects.filter(pk=status_row.pk).update(heartbeat_at=long_ago)
    TaskRun.objects.update(finished_at=long_ago)
    PeriodicTask.objects.update(last_run_at=long_ago)
    found = dots()
    assert found["watcher"].state == "down" and found["beat"].state == "down"
    assert found["workers"].state in ("warn", "down")


def test_dots_are_read_at_most_every_few_seconds(db):
    first = status.dots()
    WatcherStatus.objects.create(name="host:2", started_at=timezone.now(), heartbeat_at=timezone.now())
    assert status.dots() is first  # the same answer within DOTS_SECONDS
    assert dots()["watcher"].state == "ok"


def test_the_pending_count_beyond_the_list(world):
    for n in range(attention.REQUESTS_SHOWN + 2):
        MediaRequest.objects.create(kind="movie", tmdb_id=1000 + n, title=f"Film {n}", requested_by=world.alice)
    built = attention.build(user=world.boss)
    assert len(built["pending"]) == attention.REQUESTS_SHOWN and built["pending_count"] == attention.REQUESTS_SHOWN + 2
    MediaRequest.objects.filter(title__in=["Film 0", "Film 1", "Film 2"]).delete()
    built = attention.build(user=world.boss)
    assert len(built["pending"]) == built["pending_count"] == attention.REQUESTS_SHOWN - 1


def test_totals_count_every_live_session_beyond_the_cards(world, monkeypatch):
    monkeypatch.setattr(now_playing, "CARDS", 1)
    built = now_playing.build(user=world.boss)
    assert len(built["cards"]) == 1
    assert (built["totals"]["streams"], built["totals"]["transcodes"]) == (2, 1)
    monkeypatch.setattr(now_playing, "CARDS", 50)
    again = now_playing.build(user=world.boss)
    assert again["totals"] == {"streams": 2, "transcodes": 1, "bandwidth": 8_100_000}


def test_library_totals_are_counted_again_after_a_scan(world):
    def titles() -> int:
        return libraries_build(user=world.boss)["rows"][0]["titles"]

    assert titles() == 2
    movie_make(library=world.library, title="Ronin", year=1998)
    assert titles() == 2  # kept: counting a large catalogue every 2 s would cost more than it tells
    Library.objects.filter(pk=world.library.pk).update(last_scanned_at=timezone.now() + timedelta(seconds=1))
    assert titles() == 3


def test_library_totals_are_each_users_own(world):
    library_services.library_grants_set(library=world.library, roles={}, users={}, by=None)
    assert libraries_build(user=world.boss)["rows"][0]["titles"] == 2
    assert libraries_build(user=world.alice)["rows"] == []


def test_a_broker_that_does_not_answer_is_a_red_dot(db, settings, monkeypatch):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    monkeypatch.setattr(status, "_queues", collectors.QueueCollector())  # a collector that has not connected yet
    assert (dots()["queues"].state, dots()["queues"].detail) == ("down", "Redis did not answer")


def test_the_embedded_broker_has_no_queue_dot(db, settings):
    settings.REDIS_URL = ""
    assert dots()["queues"].state == "off"


def test_slow_moving_counts_are_kept_a_few_seconds_per_user(world, signed_in):
    assert attention.build(user=world.boss)["lockouts"] == 0
    LoginLockout.objects.create(scope="ip", key="192.0.2.1", failures=9, permanent=True)
    NotificationAgent.objects.create(name="Hooks <b>", kind="webhook", enabled=False, disabled_reason="5 failures")
    kept = attention.build(user=world.boss)
    assert kept["lockouts"] == 0 and kept["disabled_agents"] == []  # as counted a moment ago
    cache.clear()
    html = signed_in(world.boss).get("/admin/console/panels/attention/", HTTP_HX_REQUEST="true").content.decode()
    assert "1 sign-in lock</a>" in html
    assert "Agent Hooks &lt;b&gt; is disabled</a>: 5 failures" in html
