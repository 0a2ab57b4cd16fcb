"""`?search=` on the movie and show lists: the catalogue search (typos, accents), visible items only, paginated."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from apps.media.tests.search_world import search_world_make, sqlite_script_run


@pytest.fixture
def world(db, tmp_path):
    return search_world_make(str(tmp_path))


def listed(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["results"]]


def test_a_typo_finds_the_title_first_and_hidden_titles_never(world, api):
    member = api(world["member"])
    assert listed(member, "/api/v1/movies/?search=matirx") == ["The Matrix", "The Matrix Reloaded"]
    assert "The Matrix Resurrections" not in listed(member, "/api/v1/movies/?search=matrix resurrections")
    kid = api(world["kid"])
    assert listed(kid, "/api/v1/movies/?search=matirx") == []  # rated 17
    assert listed(kid, "/api/v1/movies/?search=spirted away") == ["Spirited Away"]


def test_accents_and_original_titles_are_searched(world, api):
    member = api(world["member"])
    assert listed(member, "/api/v1/movies/?search=amelie") == ["Amélie"]
    assert listed(member, "/api/v1/movies/?search=AMÉLIE") == ["Amélie"]
    assert listed(member, "/api/v1/movies/?search=fabuleux destin") == ["Amélie"]
    assert listed(member, "/api/v1/movies/?search=strasse") == ["Straße der Sehnsucht"]


def test_shows_are_searched_the_same_way(world, api):
    member = api(world["member"])
    assert listed(member, "/api/v1/shows/?search=mr robto") == ["Mr. Robot"]
    assert listed(member, "/api/v1/shows/?search=matrix") == []


def test_the_best_match_comes_first_unless_an_order_is_asked(world, api):
    member = api(world["member"])
    assert listed(member, "/api/v1/movies/?search=heat") == ["Heat", "Heathers"]
    assert listed(member, "/api/v1/movies/?search=heat&ordering=year") == ["Heathers", "Heat"]


def test_search_pages_and_combines_with_the_other_filters(world, api):
    member = api(world["member"])
    first = member.get("/api/v1/movies/?search=matirx&page_size=1").json()
    assert first["count"] == 2 and [m["title"] for m in first["results"]] == ["The Matrix"]
    assert listed(member, "/api/v1/movies/?search=matirx&page_size=1&page=2") == ["The Matrix Reloaded"]
    assert member.get("/api/v1/movies/?search=matirx&page_size=1&page=3").status_code == 404
    assert listed(member, "/api/v1/movies/?search=matrix&year=2003") == ["The Matrix Reloaded"]
    assert listed(member, "/api/v1/movies/?search=matrix&decade=1990") == ["The Matrix"]


def test_a_blank_search_lists_everything_visible(world, api):
    member = api(world["member"])
    everything = listed(member, "/api/v1/movies/")
    assert len(everything) == 7 and listed(member, "/api/v1/movies/?search=%20%20") == everything


@pytest.mark.parametrize("path", ["/api/v1/movies/", "/api/v1/shows/"])
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("x" * 201, "at most 200"),
        ("matrix\x00", "control characters"),
        ("\x00" * 5000, "at most 200"),
        ("a\x07b", "control"),
    ],
)
def test_a_bad_search_is_refused_with_a_reason(world, api, path, query, message):
    response = api(world["member"]).get(path, {"search": query})
    assert response.status_code == 400
    assert message in str(response.json())


@pytest.mark.parametrize("path", ["/api/v1/movies/", "/api/v1/shows/"])
@pytest.mark.parametrize(
    "query",
    ["!!!", "...---...", "%' OR 1=1 --", "'; DROP TABLE media_movie; --", "%%", "_", "\\", '"matrix', "🎬🎬", "ab"],
)
def test_a_hostile_search_finds_only_what_it_spells(world, api, path, query):
    found = listed(api(world["member"]), f"{path}?{urlencode({'search': query})}")
    assert "The Matrix Resurrections" not in found
    if not any(c.isalnum() for c in query):
        assert found == []
    assert listed(api(world["member"]), "/api/v1/movies/?search=heat") == ["Heat", "Heathers"]  # tables intact


SQLITE_QUERIES = ("matirx", "amelie", "fabuleux destin", "strasse", "heat", "spirted away", "!!!", "%' OR 1=1 --")
SQLITE_SCRIPT = """
import json, os
from rest_framework.test import APIClient
from apps.media.tests.search_world import search_world_make
people = search_world_make(os.environ["SEARCH_ROOT"])
client = APIClient()
client.force_authenticate(people["member"])
out = {}
for query in %r:
    for path in ("/api/v1/movies/", "/api/v1/shows/"):
        body = client.get(path, {"search": query, "page_size": 1}).json()
        rest = client.get(path, {"search": query}).json()
        out[path + query] = [body["count"], [m["title"] for m in rest["results"]]]
for query in ("x" * 201, "matrix\\x00"):
    out["bad:" + query[:10]] = client.get("/api/v1/movies/", {"search": query}).status_code
print("RESULT" + json.dumps(out))
"""


def test_sqlite_lists_the_same_as_postgresql(world, api, tmp_path):
    member = api(world["member"])
    expected = {}
    for query in SQLITE_QUERIES:
        for path in ("/api/v1/movies/", "/api/v1/shows/"):
            found = listed(member, f"{path}?{urlencode({'search': query})}")
            expected[path + query] = [len(found), found]
    found = sqlite_script_run(tmp_path=tmp_path, script=SQLITE_SCRIPT % (SQLITE_QUERIES,))
    assert expected["/api/v1/movies/matirx"] == [2, ["The Matrix", "The Matrix Reloaded"]]
    for key, wanted in expected.items():
        assert found[key] == wanted, key
    assert found["bad:" + "x" * 10] == 400 and found["bad:matrix\x00"] == 400
