"""Every domain event someone wants is recorded with its deliveries in the process that emitted it (after its
commit), and each delivery goes to the `notifications` queue as a task of its own."""

from __future__ import annotations

import logging

from django.db import DatabaseError

from apps.core import events
from apps.notifications import delivery

logger = logging.getLogger(__name__)


@events.subscribe("*")
def event_to_deliveries(event: events.Event) -> None:
    from apps.notifications import tasks

    try:
        pending = delivery.event_publish(event=event)
    except DatabaseError as exc:
        # The database is down or not migrated yet (a process starting): one line, not a traceback per event.
        logger.warning("could not record event %s (%s): %s", event.name, event.id, exc)
        return
    try:
        for delivery_pk in pending:
            tasks.delivery_attempt.delay(delivery_pk)
    except Exception:
        # The rows are saved: the sweep queues what could not be queued now.
        logger.warning("could not queue deliveries of event %s; the sweep will", event.id, exc_info=True)
