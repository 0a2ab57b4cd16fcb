"""Domain events: the mechanism. `emit()` after commit, `subscribe()` for listeners, and one catalogue of names
assembled from the `EVENTS` of each app's own `events.py`.

A service emits an event when it changed something; notifications, audit, cache invalidation and
metrics subscribe to it. Delivery happens only when the surrounding transaction commits, so a rolled
back change never announces itself.
"""

from __future__ import annotations

import fnmatch
import importlib
import importlib.util
import json
import logging
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from apps.core import caching, metrics

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class EventType:
    """An entry of the catalogue: what happened, its category and the payload keys it carries."""

    name: str
    category: str
    description: str
    payload: tuple[str, ...] = ()


@dataclass(frozen=True)
class Event:
    """One occurrence of an event type, as handed to subscribers."""

    name: str
    payload: dict[str, Any]
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    occurred_at: datetime = field(default_factory=timezone.now)

    @property
    def category(self) -> str:
        return catalogue_load()[self.name].category


class UnknownEventError(LookupError):
    """Raised when code emits or subscribes to a name that is not in the catalogue."""


CATALOGUE: dict[str, EventType] = {}
_apps_loaded: list[str] = []  # the apps whose events are in CATALOGUE
_catalogue_lock = threading.Lock()
Subscriber = Callable[[Event], None]
_subscribers: list[tuple[str, Subscriber]] = []
# Event name -> its subscribers, in order; matching ten patterns for each of a first scan's 4,000 events showed.
_matching: dict[str, list[Subscriber]] = {}
_matching_lock = threading.Lock()

emitted_total = metrics.counter("events_emitted_total", "Domain events delivered after commit.", ["event"])
subscriber_failures_total = metrics.counter(
    "event_subscriber_failures_total", "Subscribers that raised while handling an event.", ["event"]
)


def define(name: str, *, category: str, description: str, payload: tuple[str, ...] = ()) -> EventType:
    """Add an event type to the catalogue; each name is defined once."""
    if name in CATALOGUE:
        raise ValueError(f"event {name!r} is already defined")
    if "." not in name:
        raise ValueError(f"event name {name!r} must be dotted, like 'movie.added'")
    CATALOGUE[name] = EventType(name=name, category=category, description=description, payload=payload)
    return CATALOGUE[name]


def catalogue_load() -> dict[str, EventType]:
    """The catalogue, filled on first use from `apps.<app>.events.EVENTS` of each installed app (any order)."""
    if not _apps_loaded:
        with _catalogue_lock:  # core's ready() loads it before any thread starts; this is for scripts and shells
            if not _apps_loaded:
                _catalogue_fill()
    return CATALOGUE


def _catalogue_fill() -> None:
    for config in apps.get_app_configs():
        module = f"{config.name}.events"
        if not config.name.startswith("apps.") or module == __name__ or importlib.util.find_spec(module) is None:
            continue
        for entry in importlib.import_module(module).EVENTS:
            define(entry.name, category=entry.category, description=entry.description, payload=entry.payload)
        _apps_loaded.append(config.name)


def subscribe(pattern: str) -> Callable[[Subscriber], Subscriber]:
    """Decorator: call the function for events whose name matches `pattern` ('movie.added', 'movie.*', '*')."""
    if not any(ch in pattern for ch in "*?[") and pattern not in catalogue_load():
        raise UnknownEventError(f"cannot subscribe to unknown event {pattern!r}")

    def register(func: Subscriber) -> Subscriber:
        with _matching_lock:
            _subscribers.append((pattern, func))
            _matching.clear()
        return func

    return register


def unsubscribe(func: Subscriber) -> None:
    """Remove every subscription of `func`."""
    with _matching_lock:
        _subscribers[:] = [(pattern, f) for pattern, f in _subscribers if f is not func]
        _matching.clear()


# Exact types (not subclasses such as SafeString or IntEnum) that JSON returns unchanged.
_JSON_SCALARS = frozenset({str, int, float, bool, type(None)})


def emit(name: str, /, *, using: str = "default", **payload: Any) -> Event:
    """Queue the event for delivery after the current transaction commits (at once outside one)."""
    if name not in catalogue_load():
        raise UnknownEventError(f"event {name!r} is not in the catalogue (the EVENTS of an app's events.py)")
    if not all(type(value) in _JSON_SCALARS for value in payload.values()):
        try:
            # Subscribers hand payloads to Celery and webhooks, so they must survive JSON. Plain scalars come
            # back as they went (the common case: a scan emits several events a file), so they skip the trip.
            payload = json.loads(json.dumps(payload, cls=DjangoJSONEncoder))
        except (TypeError, ValueError) as exc:
            raise ValueError(f"payload of {name!r} is not JSON-serialisable: {exc}") from exc
    event = Event(name=name, payload=payload)
    batch = _batches.stack[-1] if getattr(_batches, "stack", None) else None
    transaction.on_commit(lambda: _committed(event, batch), using=using)
    return event


class _Batch:
    def __init__(self) -> None:
        self.open = True
        self.events: list[Event] = []


_batches = threading.local()


@contextmanager
def batch() -> Iterator[None]:
    """Deliver the events emitted inside the block, once committed, together when it ends (the indexer's writes).

    Each event still reaches each subscriber, in order; what subscribers repeat for every event, such as a cache
    version bump, is done once per batch. An event whose transaction commits after the block is delivered then.
    """
    current = _Batch()
    stack = _batches.__dict__.setdefault("stack", [])
    stack.append(current)
    try:
        yield
    finally:
        stack.remove(current)
        current.open = False
        deliver_many(current.events)


def _committed(event: Event, batch: _Batch | None) -> None:
    if batch is not None and batch.open:
        batch.events.append(event)
    else:
        deliver(event)


def deliver_many(events: list[Event]) -> None:
    """Deliver events in order, with one cache version bump per name for the lot."""
    if not events:
        return
    outer, _batches.round = delivery_round(), object()
    try:
        with caching.bumps_coalesced():
            for event in events:
                deliver(event)
    finally:
        _batches.round = outer  # a batch delivered by a subscriber of another ends inside it


def delivery_round() -> object | None:
    """A token for the batch of events being delivered now in this thread (None outside one).

    Subscribers may check shared state once per round instead of once per event: the events of one batch were
    all committed before the first is delivered.
    """
    return getattr(_batches, "round", None)


def deliver(event: Event) -> None:
    """Hand the event to each matching subscriber; one failing subscriber does not stop the others."""
    emitted_total.labels(event=event.name).inc()
    subscribers = _matching.get(event.name)
    if subscribers is None:
        current = list(_subscribers)
        subscribers = [func for pattern, func in current if fnmatch.fnmatchcase(event.name, pattern)]
        with _matching_lock:
            if current == _subscribers:  # a subscription made meanwhile (another thread) is not cached away
                _matching[event.name] = subscribers
    for func in list(subscribers):
        try:
            func(event)
        except Exception:
            subscriber_failures_total.labels(event=event.name).inc()
            logger.exception("subscriber %s failed on event %s", getattr(func, "__qualname__", func), event.name)
