"""Writes of the activity log: auth and security entries, and pruning by age."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from apps.audit import context
from apps.audit.models import Activity
from apps.core.client_ip import ip_or_none
from apps.core.user_agent import user_agent_clean

PRUNE_BATCH = 5000


def _printable(text: str) -> str:
    """Without NUL and other control characters, which PostgreSQL text columns refuse."""
    return "".join(ch for ch in str(text) if ch.isprintable() or ch == " ")


def activity_record(
    *,
    event: str,
    success: bool = True,
    actor=None,
    actor_name: str = "",
    ip: str | None = None,
    user_agent: str = "",
    target: models.Model | None = None,
    target_type: type[models.Model] | None = None,
    target_pk: object = None,
    object_repr: str = "",
    message: str = "",
    data: dict | None = None,
) -> Activity:
    """One auth or security entry; actor and address default to the request's, when there is one."""
    request = context.current()
    if actor is None:
        actor = context.current_actor()
    elif not isinstance(actor, get_user_model()):
        actor = get_user_model().objects.filter(pk=actor).first()  # an id from an event payload
    if target is not None:
        target_type, target_pk = type(target), target.pk
        object_repr = object_repr or str(target)
    content_type = ContentType.objects.get_for_model(target_type) if target_type is not None else None
    return Activity.objects.create(
        event=event,
        action=Activity.Action.ACCESS,
        success=success,
        actor=actor,
        actor_name=(actor_name or (actor.get_username() if actor else ""))[:150],
        remote_addr=ip_or_none(ip or request.get("remote_addr")),
        user_agent=user_agent_clean(user_agent or request.get("user_agent") or ""),
        content_type=content_type,
        object_pk="" if target_pk is None else str(target_pk),
        object_id=target_pk if isinstance(target_pk, int) else None,
        object_repr=_printable(object_repr)[:500],
        message=_printable(message)[:500],
        additional_data=data or None,
    )


def activity_prune(*, now: datetime | None = None, days: int | None = None) -> int:
    """Delete entries older than REVENGE_AUDIT_RETENTION_DAYS, in batches so the table is never locked long."""
    cutoff = (now or timezone.now()) - timedelta(days=days or settings.AUDIT_RETENTION_DAYS)
    deleted = 0
    while True:
        batch = list(Activity.objects.filter(timestamp__lt=cutoff).values_list("pk", flat=True)[:PRUNE_BATCH])
        if not batch:
            return deleted
        deleted += Activity.objects.filter(pk__in=batch).delete()[0]


def private_network_opt_in_record(*, target: models.Model, allowed: bool, by) -> None:
    """Letting an agent or server reach the server's own network is a security decision: logged with who made it."""
    activity_record(
        event="private_network_allowed" if allowed else "private_network_disallowed",
        actor=by,
        target=target,
        message=f"{target} {'may' if allowed else 'may no longer'} reach the server's own network",
    )
