"""Fixtures of the request tests: Radarr/Sonarr stand-ins on 127.0.0.1, their servers, people, a real worker."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings as django_settings
from rest_framework.test import APIClient

from apps.accounts import services as accounts
from apps.accounts.models import Role
from apps.requests.models import ArrServer
from apps.requests.tests.fake_arr import API_KEY, FakeArr
from revenge.celery import app

QUEUES = ["celery", "notifications"]


@pytest.fixture
def radarr():
    fake = FakeArr("radarr")
    yield fake
    fake.close()


@pytest.fixture
def sonarr():
    fake = FakeArr("sonarr")
    yield fake
    fake.close()


@pytest.fixture
def servers(radarr, sonarr, db):
    """A default Radarr (movies under /movies on its side) and a default Sonarr."""
    movie_server = ArrServer.objects.create(
        kind="radarr",
        name="Radarr",
        base_url=radarr.url,
        api_key=API_KEY,
        quality_profile_id=4,
        root_folder="/movies",
        is_default=True,
        tags=[2],
    )
    show_server = ArrServer.objects.create(
        kind="sonarr",
        name="Sonarr",
        base_url=sonarr.url,
        api_key=API_KEY,
        quality_profile_id=1,
        root_folder="/tv",
        is_default=True,
    )
    return SimpleNamespace(radarr=movie_server, sonarr=show_server)


@pytest.fixture
def people(db):
    """An admin, a moderator, two members (quota: 10 movies and 5 shows a week), a guest."""
    roles = {role.name: role for role in Role.objects.select_related("group")}
    make = accounts.user_create
    return SimpleNamespace(
        admin=make(username="boss", password="x" * 12, by=None, role=roles[Role.ADMIN]),
        moderator=make(username="mod", password="x" * 12, by=None, role=roles[Role.MODERATOR]),
        member=make(username="member", password="x" * 12, by=None),
        other=make(username="other", password="x" * 12, by=None),
        guest=make(username="guest", password="x" * 12, by=None, role=roles[Role.GUEST]),
    )


@pytest.fixture
def api():
    """api(user) → an API client signed in as `user`."""

    def client_for(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return client_for


def _purge() -> None:
    with app.connection_for_write() as connection:
        channel = connection.default_channel
        for queue in QUEUES:
            channel.queue_declare(queue=queue, durable=True, auto_delete=False)
            channel.queue_purge(queue)


@pytest.fixture
def worker(transactional_db, settings):
    """A real Celery worker on the real Redis, consuming the default and notification queues."""
    assert django_settings.CELERY_BROKER_URL.startswith("redis://"), "the tests run against the real Redis"
    settings.REQUEST_RETRY_SECONDS = 0.05
    settings.NOTIFY_RETRY_SECONDS = 0.05
    _purge()
    with start_worker(
        app, pool="threads", concurrency=2, perform_ping_check=False, shutdown_timeout=30, queues=QUEUES
    ) as running:
        yield running
    _purge()
