"""Celery tasks of notifications, all on the `notifications` queue (CELERY_TASK_ROUTES): thin wrappers."""

from __future__ import annotations

from celery import shared_task

from apps.notifications import delivery, digests


# Deliveries keep their own log (NotificationDelivery): no TaskRun row for each of them (record_runs).
@shared_task(
    name="notifications.deliver",
    acks_late=True,
    ignore_result=True,
    record_runs=False,
    soft_time_limit=45,
    time_limit=60,
)
def delivery_attempt(delivery_pk: int) -> str:
    """One attempt of one delivery; a failure queues the next attempt with its backoff."""
    outcome = delivery.delivery_attempt(delivery_id=delivery_pk)
    if outcome.retry_in is not None:
        delivery_attempt.apply_async((delivery_pk,), countdown=outcome.retry_in)
    return outcome.status


@shared_task(name="notifications.sweep")
def deliveries_sweep() -> int:
    """Every minute: queue again deliveries left stuck by a dead worker or late after a lost task."""
    again = delivery.deliveries_sweep()
    for delivery_pk in again:
        delivery_attempt.delay(delivery_pk)
    return len(again)


@shared_task(name="notifications.digests")
def digests_send_due() -> int:
    """Every hour: the daily and weekly digests that are due (each at most once per person and period)."""
    pending = digests.digests_send_due()
    for delivery_pk in pending:
        delivery_attempt.delay(delivery_pk)
    return len(pending)
