"""Fixtures of the request tests: Radarr/Sonarr stand-ins on 127.0.0.1, their servers, people, a real worker."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from rest_framework.test import APIClient

from apps.accounts.models import Role
from apps.accounts.services import users
from apps.core.tests.workers import running_worker
from apps.requests.models import ArrServer
from apps.requests.tests.fake_arr import API_KEY, FakeArr

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
    """A default Radarr (movies under /movies on its side) and a default Sonarr, on 127.0.0.1: opted in by an admin."""
    movie_server = ArrServer.objects.create(
        kind="radarr",
        name="Radarr",
        base_url=radarr.url,
        api_key=API_KEY,
        quality_profile_id=4,
        root_folder="/movies",
        is_default=True,
        tags=[2],
        allow_private_network=True,
    )
    show_server = ArrServer.objects.create(
        kind="sonarr",
        name="Sonarr",
        base_url=sonarr.url,
        api_key=API_KEY,
        quality_profile_id=1,
        root_folder="/tv",
        is_default=True,
        allow_private_network=True,
    )
    return SimpleNamespace(radarr=movie_server, sonarr=show_server)


@pytest.fixture
def people(db):
    """An admin, a moderator, two members (quota: 10 movies and 5 shows a week), a guest."""
    roles = {role.name: role for role in Role.objects.select_related("group")}
    make = users.user_create
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


@pytest.fixture
def worker(transactional_db, settings):
    """A real Celery worker on the real Redis, consuming the default and notification queues."""
    settings.REQUEST_RETRY_SECONDS = 0.05
    settings.NOTIFY_RETRY_SECONDS = 0.05
    with running_worker(*QUEUES) as running:
        yield running
