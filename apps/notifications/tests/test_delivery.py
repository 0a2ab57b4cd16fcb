"""Reliable delivery through a real worker and the real Redis: exactly once, retried, turned off when hopeless."""

import time
from collections import Counter
from datetime import timedelta

from django.utils import timezone

from apps.audit.models import Activity
from apps.core import events
from apps.core.testing.receivers import SECRET
from apps.core.testing.servers import wait_until
from apps.notifications import delivery, tasks
from apps.notifications.models import NotificationAgent, NotificationDelivery
from apps.notifications.tests.helpers import dispatched, make_agent

Status = NotificationDelivery.Status
EVENT = "request.available"


def emit(count: int, start: int = 0) -> None:
    for i in range(start, start + count):
        events.emit(EVENT, request_id=i, title=f"Film {i}", media_kind="movie", requester_id=None, subscriber_ids=[])


def statuses(agent) -> Counter:
    return Counter(NotificationDelivery.objects.filter(agent=agent).values_list("status", flat=True))


def test_a_thousand_events_are_each_delivered_exactly_once(worker, webhook):
    agent = make_agent(url=webhook.url, secret=SECRET, events=[EVENT])
    emit(1000)
    assert wait_until(lambda: len(webhook.received) >= 1000, timeout=240), len(webhook.received)
    time.sleep(1)  # anything sent twice would arrive now
    seen = Counter(webhook.deliveries())
    assert len(seen) == 1000 and set(seen.values()) == {1}
    assert all(webhook.verified(request) for request in webhook.received)
    assert sorted(r.json()["payload"]["request_id"] for r in webhook.received) == list(range(1000))
    assert statuses(agent) == {Status.DELIVERED: 1000}
    assert set(NotificationDelivery.objects.values_list("attempts", flat=True)) == {1}


def test_a_delivery_queued_three_times_is_sent_once(worker, webhook):
    agent = make_agent(url=webhook.url, secret=SECRET, events=[EVENT])
    for i in range(30):
        dispatched(EVENT, request_id=i, title="Film", media_kind="movie", requester_id=None)
    pending = list(NotificationDelivery.objects.filter(agent=agent).values_list("pk", flat=True))
    for pk in pending * 3:
        tasks.delivery_attempt.delay(pk)
    assert wait_until(lambda: statuses(agent) == {Status.DELIVERED: 30}, timeout=60), statuses(agent)
    time.sleep(1)
    assert len(webhook.received) == 30 and len(set(webhook.deliveries())) == 30


def test_while_the_receiver_is_down_deliveries_wait_and_arrive_when_it_is_back(worker, webhook):
    agent = make_agent(url=webhook.url, secret=SECRET, events=[EVENT])
    webhook.stop()
    emit(50)
    assert wait_until(
        lambda: NotificationDelivery.objects.filter(agent=agent, attempts__gte=2).count() == 50, timeout=60
    ), statuses(agent)
    assert set(statuses(agent)) <= {Status.RETRYING, Status.SENDING}
    assert "could not connect" in NotificationDelivery.objects.filter(agent=agent).first().last_error
    webhook.start()
    assert wait_until(lambda: statuses(agent) == {Status.DELIVERED: 50}, timeout=60), statuses(agent)
    assert len(webhook.received) == 50 and len(set(webhook.deliveries())) == 50
    # Every one failed while the receiver was down and arrived on a later attempt. (An attempt that was
    # claimed just before the restart may connect just after it: delivered on the second attempt.)
    assert NotificationDelivery.objects.filter(agent=agent, attempts__gte=2).count() == 50
    agent.refresh_from_db()
    assert agent.enabled and agent.consecutive_failures == 0 and agent.last_success_at


def test_a_receiver_that_always_fails_turns_the_agent_off_after_ten(worker, plain_receiver, settings, people):
    settings.NOTIFY_RETRY_SECONDS = 0.01
    plain_receiver.mode = "fail"
    agent = make_agent(url=plain_receiver.url, secret=SECRET, events=[EVENT])
    emit(12)
    assert wait_until(lambda: not NotificationAgent.objects.get(pk=agent.pk).enabled, timeout=60), statuses(agent)
    assert wait_until(lambda: not set(statuses(agent)) & {Status.PENDING, Status.RETRYING, Status.SENDING}, timeout=30)
    agent.refresh_from_db()
    assert agent.consecutive_failures >= 10 and "10 failed deliveries in a row" in agent.disabled_reason
    assert agent.last_error == "HTTP 500"  # the status, never what the receiver said
    found = statuses(agent)
    assert found[Status.FAILED] >= 10 and set(found) <= {Status.FAILED, Status.CANCELLED}
    failed = NotificationDelivery.objects.filter(agent=agent, status=Status.FAILED).first()
    assert failed.attempts == delivery.MAX_ATTEMPTS and failed.response_code == 500
    # The admin notice: one activity entry, and an event that reaches the managers in the app.
    [entry] = Activity.objects.filter(event="agent_disabled")
    assert entry.object_pk == str(agent.pk) and not entry.success
    assert wait_until(lambda: people.admin.notifications.filter(name="notifications.agent_disabled").exists())
    # Nothing more is sent through it.
    emit(1, start=100)
    time.sleep(0.5)
    assert not NotificationDelivery.objects.filter(agent=agent, event__payload__request_id=100).exists()


def test_the_sweep_picks_up_a_delivery_left_sending_by_a_dead_worker(worker, webhook):
    agent = make_agent(url=webhook.url, secret=SECRET, events=[EVENT])
    event = dispatched(EVENT, request_id=1, title="Film", media_kind="movie", requester_id=None)
    row = NotificationDelivery.objects.get(event=event, agent=agent)
    # Another worker is sending it right now: a second copy of the task leaves it alone.
    NotificationDelivery.objects.filter(pk=row.pk).update(status=Status.SENDING, claimed_at=timezone.now(), attempts=1)
    tasks.delivery_attempt.delay(row.pk)
    time.sleep(0.5)
    assert webhook.received == []
    # That worker died: past STUCK_AFTER the sweep hands the row out again.
    long_ago = timezone.now() - delivery.STUCK_AFTER - timedelta(seconds=5)
    NotificationDelivery.objects.filter(pk=row.pk).update(claimed_at=long_ago)
    assert tasks.deliveries_sweep.delay().get(timeout=20) == 1
    assert wait_until(lambda: NotificationDelivery.objects.get(pk=row.pk).status == Status.DELIVERED, timeout=20)
    assert len(webhook.received) == 1 and NotificationDelivery.objects.get(pk=row.pk).attempts == 2


def test_the_sweep_queues_a_delivery_whose_task_was_lost(worker, webhook):
    agent = make_agent(url=webhook.url, secret=SECRET, events=[EVENT])
    event = dispatched(EVENT, request_id=9, title="Film", media_kind="movie", requester_id=None)
    late = timezone.now() - delivery.LATE_AFTER - timedelta(seconds=5)
    NotificationDelivery.objects.filter(event=event, agent=agent).update(next_attempt_at=late)
    assert tasks.deliveries_sweep.delay().get(timeout=20) == 1
    assert wait_until(lambda: len(webhook.received) == 1, timeout=20)
    assert webhook.received[0].headers["X-Revenge-Delivery"] == f"{event.event_id}.{agent.pk}"


def test_events_are_delivered_only_after_commit(worker, webhook):
    from django.db import transaction

    make_agent(url=webhook.url, secret=SECRET, events=[EVENT])
    try:
        with transaction.atomic():
            emit(1)
            raise RuntimeError("the scan failed after all")
    except RuntimeError:
        pass
    emit(1, start=5)
    assert wait_until(lambda: len(webhook.received) == 1, timeout=20)
    time.sleep(0.5)
    assert [r.json()["payload"]["request_id"] for r in webhook.received] == [5]
