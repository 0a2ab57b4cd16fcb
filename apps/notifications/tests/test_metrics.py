"""Delivery metrics: what waits in the outbox, how long the oldest has waited, what gave up, attempts sent."""

from __future__ import annotations

from apps.core.testing.receivers import SECRET
from apps.core.testing.scrape import scrape, value
from apps.core.testing.servers import wait_until
from apps.notifications import tasks
from apps.notifications.models import NotificationDelivery
from apps.notifications.tests.helpers import dispatched, make_agent

EVENT = "request.available"


def test_deliveries_waiting_then_sent_show_on_metrics(client, worker, webhook):
    agent = make_agent(url=webhook.url, secret=SECRET, events=[EVENT])
    before = scrape(client)
    dispatched(EVENT, request_id=1, title="Film", media_kind="movie", requester_id=None)  # recorded, not queued

    waiting = scrape(client)
    assert value(waiting, "revenge_notification_deliveries_waiting", status="pending") == 1
    assert value(waiting, "revenge_notification_oldest_waiting_seconds") >= 0

    for pending in NotificationDelivery.objects.filter(status="pending"):
        tasks.delivery_attempt.delay(pending.pk)  # as the subscriber queues it
    assert wait_until(lambda: NotificationDelivery.objects.filter(status="delivered").count() == 1, timeout=30)
    after = scrape(client)
    assert value(after, "revenge_notification_deliveries_waiting", status="pending") == 0
    sent = "revenge_notification_deliveries_total"
    assert value(after, sent, kind=agent.kind, outcome="delivered") == 1 + value(
        before, sent, kind=agent.kind, outcome="delivered"
    )
