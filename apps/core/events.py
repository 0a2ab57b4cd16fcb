"""Domain events: one catalogue of names, `emit()` after commit, and `subscribe()` for listeners.

A service emits an event when it changed something; notifications, audit, cache invalidation and
metrics subscribe to it. Delivery happens only when the surrounding transaction commits, so a rolled
back change never announces itself.
"""

from __future__ import annotations

import fnmatch
import json
import logging
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

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
        return CATALOGUE[self.name].category


class UnknownEventError(LookupError):
    """Raised when code emits or subscribes to a name that is not in the catalogue."""


CATALOGUE: dict[str, EventType] = {}
Subscriber = Callable[[Event], None]
_subscribers: list[tuple[str, Subscriber]] = []

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


def subscribe(pattern: str) -> Callable[[Subscriber], Subscriber]:
    """Decorator: call the function for events whose name matches `pattern` ('movie.added', 'movie.*', '*')."""
    if not any(ch in pattern for ch in "*?[") and pattern not in CATALOGUE:
        raise UnknownEventError(f"cannot subscribe to unknown event {pattern!r}")

    def register(func: Subscriber) -> Subscriber:
        _subscribers.append((pattern, func))
        return func

    return register


def unsubscribe(func: Subscriber) -> None:
    """Remove every subscription of `func`."""
    _subscribers[:] = [(pattern, f) for pattern, f in _subscribers if f is not func]


def emit(name: str, /, *, using: str = "default", **payload: Any) -> Event:
    """Queue the event for delivery after the current transaction commits (at once outside one)."""
    if name not in CATALOGUE:
        raise UnknownEventError(f"event {name!r} is not in the catalogue (apps/core/events.py)")
    try:
        # Subscribers hand payloads to Celery and webhooks, so they must survive JSON.
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
    with caching.bumps_coalesced():
        for event in events:
            deliver(event)


def deliver(event: Event) -> None:
    """Hand the event to each matching subscriber; one failing subscriber does not stop the others."""
    emitted_total.labels(event=event.name).inc()
    for pattern, func in list(_subscribers):
        if not fnmatch.fnmatchcase(event.name, pattern):
            continue
        try:
            func(event)
        except Exception:
            subscriber_failures_total.labels(event=event.name).inc()
            logger.exception("subscriber %s failed on event %s", getattr(func, "__qualname__", func), event.name)


define(
    "user.created",
    category="user",
    description="A user account was created.",
    payload=("user_id", "username"),
)
define(
    "system.startup",
    category="system",
    description="A Revenge process started.",
    payload=("process",),
)
define(
    "library.scan_started",
    category="library",
    description="A library scan started.",
    payload=("library_id", "library", "scan_id", "kind"),
)
define(
    "library.scan_completed",
    category="library",
    description="A library scan finished, with its counters.",
    payload=("library_id", "library", "scan_id", "kind", "counters", "duration"),
)
define(
    "library.scan_failed",
    category="library",
    description="A library scan stopped on an error.",
    payload=("library_id", "library", "scan_id", "reason"),
)
define(
    "movie.added",
    category="media",
    description="A movie appeared in a library.",
    payload=("movie_id", "library_id", "title", "year"),
)
define(
    "episode.added",
    category="media",
    description="An episode appeared in a library.",
    payload=("episode_id", "show_id", "library_id", "show", "season", "episode", "title"),
)
define(
    "media.removed",
    category="media",
    description="A movie or episode lost its last file and left the library.",
    payload=("kind", "id", "library_id", "title"),
)
define(
    "security.login_failed",
    category="security",
    description="A login failed: wrong password, unknown user, or refused while locked out.",
    payload=("username", "ip", "user_agent", "path", "locked"),
)
define(
    "security.lockout",
    category="security",
    description="Too many failed logins locked a username or client IP, for a while or until unlocked.",
    payload=("scope", "key", "username", "ip", "failures", "locked_until", "permanent"),
)
define(
    "security.unlocked",
    category="security",
    description="An admin or moderator lifted a login lockout.",
    payload=("scope", "key", "user_id", "username", "by_id"),
)
define(
    "security.ip_blocked",
    category="security",
    description="An IP rule refused a request.",
    payload=("ip", "rule", "method", "path"),
)
define(
    "auth.login",
    category="auth",
    description="A user signed in (admin, session or API token login).",
    payload=("user_id", "username", "ip", "user_agent", "method"),
)
define(
    "auth.logout",
    category="auth",
    description="A user signed out of one session or token.",
    payload=("user_id", "username", "ip", "method"),
)
define(
    "auth.token_created",
    category="auth",
    description="An API token was created.",
    payload=("user_id", "username", "token_id", "name", "by_id"),
)
define(
    "auth.token_revoked",
    category="auth",
    description="An API token was revoked.",
    payload=("user_id", "username", "token_id", "name", "by_id"),
)
define(
    "auth.session_revoked",
    category="auth",
    description="A signed-in session was ended by its user or an admin.",
    payload=("user_id", "username", "session_id", "device", "by_id"),
)
define(
    "auth.logout_all",
    category="auth",
    description="Every session and token of a user was ended.",
    payload=("user_id", "username", "sessions", "tokens", "by_id"),
)
define(
    "catalogue.changed",
    category="catalogue",
    description="An operator changed a movie, show, season, episode or file (admin or API).",
    payload=("kind", "id", "library_id", "title", "fields", "by_id"),
)
define(
    "catalogue.deleted",
    category="catalogue",
    description="An operator removed a movie, show, season, episode or file from the catalogue (admin or API).",
    payload=("kind", "id", "library_id", "title", "by_id"),
)
define(
    "auth.password_changed",
    category="auth",
    description="A password was changed or reset: the user's other sessions and every API token were ended.",
    payload=("user_id", "username", "sessions", "tokens", "by_id"),
)
define(
    "movie.available",
    category="media",
    description="A movie has a playable main file (a new one, or a requested one that arrived).",
    payload=("movie_id", "library_id", "title", "year"),
)
define(
    "episode.available",
    category="media",
    description="An episode has a playable main file for the first time.",
    payload=("episode_id", "show_id", "library_id", "show", "season", "episode", "title"),
)

# Requests, playback and transcoding are built by other issues; listed now so agents can subscribe.
_REQUEST_PAYLOAD = ("request_id", "title", "media_kind", "requester_id", "subscriber_ids")
define(
    "request.created",
    category="request",
    description="Someone requested a movie or show.",
    payload=_REQUEST_PAYLOAD,
)
define(
    "request.approved",
    category="request",
    description="A request was approved and handed to Radarr/Sonarr.",
    payload=(*_REQUEST_PAYLOAD, "by_id"),
)
define(
    "request.declined",
    category="request",
    description="A request was declined.",
    payload=(*_REQUEST_PAYLOAD, "by_id", "reason"),
)
define(
    "request.available",
    category="request",
    description="What was requested is in a library now.",
    payload=_REQUEST_PAYLOAD,
)
define(
    "request.failed",
    category="request",
    description="A request could not be fulfilled (Radarr/Sonarr refused or gave up).",
    payload=(*_REQUEST_PAYLOAD, "reason"),
)
_PLAYBACK_PAYLOAD = ("user_id", "username", "item_kind", "item_id", "title", "device")
define("playback.started", category="playback", description="Someone started playing.", payload=_PLAYBACK_PAYLOAD)
define("playback.paused", category="playback", description="Playback was paused.", payload=_PLAYBACK_PAYLOAD)
define("playback.resumed", category="playback", description="Paused playback went on.", payload=_PLAYBACK_PAYLOAD)
define(
    "playback.stopped",
    category="playback",
    description="Playback stopped: by the viewer, idle, or ended by a manager (reason terminated, by_id).",
    payload=(*_PLAYBACK_PAYLOAD, "session_id", "reason", "by_id", "message"),
)
define(
    "transcode.started",
    category="playback",
    description="A stream is being transcoded rather than played directly.",
    payload=(*_PLAYBACK_PAYLOAD, "reason"),
)
define(
    "notifications.agent_disabled",
    category="system",
    description="A notification agent failed 10 deliveries in a row and was turned off.",
    payload=("agent_id", "name", "kind", "failures", "last_error"),
)
