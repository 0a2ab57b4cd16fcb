"""Who an event goes to: the operator's agents, and the people who want it and may hear of it (selectors)."""

# Agents, channels, preferences and message overrides change rarely and are read for every event: each
# process keeps them in a snapshot, renewed when any of them is saved (a token in the shared cache) and at
# least every 10 seconds. People themselves are read fresh for each event.

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Q

from apps.core import events
from apps.notifications import selectors
from apps.notifications.matching import matches
from apps.notifications.models import MessageTemplate, NotificationAgent, NotificationEvent, NotificationPreference

logger = logging.getLogger(__name__)
TOKEN_KEY = "notifications:routing-token"  # noqa: S105 - a cache key, not a password
SNAPSHOT_SECONDS = 10.0


@dataclass(frozen=True)
class Snapshot:
    token: str
    taken_at: float
    patterns: frozenset[str]
    agents: tuple[tuple[NotificationAgent, frozenset[int], frozenset[int]], ...]
    by_pk: dict[int, NotificationAgent]
    channels: dict[int, list[NotificationAgent]]
    preferences: dict[int, NotificationPreference]
    manager_ids: frozenset[int]
    templates: dict[str, MessageTemplate]


_snapshot: Snapshot | None = None
_checked_in: object | None = None  # the delivery round whose events already read the token


def _manager_ids() -> frozenset[int]:
    """Staff and holders of the manage permission; each is checked again, fresh, before hearing anything."""
    codename = selectors.MANAGE_PERMISSION.split(".")[1]
    managers = (
        Q(is_staff=True)
        | Q(is_superuser=True)
        | Q(groups__permissions__codename=codename)
        | Q(user_permissions__codename=codename)
    )
    return frozenset(get_user_model().objects.filter(managers, is_active=True).values_list("pk", flat=True))


def _take(token: str) -> Snapshot:
    agents = tuple(
        (agent, frozenset(lib.pk for lib in agent.libraries.all()), frozenset(u.pk for u in agent.users.all()))
        for agent in NotificationAgent.objects.filter(owner=None, enabled=True).prefetch_related("libraries", "users")
    )
    channels: dict[int, list[NotificationAgent]] = {}
    for channel in NotificationAgent.objects.filter(owner__is_active=True, enabled=True).select_related("owner"):
        channels.setdefault(channel.owner_id, []).append(channel)
    preferences = {p.user_id: p for p in NotificationPreference.objects.all()}
    patterns = set(selectors.MANAGER_DEFAULTS) | set(selectors.REQUESTER_DEFAULTS)
    for agent, _, _ in agents:
        patterns.update(agent.events)
    for owned in channels.values():
        patterns.update(p for channel in owned for p in channel.events)  # without a list: its owner's preferences
    for preference in preferences.values():
        patterns.update(preference.events)
    return Snapshot(
        token=token,
        taken_at=time.monotonic(),
        patterns=frozenset(patterns),
        agents=agents,
        by_pk={a.pk: a for a, _, _ in agents} | {c.pk: c for owned in channels.values() for c in owned},
        channels=channels,
        preferences=preferences,
        manager_ids=_manager_ids(),
        templates={t.event: t for t in MessageTemplate.objects.all()},
    )


def routing_snapshot() -> Snapshot:
    """The current snapshot of agents, channels, preferences and message overrides."""
    global _snapshot, _checked_in
    current, round_ = _snapshot, events.delivery_round()
    if current is not None and round_ is not None and _checked_in is round_:
        # The token was read for an earlier event of this batch (a scan delivers thousands at once): one
        # cache read per batch, not per event. This process's own changes still clear the snapshot at once.
        return current
    _checked_in = round_
    try:
        token = cache.get_or_set(TOKEN_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:  # the cache (Redis) is down: renew on time alone
        token = _snapshot.token if _snapshot else ""
    current = _snapshot
    if current is None or current.token != token or time.monotonic() - current.taken_at > SNAPSHOT_SECONDS:
        current = _snapshot = _take(token)
    return current


def routing_changed() -> None:
    """An agent, channel, preference or message override changed: every process takes a new snapshot."""
    global _snapshot
    _snapshot = None  # this process at once, even without the cache
    try:
        cache.set(TOKEN_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        logger.warning("could not tell other processes that notification routing changed", exc_info=True)


def listened_to(name: str, category: str) -> bool:
    """Whether anyone could want this event; events nobody listens to are not recorded at all."""
    return matches(routing_snapshot().patterns, name, category)


def template_override(name: str) -> MessageTemplate | None:
    return routing_snapshot().templates.get(name)


def enabled_agent(pk: int) -> NotificationAgent | None:
    """The agent if it is enabled (and its owner active): from the snapshot, else from the database; else None."""
    found = routing_snapshot().by_pk.get(pk)
    if found is None:  # turned off, or newer than this snapshot (when the shared cache could not say so)
        found = (
            NotificationAgent.objects.filter(pk=pk, enabled=True)
            .exclude(owner__is_active=False)
            .select_related("owner")
        ).first()
    return found


@dataclass
class Recipient:
    """A person who hears of an event: in the app, and on which of their channels."""

    user: object
    in_app: bool
    channels: list[NotificationAgent] = field(default_factory=list)


def recipients_of(event: NotificationEvent) -> list[Recipient]:
    """Everyone who wants this event and may hear of it (selectors.may_hear), with the channels it goes to."""
    shot, name, category = routing_snapshot(), event.name, event.category
    requesters = selectors.requesters_of(payload=event.payload) if name in selectors.REQUESTER_DEFAULTS else set()
    candidates = set(requesters)
    if matches(selectors.MANAGER_DEFAULTS, name, category):
        candidates |= shot.manager_ids
    candidates |= {uid for uid, p in shot.preferences.items() if matches(p.events, name, category)}
    candidates |= {uid for uid, owned in shot.channels.items() if any(matches(c.events, name, category) for c in owned)}
    if not candidates:
        return []
    found = []
    for user in get_user_model().objects.filter(pk__in=candidates, is_active=True):
        preference = shot.preferences.get(user.pk) or NotificationPreference(user=user)
        if matches(preference.muted, name, category):
            continue
        base = (
            user.pk in requesters
            or matches(preference.events, name, category)
            or (matches(selectors.MANAGER_DEFAULTS, name, category) and selectors.is_manager(user=user))
        )
        channels = [
            c for c in shot.channels.get(user.pk, []) if (matches(c.events, name, category) if c.events else base)
        ]
        in_app = base and preference.in_app
        if (in_app or channels) and selectors.may_hear(user=user, event=event):
            found.append(Recipient(user=user, in_app=in_app, channels=channels))
    return found


def operator_agents_for(event: NotificationEvent) -> list[NotificationAgent]:
    """The operator's enabled agents subscribed to the event whose conditions (library, user, kind) it meets."""
    payload, found = event.payload, []
    for agent, libraries, users in routing_snapshot().agents:
        if not matches(agent.events, event.name, event.category):
            continue
        if libraries and not (selectors.ids_of(value=payload.get("library_id")) & libraries):
            continue
        if users and not (selectors.people_of(payload=payload) & users):
            continue
        if agent.media_kinds and selectors.media_kind_of(name=event.name, payload=payload) not in agent.media_kinds:
            continue
        found.append(agent)
    return found
