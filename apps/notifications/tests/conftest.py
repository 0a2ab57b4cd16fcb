"""Fixtures of the notification tests: real receivers, a real SMTP server, a real worker, a small catalogue."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from apps.accounts.models import Role
from apps.core.testing.catalogue import movie_make
from apps.core.testing.people import kids_role_make, user_make
from apps.core.testing.receivers import (
    SECRET,
    DiscordServer,
    GotifyServer,
    NtfyServer,
    Receiver,
    SmtpServer,
    WebhookReceiver,
)
from apps.core.testing.workers import running_worker
from apps.libraries import services as libraries
from apps.media.models import Episode, Season, Show

QUEUES = ["celery", "notifications"]


@pytest.fixture
def webhook():
    receiver = WebhookReceiver(SECRET)
    yield receiver
    receiver.close()


@pytest.fixture
def plain_receiver():
    receiver = Receiver()
    yield receiver
    receiver.close()


@pytest.fixture
def gotify():
    server = GotifyServer("AppTokenForRevenge")
    yield server
    server.close()


@pytest.fixture
def ntfy():
    server = NtfyServer()
    yield server
    server.close()


@pytest.fixture
def discord():
    server = DiscordServer()
    yield server
    server.close()


@pytest.fixture
def smtp(settings):
    server = SmtpServer()
    settings.SMTP_URL = server.url
    yield server
    server.close()


@pytest.fixture
def worker(transactional_db, settings):
    """A real worker on the real Redis, consuming both queues; retries a fraction of a second apart."""
    settings.NOTIFY_RETRY_SECONDS = 0.05
    with running_worker(*QUEUES, concurrency=4) as running:
        yield running


@pytest.fixture
def people(db):
    """An admin, a moderator, a member, a guest and a kids account (age limit 10)."""
    return SimpleNamespace(
        admin=user_make("boss", role=Role.ADMIN, email="boss@example.org"),
        moderator=user_make("mod", role=Role.MODERATOR),
        member=user_make("member", email="member@example.org"),
        guest=user_make("guest", role=Role.GUEST),
        kids=user_make("kid", role=kids_role_make(), email="kid@example.org"),
    )


@pytest.fixture
def catalogue(people, tmp_path):
    """A library granted to every role, one granted to nobody; a family movie, an adult one, a hidden one."""
    (tmp_path / "open").mkdir()
    (tmp_path / "closed").mkdir()
    open_library = libraries.library_create(name="Open", kind="movies", paths=[str(tmp_path / "open")])
    closed = libraries.library_create(name="Closed", kind="movies", paths=[str(tmp_path / "closed")])
    shows = libraries.library_create(name="Shows", kind="shows", paths=[str(tmp_path / "open")])
    everyone = {"user": ["view_library"], "guest": ["view_library"], "kids": ["view_library"]}
    libraries.library_grants_set(library=open_library, roles=everyone, users={}, by=people.admin)
    libraries.library_grants_set(library=shows, roles=everyone, users={}, by=people.admin)
    libraries.library_grants_set(library=closed, roles={}, users={}, by=people.admin)

    show = Show.objects.create(library=shows, match_key="grim", title="Grim Show", age_rating=16)
    season = Season.objects.create(show=show, season_number=1)
    return SimpleNamespace(
        open=open_library,
        closed=closed,
        shows=shows,
        family=movie_make(library=open_library, title="Family Film", age_rating=6),
        adult=movie_make(library=open_library, title="Adult Film", age_rating=18),
        hidden=movie_make(library=closed, title="Hidden Film", age_rating=0),
        grim_episode=Episode.objects.create(show=show, season=season, match_key="s01e01", episode_number=1),
    )
