"""Fixtures of the web app's tests: Radarr/Sonarr stand-ins (the kit's) as the default servers, people, and the
browsing tests' scanned catalogue (catalogue_world.py)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from apps.accounts.models import Role
from apps.core.testing.arr import API_KEY, FakeArr
from apps.core.testing.people import user_make
from apps.requests.models import ArrServer
from apps.web.tests.catalogue_world import Catalogue, catalogue_build


def arr_server_make(kind: str, fake: FakeArr, **fields) -> ArrServer:
    """A default server on 127.0.0.1, opted in to the private network as an admin would."""
    return ArrServer.objects.create(
        kind=kind,
        name=kind.capitalize(),
        base_url=fake.url,
        api_key=API_KEY,
        quality_profile_id=4 if kind == "radarr" else 1,
        root_folder="/movies" if kind == "radarr" else "/tv",
        is_default=True,
        allow_private_network=True,
        **fields,
    )


@pytest.fixture
def servers(radarr, sonarr, db):
    return SimpleNamespace(radarr=arr_server_make("radarr", radarr), sonarr=arr_server_make("sonarr", sonarr))


@pytest.fixture
def people(db):
    """A moderator, a member with a quota of one movie a week, another member, a guest."""
    return SimpleNamespace(
        moderator=user_make("mod", role=Role.MODERATOR),
        member=user_make("member", settings_overrides={"request_quota_movies": 1, "request_quota_days": 7}),
        other=user_make("other"),
        guest=user_make("guest", role=Role.GUEST),
    )


@pytest.fixture
def catalogue(place, tmp_path) -> Catalogue:
    return catalogue_build(place, tmp_path)
