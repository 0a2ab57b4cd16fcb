"""Playback fixtures: real clips in scanned libraries, a real transcode worker on Redis, HTTP helpers, and a
small catalogue for the watching tests (movies, two shows, one for adults, hidden libraries, a kid)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from types import SimpleNamespace

import pytest

from apps.accounts.models import Role
from apps.accounts.services import roles, tokens, users
from apps.core.tests.workers import running_worker
from apps.libraries import services as libraries
from apps.media.models import MediaFile, Movie
from apps.playback.tests.factories import MOVIE_NFO, SHOW_NFO, hide, scanned
from apps.scanning import services as scanning


@pytest.fixture
def transcode_dir(tmp_path, settings):
    settings.TRANSCODE_DIR = tmp_path / "transcode"
    return settings.TRANSCODE_DIR


@pytest.fixture
def transcoder(transactional_db, transcode_dir):
    """A real Celery worker consuming the `transcode` queue on the real Redis."""
    with running_worker("transcode") as running:
        yield running


def library_of(root, *, name: str = "Movies") -> list[MediaFile]:
    library = libraries.library_create(name=name, kind="movies", paths=[str(root)])
    scanning.scan_run(scan=scanning.scan_begin(library=library))
    return list(MediaFile.objects.filter(library=library).order_by("path"))


class Http:
    """A real HTTP client of the live server, signed in with an API token (as a TV app would be)."""

    def __init__(self, base: str, user) -> None:
        self.base = base
        self.key = tokens.api_token_create(user=user, name="tv")[1] if user else None

    def call(self, method: str, path: str, body: dict | None = None) -> SimpleNamespace:
        headers = {"Content-Type": "application/json", "User-Agent": "Kodi/21.0 (X11; Linux x86_64)"}
        if self.key:
            headers["Authorization"] = f"Token {self.key}"
        url = path if path.startswith("http") else self.base + path
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return SimpleNamespace(status=response.status, body=response.read(), headers=response.headers)
        except urllib.error.HTTPError as error:
            return SimpleNamespace(status=error.code, body=error.read(), headers=error.headers)

    def json(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        answer = self.call(method, path, body)
        return answer.status, json.loads(answer.body or b"null")


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
    kids = roles.role_create(name="kids", rank=15, by=None, max_parental_age=10)
    kid = users.user_create(username="kid", password="x" * 12, by=None, role=kids)
    boss = users.user_create(username="boss", password="x" * 12, by=None, role=Role.objects.get(group__name="admin"))
    for library in (movies, tv):
        libraries.library_grants_set(
            library=library, roles={"user": ["view_library"], "kids": ["view_library"]}, users={}, by=boss
        )
    moderator = users.user_create(
        username="mod", password="x" * 12, by=None, role=Role.objects.get(group__name="moderator")
    )
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
