"""Requests and the library meet on TMDb ids: a title matched from its name alone counts as in the library."""

from __future__ import annotations

import pytest

from apps.core.testing.catalogue import scanned
from apps.libraries import services as libraries
from apps.metadata import services as metadata
from apps.requests.models import MediaRequest

URL = "/api/v1/requests/"
pytestmark = pytest.mark.django_db


def test_a_title_matched_by_name_is_in_the_library_and_cannot_be_requested(tmdb, servers, people, api, place, tmp_path):
    tmdb.movie_add(949, "Heat", year=1995, certifications={"US": "R"})
    library = scanned(place, tmp_path, name="Movies", kind="movies", files={"Heat (1995)/Heat (1995).mkv": None})
    libraries.library_grants_set(library=library, roles={"user": ["view_library"]}, users={}, by=people.admin)
    before = api(people.member).get(f"{URL}search/", {"kind": "movie", "q": "heat"}).json()
    assert [r["in_library"] for r in before if r["tmdb_id"] == 949] == [False]  # no NFO, no id in the name: not yet

    metadata.metadata_refresh()

    found = api(people.member).get(f"{URL}search/", {"kind": "movie", "q": "heat"}).json()
    assert [r["in_library"] for r in found if r["tmdb_id"] == 949] == [True]
    refused = api(people.member).post(URL, {"kind": "movie", "tmdb_id": 949}, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "already_available", refused.content
    assert not MediaRequest.objects.exists()
