"""Delivery metrics: what waits in the outbox, how long the oldest has waited, what gave up, attempts sent."""

from __future__ import annotations

from apps.core.testing.receivers import SECRET
from apps.core.testing.scrape import scrape, value
from apps.core.testing.servers import wait_until
from apps.notifications import tasks
from apps.notifications.delivery import MAX_ATTEMPTS
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


def test_deliveries_that_give_up_show_as_retries_then_failed(client, worker, plain_receiver, settings):
    settings.NOTIFY_RETRY_SECONDS = 0.01
    plain_receiver.mode = "fail"
    agent = make_agent(url=plain_receiver.url, secret=SECRET, events=[EVENT])
    before = scrape(client)
    dispatched(EVENT, request_id=2, title="Film", media_kind="movie", requester_id=None)
    (pending,) = NotificationDelivery.objects.filter(status="pending")
    tasks.delivery_attempt.delay(pending.pk)
    assert wait_until(lambda: NotificationDelivery.objects.get(pk=pending.pk).status == "failed", timeout=60)
    after = scrape(client)

    assert value(after, "revenge_notification_deliveries_failed_recent") == 1 + value(
        before, "revenge_notification_deliveries_failed_recent"
    )
    sent = "revenge_notification_deliveries_total"
    retries = MAX_ATTEMPTS - 1
    assert value(after, sent, kind=agent.kind, outcome="retry") == retries + value(
        before, sent, kind=agent.kind, outcome="retry"
    )
    assert value(after, sent, kind=agent.kind, outcome="failed") == 1 + value(
        before, sent, kind=agent.kind, outcome="failed"
    )
    assert value(after, "revenge_notification_deliveries_waiting", status="retrying") == 0
