"""Search of titles, people and sets: typos and accents forgiven, visibility kept, on PostgreSQL and SQLite."""

from __future__ import annotations

import pytest

from apps.media.models import Artwork, Movie
from apps.media.search import catalogue_search
from apps.media.tests.search_world import search_world_make, sqlite_script_run

QUERIES = ("matirx", "amelie", "le fabuleux destin", "strasse", "keanu reves", "matrix collection", "heat", "robot")


def titles(hits) -> list[str]:
    return [f"{hit.kind}:{getattr(hit.item, 'title', None) or hit.item.name}" for hit in hits]


@pytest.fixture
def world(db, tmp_path):
    return search_world_make(str(tmp_path))


def test_a_typo_finds_the_title_first(world):
    found = titles(catalogue_search(user=world["member"], query="matirx"))
    assert found[:2] == ["movie:The Matrix", "movie:The Matrix Reloaded"]


def test_accents_are_forgiven_both_ways(world):
    assert titles(catalogue_search(user=world["member"], query="amelie"))[0] == "movie:Amélie"
    assert titles(catalogue_search(user=world["member"], query="Amélie", kinds=("movie",))) == ["movie:Amélie"]
    assert titles(catalogue_search(user=world["member"], query="strasse")) == ["movie:Straße der Sehnsucht"]


def test_the_original_title_and_people_and_sets_are_searched(world):
    assert titles(catalogue_search(user=world["member"], query="fabuleux destin")) == ["movie:Amélie"]
    assert titles(catalogue_search(user=world["member"], query="keanu reves"))[0] == "person:Keanu Reeves"
    found = titles(catalogue_search(user=world["member"], query="matrix collection", kinds=("collection",)))
    assert found == ["collection:The Matrix Collection"]


def test_the_closest_title_comes_before_longer_ones(world):
    assert titles(catalogue_search(user=world["member"], query="heat"))[:2] == ["movie:Heat", "movie:Heathers"]


def test_what_a_user_may_not_see_is_never_found(world):
    member = titles(catalogue_search(user=world["member"], query="matrix"))
    assert "movie:The Matrix Resurrections" not in member  # a library without a grant
    kid = titles(catalogue_search(user=world["kid"], query="matrix"))
    assert kid == []  # rated 17: neither the movies nor their set nor their cast show up
    assert titles(catalogue_search(user=world["kid"], query="keanu")) == []
    assert titles(catalogue_search(user=world["kid"], query="spirited")) == ["movie:Spirited Away"]


@pytest.mark.parametrize(
    ("query", "message"),
    [("", "say what to search for"), ("   ", "say what to search for"), ("x" * 201, "at most 200")],
)
def test_a_bad_query_is_refused_with_a_reason(world, query, message):
    with pytest.raises(ValueError, match=message):
        catalogue_search(user=world["member"], query=query)


def test_an_unknown_kind_is_refused(world):
    with pytest.raises(ValueError, match="unknown kind song"):
        catalogue_search(user=world["member"], query="heat", kinds=("movie", "song"))


@pytest.mark.parametrize("query", ["%' OR 1=1 --", '"matrix', "\\", "_", "%%", "NEAR(a b)", "a*", "ab"])
def test_hostile_queries_find_only_what_they_spell(world, query):
    for hit in catalogue_search(user=world["member"], query=query):
        assert hit.score > 0
    assert "movie:The Matrix Resurrections" not in titles(catalogue_search(user=world["member"], query=query))


SQLITE_SCRIPT = """
import json, os
from apps.media.models import Artwork, Movie
from apps.media.search import catalogue_search
from apps.media.tests.search_world import search_world_make
from apps.media.models import Movie
people = search_world_make(os.environ["SEARCH_ROOT"])
Movie.objects.filter(title="Heathers").update(title="Heathers (Director's Cut)")  # the index follows edits
Movie.objects.filter(title="Spirited Away").delete()
out = {}
for user in ("member", "kid"):
    for query in %r + ("spirited", "heathers director", '"matrix', "NEAR(a b)", "ab"):
        hits = catalogue_search(user=people[user], query=query)
        out[user + ":" + query] = [h.kind + ":" + (getattr(h.item, "title", None) or h.item.name) for h in hits]
print("RESULT" + json.dumps(out))
"""


def test_sqlite_finds_the_same_as_postgresql(world, tmp_path):
    expected = {
        query: titles(catalogue_search(user=world["member"], query=query)) for query in QUERIES if query != "heat"
    }
    found = sqlite_script_run(tmp_path=tmp_path, script=SQLITE_SCRIPT % (QUERIES,))
    for query, wanted in expected.items():
        assert found[f"member:{query}"] == wanted, query
    assert found["member:heat"][0] == "movie:Heat"
    assert found["member:heathers director"] == ["movie:Heathers (Director's Cut)"]
    assert found["member:spirited"] == []
    assert found["kid:matirx"] == [] and found["kid:keanu reves"] == []
    assert found['member:"matrix'][:1] == ["movie:The Matrix"]


def test_the_search_endpoint_answers_with_kinds_years_and_posters(world, api):
    matrix = Movie.objects.get(title="The Matrix")
    Artwork.objects.create(movie=matrix, kind="poster", path="/m.jpg", source="tmdb", content_hash="ab" * 32)
    response = api(world["member"]).get("/api/v1/search/", {"q": "matirx", "kind": ["movie", "person"]})
    assert response.status_code == 200, response.content
    first = response.json()["results"][0]
    assert first["kind"] == "movie" and first["id"] == matrix.pk and first["year"] == 1999
    assert first["image"]["url"] == f"/api/v1/images/movie/{matrix.pk}/?type=poster&v={'ab' * 8}"
    assert {hit["kind"] for hit in response.json()["results"]} <= {"movie", "person"}
    people = api(world["member"]).get("/api/v1/search/", {"q": "audrey", "kind": "person"}).json()["results"]
    assert [(p["kind"], p["title"], p["image"]) for p in people] == [("person", "Audrey Tautou", None)]


@pytest.mark.parametrize(
    ("params", "field"),
    [({}, "q"), ({"q": ""}, "q"), ({"q": "x" * 201}, "q"), ({"q": "a", "kind": "song"}, "kind"),
     ({"q": "a", "limit": "0"}, "limit"), ({"q": "a", "limit": "many"}, "limit"), ({"q": "a", "limit": "51"}, "limit")],
)  # fmt: skip
def test_the_search_endpoint_refuses_bad_parameters_with_a_message(world, api, params, field):
    response = api(world["member"]).get("/api/v1/search/", params)
    assert response.status_code == 400 and field in response.json()["errors"], response.content


def test_the_search_endpoint_needs_a_signed_in_user(world, api_client):
    assert api_client.get("/api/v1/search/", {"q": "matrix"}).status_code in (401, 403)


def test_a_search_costs_the_same_few_queries_however_many_hits(world, api, django_assert_max_num_queries):
    member = api(world["member"])
    member.get("/api/v1/search/", {"q": "a"})  # the visible libraries are cached after the first request
    for query in ("zzzz", "matrix", "e"):
        # One query per kind searched, one for the images, and the caller's session and settings.
        with django_assert_max_num_queries(9):
            assert member.get("/api/v1/search/", {"q": query}).status_code == 200
