"""Real Celery workers for tests: on the real Redis, on the named queues, which start and end empty."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from celery.contrib.testing.worker import start_worker
from django.conf import settings

from revenge.celery import app


def queues_purge(*queues: str) -> None:
    """Drop whatever earlier tests (or runs) left waiting on these queues."""
    with app.connection_for_write() as connection:
        channel = connection.default_channel
        for queue in queues:
            channel.queue_declare(queue=queue, durable=True, auto_delete=False)
            channel.queue_purge(queue)


@contextmanager
def running_worker(*queues: str, concurrency: int = 2) -> Iterator[object]:
    """A thread-pool worker consuming `queues` for the duration of the block."""
    assert settings.CELERY_BROKER_URL.startswith("redis://"), "the tests run against the real Redis"
    queues_purge(*queues)
    # A worker given queues selects them on the app itself (kombu's Queues._consume_from): left in place, every
    # worker started later in this process, with no queues named, would consume only these.
    selected = app.amqp.queues._consume_from
    try:
        with start_worker(
            app,
            pool="threads",
            concurrency=concurrency,
            perform_ping_check=False,
            shutdown_timeout=30,
            queues=list(queues),
        ) as worker:
            remote_control_ready(worker)
            yield worker
    finally:
        app.amqp.queues._consume_from = selected
    queues_purge(*queues)


def remote_control_ready(worker, *, seconds: float = 30.0) -> None:
    """Wait until the worker answers a ping: "ready" comes before its remote-control mailbox is subscribed on Redis,
    and a broadcast sent in between (inspect, worker_memory, revoke) is lost for good."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if app.control.ping(destination=[worker.hostname], timeout=0.5):
            return
    raise AssertionError(f"{worker.hostname} never answered a ping")


@contextmanager
def default_worker() -> Iterator[object]:
    """A solo worker on the default queues, after dropping everything waiting anywhere."""
    assert settings.CELERY_BROKER_URL.startswith("redis://"), "the tests run against the real Redis"
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker
