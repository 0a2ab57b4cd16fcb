"""A small world for the console: a scanned movie library, one user per kind of operator, two live streams."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client

from apps.accounts.models import Role
from apps.core.testing.arr import FakeArr
from apps.core.testing.catalogue import session_for
from apps.core.testing.people import user_make
from apps.libraries import services as library_services
from apps.media.models import Movie
from apps.scanning import services as scanning


@pytest.fixture
def world(tmp_path, place, db) -> SimpleNamespace:
    root = tmp_path / "movies"
    place(root, "Heat (1995)/Heat (1995).mkv")
    place(root, "Alien (1979)/Alien (1979).mkv")
    library = library_services.library_create(name="Movies", kind="movies", paths=[str(root)])
    scanning.scan_run(scan=scanning.scan_begin(library=library))
    people = SimpleNamespace(
        boss=user_make("boss", role=Role.ADMIN),
        mod=user_make("mod", role=Role.MODERATOR),
        alice=user_make("alice"),
    )
    heat, alien = Movie.objects.get(title="Heat"), Movie.objects.get(title="Alien")
    alice_plays = session_for(people.alice, movie=heat, position=1800, device="Living room TV", bitrate=8_100_000)
    boss_plays = session_for(people.boss, movie=alien, position=60, device="Boss phone", method="transcode")
    return SimpleNamespace(
        library=library, heat=heat, alien=alien, alice_plays=alice_plays, boss_plays=boss_plays, **vars(people)
    )


@pytest.fixture
def signed_in():
    """signed_in(user) → a test client with that user's session."""

    def client_of(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return client_of


@pytest.fixture
def radarr():
    """The kit's Radarr stand-in on 127.0.0.1 (apps/core/testing/arr.py)."""
    fake = FakeArr("radarr")
    yield fake
    fake.close()
