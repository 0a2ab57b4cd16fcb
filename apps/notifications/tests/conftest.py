"""Fixtures of the notification tests: real receivers, a real SMTP server, a real worker, a small catalogue."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from apps.accounts.models import Role
from apps.accounts.services import roles, users
from apps.core.tests.workers import running_worker
from apps.libraries import services as libraries
from apps.media.models import Episode, Movie, Season, Show
from apps.notifications.tests.receivers import (
    DiscordServer,
    GotifyServer,
    NtfyServer,
    Receiver,
    SmtpServer,
    WebhookReceiver,
)

SECRET = "a-webhook-secret-of-some-length"
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
    by_name = {role.name: role for role in Role.objects.select_related("group")}
    kids_role = roles.role_create(name="kids", rank=15, by=None, max_parental_age=10)
    make = users.user_create
    return SimpleNamespace(
        admin=make(username="boss", password="x" * 12, by=None, role=by_name[Role.ADMIN], email="boss@example.org"),
        moderator=make(username="mod", password="x" * 12, by=None, role=by_name[Role.MODERATOR]),
        member=make(username="member", password="x" * 12, by=None, email="member@example.org"),
        guest=make(username="guest", password="x" * 12, by=None, role=by_name[Role.GUEST]),
        kids=make(username="kid", password="x" * 12, by=None, role=kids_role, email="kid@example.org"),
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

    def movie(library, title, age):
        return Movie.objects.create(
            library=library, match_key=title.lower(), title=title, year=2001, age_rating=age, has_main_file=True
        )

    show = Show.objects.create(library=shows, match_key="grim", title="Grim Show", age_rating=16)
    season = Season.objects.create(show=show, season_number=1)
    return SimpleNamespace(
        open=open_library,
        closed=closed,
        shows=shows,
        family=movie(open_library, "Family Film", 6),
        adult=movie(open_library, "Adult Film", 18),
        hidden=movie(closed, "Hidden Film", 0),
        grim_episode=Episode.objects.create(show=show, season=season, match_key="s01e01", episode_number=1),
    )
