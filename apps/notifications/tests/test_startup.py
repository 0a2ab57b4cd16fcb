"""system.startup: once per start of the web process (gunicorn, any number of workers) and of a worker."""

import time

import pytest
from celery import signals
from django.db import connection

from apps.accounts.models import Role
from apps.accounts.services import users
from apps.core.testing.servers import Server
from apps.notifications.models import Notification


def test_a_worker_that_is_ready_says_so(transactional_db, received):
    signals.worker_ready.send(sender=None)
    assert [(e.name, e.payload) for e in received] == [("system.startup", {"process": "worker"})]


@pytest.mark.django_db(transaction=True)
def test_the_web_process_says_it_started_once_whatever_its_workers(tmp_path, settings):
    admin = users.user_create(
        username="boss", password="x" * 12, by=None, role=Role.objects.get(group__name=Role.ADMIN)
    )
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    web = Server(
        tmp_path,
        DATABASE_URL=url,
        REDIS_URL=settings.REDIS_URL,
        REVENGE_SECRET_KEY="k" * 40,
        REVENGE_WEB_WORKERS="2",
    )
    try:
        web.wait_until_up()
        deadline = time.monotonic() + 20
        while not Notification.objects.filter(user=admin, name="system.startup").exists():
            assert time.monotonic() < deadline, web.log.read_text()
            time.sleep(0.1)
        time.sleep(1)  # the second worker would have spoken by now
        [notice] = Notification.objects.filter(user=admin, name="system.startup")
        assert notice.event.payload == {"process": "web"} and notice.title == "Revenge web started"
    finally:
        web.stop()
