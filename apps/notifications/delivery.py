"""The delivery pipeline: record an event with its deliveries, then attempt each delivery exactly once."""

# Exactly once per (event, agent): a unique constraint makes the delivery row once, and an attempt starts
# only by moving the row from pending/retrying to sending in one UPDATE, so a task that runs twice finds
# nothing to claim. A row left "sending" by a worker that died is claimed again after STUCK_AFTER.

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from apps.audit.services import activity_record
from apps.core import events, metrics
from apps.notifications import messages, routing, senders
from apps.notifications.kinds import ATTEMPT_TIMEOUT
from apps.notifications.models import Notification, NotificationAgent, NotificationDelivery, NotificationEvent

logger = logging.getLogger(__name__)
Status = NotificationDelivery.Status

MAX_ATTEMPTS = 5  # the first try and four retries: about 1 min, 6 min, 36 min and 3.6 h later
RETRY_FACTOR = 6
RETRY_CAP = 240  # times the base: 4 h with the default minute
DISABLE_AFTER = 10  # deliveries that failed every attempt, in a row
STUCK_AFTER = timedelta(minutes=2)  # well past an attempt's time limit
LATE_AFTER = timedelta(minutes=5)  # a due delivery nobody picked up: its task message was lost
SWEEP_BATCH = 1000
EARLY_TOLERANCE = timedelta(milliseconds=50)  # timers of the broker and the database clock

deliveries_total = metrics.counter(
    "notification_deliveries_total", "Notification delivery attempts, by kind and outcome.", ["kind", "outcome"]
)


@dataclass(frozen=True)
class Outcome:
    """What an attempt did, and in how many seconds the delivery wants another one (None: never)."""

    status: str
    retry_in: float | None = None


def retry_delay(attempts: int) -> float:
    """Seconds before the next try after `attempts` failed ones: base x 6^(n-1), at most 240 x base."""
    base = settings.NOTIFY_RETRY_SECONDS
    return min(base * RETRY_FACTOR ** max(attempts - 1, 0), base * RETRY_CAP)


def event_publish(*, event: events.Event) -> list[int]:
    """Record the event with its deliveries and in-app notices in one transaction; returns the deliveries to queue.
    Nothing is written when nobody wants the event, or when it was recorded before."""
    if not routing.listened_to(event.name, event.category):
        return []
    row = NotificationEvent(
        event_id=event.id, name=event.name, category=event.category, payload=event.payload,
        occurred_at=event.occurred_at,
    )  # fmt: skip
    recipients = routing.recipients_of(row)
    agents = routing.operator_agents_for(row) + [c for r in recipients for c in r.channels]
    in_app = [r.user for r in recipients if r.in_app]
    if not agents and not in_app:
        return []
    message = messages.message_render(event.name, event.payload)
    row.message, now = message.as_dict(), timezone.now()
    try:
        with transaction.atomic():
            row.save(force_insert=True)
            deliveries = NotificationDelivery.objects.bulk_create(
                [NotificationDelivery(event=row, agent=agent, next_attempt_at=now) for agent in agents]
            )
            Notification.objects.bulk_create([_notice(row, user, message) for user in in_app])
    except IntegrityError:
        return []  # published before: its deliveries are under way
    return [d.pk for d in deliveries]


def _notice(event: NotificationEvent, user, message: messages.Message) -> Notification:
    return Notification(
        user=user, event=event, name=event.name, title=message.title[:300], body=message.body, link=message.link,
        poster=message.poster,
    )  # fmt: skip


def _claim(delivery_id: int, now: datetime) -> bool:
    due = Q(status__in=NotificationDelivery.OPEN, next_attempt_at__lte=now + EARLY_TOLERANCE)
    abandoned = Q(status=Status.SENDING, claimed_at__lt=now - STUCK_AFTER)
    claimed = NotificationDelivery.objects.filter(due | abandoned, pk=delivery_id).update(
        status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1, updated_at=now
    )
    return claimed == 1


def _finish(delivery: NotificationDelivery, *, last_error: str = "", **changes) -> None:
    # Only the claim this attempt made is closed: a row claimed again meanwhile belongs to that attempt.
    NotificationDelivery.objects.filter(pk=delivery.pk, status=Status.SENDING, claimed_at=delivery.claimed_at).update(
        updated_at=timezone.now(), last_error=last_error, **changes
    )


def delivery_attempt(*, delivery_id: int, timeout: float = ATTEMPT_TIMEOUT) -> Outcome:
    """Claim the delivery and try it once; success, a scheduled retry, or failure for good."""
    now = timezone.now()
    if not _claim(delivery_id, now):
        row = NotificationDelivery.objects.filter(pk=delivery_id).values("status", "next_attempt_at").first()
        if row and row["status"] in NotificationDelivery.OPEN:  # early: come back when it is due
            return Outcome(row["status"], retry_in=max((row["next_attempt_at"] - now).total_seconds(), 0.0))
        return Outcome(row["status"] if row else "missing")
    delivery = NotificationDelivery.objects.select_related("event").get(pk=delivery_id)
    agent, event = routing.enabled_agent(delivery.agent_id), delivery.event
    if agent is None:  # turned off (or its owner's account) since the event; the snapshot renews on each change
        _finish(delivery, status=Status.CANCELLED, last_error="the agent is disabled")
        return Outcome(Status.CANCELLED)
    message = (
        messages.Message.from_dict(event.message)
        if event.message
        else messages.message_render(event.name, event.payload)
    )
    envelope = senders.Envelope(
        key=delivery.idempotency_key,
        event=event.name,
        category=event.category,
        occurred_at=event.occurred_at.isoformat(),
        payload=event.payload,
    )
    result = senders.send(agent, message=message, envelope=envelope, timeout=timeout)
    finished = timezone.now()
    if result.ok:
        with transaction.atomic():  # one commit for the row and its agent
            _finish(delivery, status=Status.DELIVERED, delivered_at=finished, response_code=result.status_code)
            agent_succeeded(agent=agent, at=finished)
        deliveries_total.labels(kind=agent.kind, outcome="delivered").inc()
        return Outcome(Status.DELIVERED)
    common = {"response_code": result.status_code, "last_error": result.error}
    gave_up = delivery.attempts >= MAX_ATTEMPTS
    delay = None if gave_up else retry_delay(delivery.attempts)
    with transaction.atomic():
        if gave_up:
            _finish(delivery, status=Status.FAILED, **common)
        else:
            _finish(delivery, status=Status.RETRYING, next_attempt_at=finished + timedelta(seconds=delay), **common)
        turned_off = agent_failed(agent=agent, error=result.error, at=finished, gave_up=gave_up)
    if turned_off:
        agent_disabled_announce(agent=NotificationAgent.objects.get(pk=agent.pk), error=result.error)
    deliveries_total.labels(kind=agent.kind, outcome="failed" if gave_up else "retry").inc()
    return Outcome(Status.FAILED if gave_up else Status.RETRYING, retry_in=delay)


def agent_succeeded(*, agent: NotificationAgent, at: datetime) -> None:
    """Reset the failure count; skipped while it is zero and a success was recorded in the last seconds."""
    recent = at - timedelta(seconds=5)
    NotificationAgent.objects.filter(pk=agent.pk).exclude(consecutive_failures=0, last_success_at__gte=recent).update(
        consecutive_failures=0, last_success_at=at
    )


def agent_failed(*, agent: NotificationAgent, error: str, at: datetime, gave_up: bool) -> bool:
    """Record the failure; a delivery given up counts towards turning the agent off. True when this turned it off."""
    changes = {"last_failure_at": at, "last_error": error}
    if gave_up:
        changes["consecutive_failures"] = F("consecutive_failures") + 1
    NotificationAgent.objects.filter(pk=agent.pk).update(**changes)
    if not gave_up:
        return False
    reason = f"turned off after {DISABLE_AFTER} failed deliveries in a row; last error: {error}"[:300]
    # One UPDATE decides which of several failing workers turns it off, so the notice goes out once.
    return bool(
        NotificationAgent.objects.filter(pk=agent.pk, enabled=True, consecutive_failures__gte=DISABLE_AFTER).update(
            enabled=False, disabled_reason=reason
        )
    )


def agent_disabled_announce(*, agent: NotificationAgent, error: str) -> None:
    """The admin notice: an activity entry, and an event managers hear of."""
    routing.routing_changed()
    logger.warning("notification agent %s (%s) turned off: %s", agent.pk, agent.name, agent.disabled_reason)
    activity_record(event="agent_disabled", success=False, target=agent, message=agent.disabled_reason)
    events.emit(
        "notifications.agent_disabled",
        agent_id=agent.pk,
        name=agent.name,
        kind=agent.kind,
        failures=agent.consecutive_failures,
        last_error=error[:300],
    )


def deliveries_sweep(*, now: datetime | None = None) -> list[int]:
    """The safety net: deliveries left "sending" by a dead worker, or due long ago (a lost task), to queue again."""
    now = now or timezone.now()
    stuck = list(
        NotificationDelivery.objects.filter(status=Status.SENDING, claimed_at__lt=now - STUCK_AFTER).values_list(
            "pk", flat=True
        )[:SWEEP_BATCH]
    )
    if stuck:
        NotificationDelivery.objects.filter(pk__in=stuck, status=Status.SENDING).update(
            status=Status.RETRYING, next_attempt_at=now, last_error="the worker stopped during the attempt"
        )
    late = NotificationDelivery.objects.filter(
        status__in=NotificationDelivery.OPEN, next_attempt_at__lt=now - LATE_AFTER
    ).values_list("pk", flat=True)[:SWEEP_BATCH]
    return sorted({*stuck, *late})


def delivery_retry(*, delivery: NotificationDelivery) -> bool:
    """An operator's "try again" on a failed or cancelled delivery: a fresh set of attempts."""
    return bool(
        NotificationDelivery.objects.filter(pk=delivery.pk, status__in=(Status.FAILED, Status.CANCELLED)).update(
            status=Status.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
        )
    )
