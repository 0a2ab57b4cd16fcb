"""Reads of notifications, and the one place that decides who may hear of an event: media through the
catalogue's own selectors (grants, rating and genre limits), the rest by role or because it is about them."""

from __future__ import annotations

from django.db.models import QuerySet

from apps.core.events import CATALOGUE, EventType
from apps.libraries.selectors import libraries_visible_to
from apps.media.selectors import episodes_visible_to, movies_visible_to, shows_visible_to
from apps.notifications.matching import DIGEST
from apps.notifications.models import (
    Notification,
    NotificationAgent,
    NotificationDelivery,
    NotificationEvent,
    NotificationPreference,
)

MANAGE_PERMISSION = "accounts.change_user"
# What managers hear by default. Blocked requests (security.ip_blocked) can come by the thousand: opt-in only.
MANAGER_DEFAULTS = ("system", "security.login_failed", "security.lockout", "security.unlocked", "library.scan_failed")
# The requester and subscribers of a request hear of its progress by default.
REQUESTER_DEFAULTS = ("request.approved", "request.declined", "request.available", "request.failed")


def is_manager(*, user) -> bool:
    """Managers (accounts.change_user, or staff) hear system and security events and run the agents."""
    return bool(
        user and user.is_authenticated and user.is_active and (user.is_staff or user.has_perm(MANAGE_PERMISSION))
    )


def agents_visible_to(*, user) -> QuerySet[NotificationAgent]:
    """The operator's agents, for managers only."""
    if not is_manager(user=user):
        return NotificationAgent.objects.none()
    return NotificationAgent.objects.filter(owner=None).prefetch_related("libraries", "users")


def agents_and_channels_visible_to(*, user) -> QuerySet[NotificationAgent]:
    """The console's list: managers see the operator's agents and everyone's personal channels (to help them)."""
    if not is_manager(user=user):
        return NotificationAgent.objects.none()
    return NotificationAgent.objects.select_related("owner")


def channels_visible_to(*, user) -> QuerySet[NotificationAgent]:
    """A person's own channels; nobody sees another's."""
    if not (user and user.is_authenticated):
        return NotificationAgent.objects.none()
    return NotificationAgent.objects.filter(owner=user).select_related("owner")


def deliveries_visible_to(*, user) -> QuerySet[NotificationDelivery]:
    """The delivery log, for managers only."""
    if not is_manager(user=user):
        return NotificationDelivery.objects.none()
    return NotificationDelivery.objects.select_related("event", "agent")


def notifications_visible_to(*, user) -> QuerySet[Notification]:
    """A person's own in-app notifications, newest first."""
    if not (user and user.is_authenticated):
        return Notification.objects.none()
    return Notification.objects.filter(user=user)


def notifications_unread_count(*, user) -> int:
    return notifications_visible_to(user=user).filter(read_at=None).count()


def preference_of(*, user) -> NotificationPreference:
    """The saved preferences, or the defaults (unsaved) for someone who never changed them."""
    found = NotificationPreference.objects.filter(user=user).first()
    return found or NotificationPreference(user=user)


def default_patterns(*, user) -> list[str]:
    """What the user hears without asking (requests they made or follow always come on top)."""
    return list(MANAGER_DEFAULTS) if is_manager(user=user) else []


def event_types() -> list[EventType]:
    """The catalogue, by category and name."""
    return sorted(CATALOGUE.values(), key=lambda entry: (entry.category, entry.name))


# --- who hears of an event ---------------------------------------------------------------------------------


def ids_of(*, value) -> set[int]:
    values = value if isinstance(value, (list, tuple)) else [value]
    return {int(v) for v in values if isinstance(v, int) or (isinstance(v, str) and v.isdigit())}


def people_of(*, payload: dict) -> set[int]:
    """The users an event is about: its user, requester and subscribers."""
    found: set[int] = set()
    for key in ("user_id", "requester_id", "subscriber_ids"):
        found |= ids_of(value=payload.get(key))
    return found


def requesters_of(*, payload: dict) -> set[int]:
    return ids_of(value=payload.get("requester_id")) | ids_of(value=payload.get("subscriber_ids"))


def media_refs(*, payload: dict) -> list[tuple[str, int]]:
    """The catalogue items an event names, as (kind, id); an id that is no number names nothing visible (0)."""

    def named(key: str) -> bool:
        return payload.get(key) is not None

    refs = [
        (kind, next(iter(ids_of(value=payload[f"{kind}_id"])), 0))
        for kind in ("movie", "episode")
        if named(f"{kind}_id")
    ]
    if named("show_id") and not any(kind == "episode" for kind, _ in refs):
        refs.append(("show", next(iter(ids_of(value=payload["show_id"])), 0)))
    if payload.get("item_kind") in ("movie", "episode", "show") and named("item_id"):
        refs.append((payload["item_kind"], next(iter(ids_of(value=payload["item_id"])), 0)))
    return refs


def media_kind_of(*, name: str, payload: dict) -> str:
    refs = media_refs(payload=payload)
    if refs:
        return refs[0][0]
    kind = payload.get("media_kind") or (payload.get("kind") if name == "media.removed" else "")
    return {"tv": "show", "series": "show"}.get(kind, kind or "")


_VISIBLE = {"movie": movies_visible_to, "episode": episodes_visible_to, "show": shows_visible_to}


def _sees_media(user, payload: dict) -> bool:
    """Every item the event names must be visible to the user through the catalogue's selectors."""
    return all(_VISIBLE[kind](user=user).filter(pk=pk).exists() for kind, pk in media_refs(payload=payload))


def _sees_library(user, payload: dict) -> bool:
    library_ids = ids_of(value=payload.get("library_id"))
    return not library_ids or libraries_visible_to(user=user).filter(pk__in=library_ids).count() == len(library_ids)


def may_hear(*, user, event: NotificationEvent) -> bool:
    """Whether the user may know of this event at all, whatever they asked for."""
    if not (user and user.is_active):
        return False
    payload, manager = event.payload, is_manager(user=user)
    if not _sees_media(user, payload):
        return False
    if event.category == "media":
        if media_refs(payload=payload):
            return True  # the catalogue selectors above decided
        # A removed item has no files left, so the catalogue no longer shows it: only managers of its library hear.
        return manager and _sees_library(user, payload)
    if event.category == "request":
        return manager or user.pk in requesters_of(payload=payload)
    if event.category in ("playback", "user", "auth"):
        return manager or user.pk in ids_of(value=payload.get("user_id"))
    return manager and _sees_library(user, payload)


def digest_channels_of(*, user) -> list[NotificationAgent]:
    """A person's enabled channels that take digests: those without an event list, or naming "digest"."""
    return [c for c in channels_visible_to(user=user).filter(enabled=True) if not c.events or DIGEST in c.events]
