"""Health dots of the processes around the web one: watcher, workers, beat, queues, cache and broker.

Read from what they leave behind (the watcher's status row, beat's last sends, queue lengths); the workers are
asked once with a short ping (Celery's inspect), its answer shared through the cache for a few seconds, so a
panel refreshed every 2 s never waits on a dead worker for long.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db.models import Max
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from apps.core import collectors, health
from apps.core.models import TaskRun
from apps.libraries.models import WatcherStatus
from apps.scanning.selectors import watcher_alive

WORKER_QUIET = timedelta(minutes=3)  # a beat task goes to the workers every minute: three missed, none answers
BEAT_QUIET = timedelta(minutes=5)  # beat writes its last sends every few minutes (django-celery-beat's sync)
CHECKS_SECONDS = 10.0  # the cache and broker are probed at most this often per process
DOTS_SECONDS = 5.0  # and the rest read at most this often: health needs no fresher answer, a 2 s refresh no cost
QUEUE_BACKLOG = 100
PING_TIMEOUT = 0.5  # seconds a ping waits for workers' answers
PING_SECONDS = 5  # an answer is shared (cache) this long
PING_KEY = "console:workers-ping"


@dataclass(frozen=True)
class Dot:
    name: str
    state: str  # "ok", "warn", "down" or "off"
    detail: str


_queues = collectors.QueueCollector()
_checks_lock = threading.Lock()
_checks: tuple[float, list[Dot]] | None = None
_dots_lock = threading.Lock()
_dots: tuple[float, list[Dot]] | None = None


def _probe_dots() -> list[Dot]:
    global _checks
    with _checks_lock:
        if _checks is None or time.monotonic() - _checks[0] > CHECKS_SECONDS:
            dots = []
            for name, result in (("cache", health.cache_check()), ("broker", health.broker_check())):
                detail = f"{result.latency_ms:.0f} ms" if result.ok else result.error
                dots.append(Dot(name, "ok" if result.ok else "down", detail))
            _checks = (time.monotonic(), dots)
        return _checks[1]


def queue_lengths() -> dict[str, int]:
    """{queue: messages waiting}, empty when the broker is not Redis or does not answer."""
    lengths: dict[str, int] = {}
    for family in _queues.collect():
        for sample in family.samples:
            lengths[sample.labels["queue"]] = int(sample.value)
    return lengths


def _watcher(now) -> Dot:
    status = WatcherStatus.objects.order_by("-heartbeat_at").first()
    if status is None:
        return Dot("watcher", "off", "not running")
    if not watcher_alive(status=status, now=now):
        return Dot("watcher", "down", f"silent since {timezone.localtime(status.heartbeat_at):%H:%M:%S}")
    warn = bool(status.warnings)
    return Dot("watcher", "warn" if warn else "ok", f"{status.watches} folders watched")


def workers_answering() -> list[str] | None:
    """The workers that answered a ping just now (shared for PING_SECONDS); None when the broker cannot ask."""
    found = cache.get(PING_KEY)
    if found is None:
        try:
            found = sorted((current_app.control.inspect(timeout=PING_TIMEOUT).ping() or {}).keys())
        except Exception:  # the embedded broker has no broadcast; Redis may be down: the dot says what it can
            return None
        cache.set(PING_KEY, found, PING_SECONDS)
    return found


def _workers(now, waiting: int) -> Dot:
    answering = workers_answering()
    if answering:
        return Dot("workers", "ok", f"{len(answering)} running")
    # No answer: a solo worker deep in a long task cannot answer a ping; its run says it is alive.
    busy = TaskRun.objects.filter(state=TaskRun.State.STARTED, started_at__gte=now - timedelta(hours=6)).exists()
    if busy:
        return Dot("workers", "warn", "busy: a task is running, no worker answered a ping")
    seen = TaskRun.objects.filter(finished_at__gte=now - WORKER_QUIET).values("worker").distinct().count()
    if answering is None and seen:
        return Dot("workers", "ok", f"{seen} answered in the last {int(WORKER_QUIET.total_seconds() // 60)} min")
    return Dot("workers", "down" if waiting or answering is not None else "warn", "no worker answered a ping")


def _beat(now) -> Dot:
    last = PeriodicTask.objects.filter(enabled=True).aggregate(last=Max("last_run_at"))["last"]
    if last is None:
        return Dot("beat", "warn", "has not sent a task yet")
    state = "ok" if now - last <= BEAT_QUIET else "down"
    return Dot("beat", state, f"last sent {timezone.localtime(last):%H:%M:%S}")


def dots() -> list[Dot]:
    """Every dot, read again at most every DOTS_SECONDS in this process."""
    global _dots
    with _dots_lock:
        if _dots is None or time.monotonic() - _dots[0] > DOTS_SECONDS:
            _dots = (time.monotonic(), _dots_read())
        return _dots[1]


def dots_forget() -> None:
    """Read every dot afresh next time (tests, after changing what they look at)."""
    global _checks, _dots
    _checks = _dots = None


def _dots_read() -> list[Dot]:
    now = timezone.now()
    lengths = queue_lengths()
    waiting = sum(lengths.values())
    if not settings.REDIS_URL:
        queues = Dot("queues", "off", "embedded broker")
    elif not lengths:
        queues = Dot("queues", "down", "Redis did not answer")
    else:
        detail = ", ".join(f"{queue} {n}" for queue, n in lengths.items())
        queues = Dot("queues", "warn" if waiting > QUEUE_BACKLOG else "ok", detail)
    return [_watcher(now), _workers(now, waiting), _beat(now), queues, *_probe_dots()]
