"""Fixtures of the request tests: Radarr/Sonarr stand-ins (the kit's) and their servers, people, a real worker."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from apps.accounts.models import Role
from apps.core.testing.arr import API_KEY
from apps.core.testing.people import user_make
from apps.core.testing.workers import running_worker
from apps.requests.models import ArrServer

QUEUES = ["celery", "notifications"]


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
    return SimpleNamespace(
        admin=user_make("boss", role=Role.ADMIN),
        moderator=user_make("mod", role=Role.MODERATOR),
        member=user_make("member"),
        other=user_make("other"),
        guest=user_make("guest", role=Role.GUEST),
    )


@pytest.fixture
def worker(transactional_db, settings):
    """A real Celery worker on the real Redis, consuming the default and notification queues."""
    settings.REQUEST_RETRY_SECONDS = 0.05
    settings.NOTIFY_RETRY_SECONDS = 0.05
    with running_worker(*QUEUES) as running:
        yield running
