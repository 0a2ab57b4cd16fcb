"""Fixtures shared by every app's tests, built from the test kit (apps/core/testing/): clients, users, clips,
events, a real worker."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from apps.core import events
from apps.core.api.throttling import ClientIPRateThrottle
from apps.core.testing.arr import FakeArr
from apps.core.testing.clients import client_for
from apps.core.testing.media import make_clip
from apps.core.testing.people import user_make
from apps.core.testing.tmdb import FakeTmdb
from apps.core.testing.workers import default_worker
from apps.metadata.tmdb import ratelimit


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Hashing passwords properly is slow on purpose; tests create hundreds of users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The Redis cache outlives a test (and a test run): start each test without cached settings."""
    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _tmdb_off(settings):
    """Without the `tmdb` fixture no test reaches The Movie Database: no key, no token, lookups off."""
    settings.TMDB_API_KEY = ""
    settings.TMDB_TOKEN = ""


@pytest.fixture
def tmdb(settings):
    """The TMDb stand-in on 127.0.0.1, with the settings aimed at it and nothing cached from an earlier test."""
    server = FakeTmdb()
    settings.TMDB_URL = server.api_url
    settings.TMDB_IMAGE_URL = server.image_url
    settings.TMDB_API_KEY = server.api_key
    cache.clear()
    ratelimit.reset()
    yield server
    server.close()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def user(django_user_model, db):
    """An ordinary member: the built-in "user" role."""
    return user_make("alice")


@pytest.fixture
def api():
    """api(user) → an API client signed in as `user`."""
    return client_for


@pytest.fixture
def redis_worker(transactional_db):
    """A real Celery worker (solo) on the real Redis, consuming the default queues."""
    with default_worker() as worker:
        yield worker


@pytest.fixture(scope="session")
def clips(tmp_path_factory) -> dict[str, Path]:
    """One tiny real clip per container, made once per test session."""
    folder = tmp_path_factory.mktemp("clips")
    return {
        "mkv": make_clip(folder / "clip.mkv"),
        "mp4": make_clip(folder / "clip.mp4"),
        "avi": make_clip(folder / "clip.avi", video_codec="mpeg4", audio_codec="mp2"),
    }


@pytest.fixture
def place(clips) -> Callable[..., Path]:
    """place(root, "Movie (2010)/Movie (2010).mkv") copies a real clip of that container there."""

    def copy(root: Path, relative: str, *, content: bytes | None = None) -> Path:
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if content is not None:
            target.write_bytes(content)
        else:
            shutil.copyfile(clips.get(target.suffix.lstrip("."), clips["mkv"]), target)
        return target

    return copy


@pytest.fixture
def browser():
    """Debian's Chromium for one test (apps/core/testing/browser.py); closed after, so no event loop outlives it."""
    from apps.core.testing.browser import chromium  # Playwright is loaded only by the browser tests

    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab (own cookies) whose relative URLs go to the live server."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


@pytest.fixture
def radarr() -> Iterator[FakeArr]:
    """A Radarr stand-in on 127.0.0.1 (apps/core/testing/arr.py)."""
    fake = FakeArr("radarr")
    yield fake
    fake.close()


@pytest.fixture
def sonarr() -> Iterator[FakeArr]:
    """A Sonarr stand-in on 127.0.0.1 (apps/core/testing/arr.py)."""
    fake = FakeArr("sonarr")
    yield fake
    fake.close()


@pytest.fixture
def received() -> list[events.Event]:
    """Every domain event delivered during the test."""
    seen: list[events.Event] = []
    listener = events.subscribe("*")(seen.append)
    yield seen
    events.unsubscribe(listener)


@pytest.fixture
def no_rate_limit(monkeypatch):
    """The per-IP auth rate limit lifted, for tests about what happens behind it (the lockout, sign-in forms)."""
    # DRF reads the rates into the class when it is imported, so overriding settings would not reach it.
    monkeypatch.setattr(ClientIPRateThrottle, "THROTTLE_RATES", {"ip": "100000/min", "auth": "100000/min"})
