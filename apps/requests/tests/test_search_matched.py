"""A title matched on TMDb by its name alone (no NFO id) counts as in the library for request search and requests."""

from __future__ import annotations

from apps.core.testing.catalogue import movie_make
from apps.libraries import services as libraries
from apps.metadata import services as metadata

URL = "/api/v1/requests/"


def test_a_title_matched_by_tmdb_is_available_and_cannot_be_requested_again(servers, people, api, tmdb, tmp_path):
    (tmp_path / "m").mkdir()
    library = libraries.library_create(name="M", kind="movies", paths=[str(tmp_path / "m")])
    libraries.library_grants_set(library=library, roles={"user": ["view_library"]}, users={}, by=people.admin)
    heat = movie_make(library=library, title="Heat", year=1995)
    assert heat.tmdb_id == ""
    before = {r["title"]: r for r in api(people.member).get(f"{URL}search/", {"kind": "movie", "q": "heat"}).json()}
    assert before["Heat"]["in_library"] is False

    tmdb.movie_add(949, "Heat", year=1995)
    metadata.metadata_refresh(movies=[heat])
    heat.refresh_from_db()
    assert (heat.tmdb_id, heat.metadata_status) == ("949", "matched")

    found = api(people.member).get(f"{URL}search/", {"kind": "movie", "q": "heat"})
    assert found.status_code == 200, found.content
    assert {r["title"]: r for r in found.json()}["Heat"]["in_library"] is True
    refused = api(people.member).post(URL, {"kind": "movie", "tmdb_id": 949}, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "already_available"
