"""Writes of notifications: agents and personal channels, test sends, preferences, in-app notices read."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from apps.audit.services import private_network_opt_in_record
from apps.core.outbound import may_allow_private_network, opt_in_refusal
from apps.notifications import matching, senders
from apps.notifications.kinds import ATTEMPT_TIMEOUT, agent_clean
from apps.notifications.messages import PARTS, Message, template_problem
from apps.notifications.models import MessageTemplate, NotificationAgent, NotificationPreference
from apps.notifications.selectors import notifications_visible_to

UNSET = object()

TEST_MESSAGE = Message(
    title="Revenge test notification",
    body="If you can read this, the agent works.",
)


@transaction.atomic
def agent_create(
    *,
    kind: str,
    name: str = "",
    owner=None,
    url: str = "",
    secret: str = "",
    config: dict | None = None,
    events: Iterable[str] = (),
    libraries: Iterable = (),
    users: Iterable = (),
    media_kinds: Iterable[str] = (),
    enabled: bool = True,
    allow_private_network: bool = False,
    by=None,
) -> NotificationAgent:
    """An operator's agent (owner None) or a person's channel; refused with a reason per field when broken.
    `by` is who asks (None: the system); only admins may set `allow_private_network`."""
    admin = may_allow_private_network(by)
    opt_in_check(agent=None, by=by, allowed=allow_private_network, url=url, kind=kind)
    cleaned = agent_clean(
        kind=kind,
        url=url,
        secret=secret,
        config=config,
        events=events,
        media_kinds=media_kinds,
        owner=owner,
        allow_private_network=allow_private_network,
        admin=admin,
    )
    agent = NotificationAgent.objects.create(
        name=(name or kind)[:100],
        kind=kind,
        owner=owner,
        url=url,
        secret=secret,
        enabled=enabled,
        allow_private_network=allow_private_network,
        **cleaned,
    )
    if allow_private_network:
        opt_in_record(agent=agent, by=by)
    if owner is None:
        agent.libraries.set(libraries)
        agent.users.set(users)
    return agent


@transaction.atomic
def agent_update(
    *,
    agent: NotificationAgent,
    name: str | None = None,
    kind: str | None = None,
    url: str | None = None,
    secret: str | None = None,
    config: dict | None = None,
    events: Iterable[str] | None = None,
    libraries: Iterable | None = None,
    users: Iterable | None = None,
    media_kinds: Iterable[str] | None = None,
    enabled: bool | None = None,
    allow_private_network: bool | None = None,
    by=None,
) -> NotificationAgent:
    """Change what is given; a URL or secret left out keeps the stored one (the API never shows them)."""
    kind = kind if kind is not None else agent.kind
    url = url if url is not None else agent.url
    secret = secret if secret is not None else agent.secret
    admin = may_allow_private_network(by)
    was_allowed = agent.allow_private_network
    allowed = was_allowed if allow_private_network is None else allow_private_network
    opt_in_check(agent=agent, by=by, allowed=allowed, url=url, kind=kind)
    cleaned = agent_clean(
        kind=kind,
        url=url,
        secret=secret,
        config=config if config is not None else agent.config,
        events=events if events is not None else agent.events,
        media_kinds=media_kinds if media_kinds is not None else agent.media_kinds,
        owner=agent.owner,
        allow_private_network=allowed,
        admin=admin or (url == agent.url and kind == agent.kind),  # what an admin saved stays usable
    )
    agent.kind, agent.url, agent.secret, agent.allow_private_network = kind, url, secret, allowed
    for field, value in cleaned.items():
        setattr(agent, field, value)
    if name is not None:
        agent.name = (name or kind)[:100]
    if enabled is not None:
        if enabled and not agent.enabled:
            # Turned back on by hand: the failure count starts over.
            agent.consecutive_failures, agent.disabled_reason = 0, ""
        agent.enabled = enabled
    agent.save()
    if allowed != was_allowed:
        opt_in_record(agent=agent, by=by)
    if agent.owner_id is None:
        if libraries is not None:
            agent.libraries.set(libraries)
        if users is not None:
            agent.users.set(users)
    return agent


def opt_in_check(*, agent: NotificationAgent | None, by, allowed: bool, url: str, kind: str) -> None:
    """PermissionDenied unless `by` may give (or take) the opt-in, or change the address of an opted-in agent."""
    refusal = opt_in_refusal(
        by=by,
        was_allowed=agent.allow_private_network if agent is not None else False,
        allowed=allowed,
        address_changed=agent is not None and (url != agent.url or kind != agent.kind),
    )
    if refusal:
        raise PermissionDenied(refusal)


def opt_in_record(*, agent: NotificationAgent, by) -> None:
    private_network_opt_in_record(target=agent, allowed=agent.allow_private_network, by=by)


def agent_delete(*, agent: NotificationAgent) -> None:
    """Delete the agent with its delivery log."""
    agent.delete()


def agent_test(*, agent: NotificationAgent, timeout: float = ATTEMPT_TIMEOUT) -> senders.SendResult:
    """Send a test message now, even through a disabled agent; not logged as a delivery."""
    envelope = senders.Envelope(
        key=f"test.{agent.pk}.{timezone.now().timestamp():.0f}",
        event="test",
        category="test",
        occurred_at=timezone.now().isoformat(),
    )
    return senders.send(agent, message=TEST_MESSAGE, envelope=envelope, timeout=timeout)


def preference_update(
    *,
    user,
    events: Iterable[str] | None = None,
    muted: Iterable[str] | None = None,
    in_app: bool | None = None,
    digest: str | None = None,
) -> NotificationPreference:
    """Save what the person wants to hear about; unknown events or categories are refused."""
    preference, _ = NotificationPreference.objects.get_or_create(user=user)
    errors = {}
    for field, value in (("events", events), ("muted", muted)):
        if value is None:
            continue
        try:
            setattr(preference, field, matching.patterns_clean(value, field=field))
        except ValueError as exc:
            errors[field] = [str(exc)]
    if digest is not None:
        if digest not in NotificationPreference.Digest.values:
            errors["digest"] = [f"use one of {', '.join(NotificationPreference.Digest.values)}"]
        preference.digest = digest
    if errors:
        raise ValidationError(errors)
    if in_app is not None:
        preference.in_app = in_app
    preference.save()
    return preference


def notifications_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark the person's own notices read (all unread ones without `ids`); returns how many changed."""
    unread = notifications_visible_to(user=user).filter(read_at=None)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def message_template_save(*, template: MessageTemplate, by=None) -> MessageTemplate:
    """Store the operator's wording of an event; a part that does not compile is refused by its name."""
    problems = {part: template_problem(getattr(template, part) or "") for part in PARTS}
    problems = {part: f"This template does not compile: {problem}" for part, problem in problems.items() if problem}
    if problems:
        raise ValidationError(problems)
    template.full_clean()
    template.save()
    return template


def message_template_delete(*, template: MessageTemplate, by=None) -> None:
    """Forget the operator's wording: the event's default wording applies again."""
    template.delete()
