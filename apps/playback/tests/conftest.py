"""Playback fixtures: a real transcode worker on Redis, and a small catalogue of scanned real clips for the
watching tests (movies, two shows, one for adults, hidden libraries, a kid)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from apps.accounts.models import Role
from apps.core.testing.catalogue import MOVIE_NFO, SHOW_NFO, hide, scanned
from apps.core.testing.people import kids_role_make, user_make
from apps.core.testing.workers import running_worker
from apps.libraries import services as libraries
from apps.media.models import Movie


@pytest.fixture
def transcode_dir(tmp_path, settings):
    settings.TRANSCODE_DIR = tmp_path / "transcode"
    return settings.TRANSCODE_DIR


@pytest.fixture
def transcoder(transactional_db, transcode_dir):
    """A real Celery worker consuming the `transcode` queue on the real Redis."""
    with running_worker("transcode") as running:
        yield running


@pytest.fixture
def catalogue(tmp_path, place, user) -> SimpleNamespace:
    movies = scanned(
        place,
        tmp_path / "movies",
        name="Movies",
        kind="movies",
        files={
            "Heat (1995)/Heat (1995).mkv": None,
            "Alien (1979)/Alien (1979).mkv": None,
            "Adult (2002)/Adult (2002).mkv": None,
            "Adult (2002)/movie.nfo": MOVIE_NFO.format(title="Adult", year=2002, mpaa="R"),
        },
    )
    episodes = {f"Lost/Season 0{s}/Lost - S0{s}E0{e}.mkv": None for s, e in ((1, 1), (1, 2), (1, 3), (2, 1), (2, 2))}
    tv = scanned(
        place,
        tmp_path / "tv",
        name="TV",
        kind="shows",
        files={
            **episodes,
            "Lost/Specials/Lost - S00E01.mkv": None,
            "Grim/tvshow.nfo": SHOW_NFO.format(title="Grim", mpaa="TV-MA"),
            "Grim/Season 01/Grim - S01E01.mkv": None,
            "Grim/Season 01/Grim - S01E02.mkv": None,
        },
    )
    private = scanned(
        place,
        tmp_path / "private",
        name="Private",
        kind="movies",
        files={"Secret (2001)/Secret (2001).mkv": None},
    )
    secret_tv = scanned(
        place,
        tmp_path / "private-tv",
        name="Private TV",
        kind="shows",
        files={"Hush/Season 01/Hush - S01E01.mkv": None, "Hush/Season 01/Hush - S01E02.mkv": None},
    )
    hide(private)
    hide(secret_tv)
    kid = user_make("kid", role=kids_role_make())
    boss = user_make("boss", role=Role.ADMIN)
    for library in (movies, tv):
        libraries.library_grants_set(
            library=library, roles={"user": ["view_library"], "kids": ["view_library"]}, users={}, by=boss
        )
    moderator = user_make("mod", role=Role.MODERATOR)
    return SimpleNamespace(
        user=user,
        kid=kid,
        moderator=moderator,
        boss=boss,
        heat=Movie.objects.get(title="Heat"),
        alien=Movie.objects.get(title="Alien"),
        adult=Movie.objects.get(title="Adult"),
        secret=Movie.objects.get(title="Secret"),
    )
