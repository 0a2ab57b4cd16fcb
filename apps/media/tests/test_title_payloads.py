"""What clients get of a title: ids, images and light lists; details with people, collection and metadata state."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core import caching
from apps.core.testing.catalogue import hide, movie_make
from apps.core.testing.clients import client_for
from apps.core.testing.people import kids_role_make, user_make
from apps.libraries import services as library_services
from apps.media.models import Person
from apps.media.tests.metadata_world import art, credit

pytestmark = pytest.mark.django_db


def test_lists_show_ids_certification_and_the_poster_only(world):
    body = client_for(user_make("alice")).get("/api/v1/movies/").json()
    (item,) = body["results"]
    assert item["ids"] == {"tmdb": 603, "imdb": "tt0133093", "tvdb": None}
    assert (item["certification"], item["age_rating"]) == ("R", 17)
    assert set(item["images"]) == {"poster"}
    poster = item["images"]["poster"]
    assert poster["url"].startswith(f"/api/v1/images/movie/{world['matrix'].pk}/?type=poster&v=aaaa")
    assert (poster["width"], poster["height"]) == (500, 750)
    assert "cast" not in item and "overview" not in item
    (show,) = client_for(user_make("bob")).get("/api/v1/shows/").json()["results"]
    assert show["ids"] == {"tmdb": 4607, "imdb": None, "tvdb": 73739}
    assert set(show["images"]) == {"poster"}


def test_a_movie_detail_has_people_collection_and_every_image(world):
    body = client_for(user_make("alice")).get(f"/api/v1/movies/{world['matrix'].pk}/").json()
    assert body["tagline"] == "Welcome to the Real World."
    assert (body["release_date"], body["vote_average"]) == ("1999-03-30", 8.2)
    assert body["collection"] == {"id": world["matrix"].collection_id, "name": "The Matrix Collection"}
    assert set(body["images"]) == {"poster", "fanart"}
    assert [(c["name"], c["character"]) for c in body["cast"]] == [
        ("Keanu Reeves", "Neo"),
        ("Carrie-Anne Moss", "Trinity"),
    ]
    assert body["cast"][0]["person"] == world["keanu"].pk
    assert set(body["cast"][0]["images"]) == {"profile"}
    assert [c["job"] for c in body["crew"]] == ["Director", "Screenplay", "Gaffer"]
    assert body["metadata"] is None  # a viewer does not see the match state


def test_those_who_manage_the_library_see_the_metadata_state(world):
    matrix = world["matrix"]
    matrix.metadata_status, matrix.match_score, matrix.locked_fields = "matched", 0.93, ["title"]
    matrix.save()
    body = client_for(user_make("boss", role="admin")).get(f"/api/v1/movies/{matrix.pk}/").json()
    assert body["metadata"]["status"] == "matched"
    assert body["metadata"]["score"] == 0.93
    assert body["metadata"]["locked_fields"] == ["title"]


def test_a_show_detail_has_seasons_with_images_and_episodes_have_stills(world):
    client = client_for(user_make("alice"))
    body = client.get(f"/api/v1/shows/{world['show'].pk}/").json()
    (season,) = body["seasons"]
    assert (season["overview"], season["air_date"]) == ("Survivors.", "2004-09-22")
    assert set(season["images"]) == {"poster"}
    assert [c["character"] for c in body["cast"]] == ["Himself"]
    (episode,) = client.get(f"/api/v1/episodes/?show={world['show'].pk}").json()["results"]
    assert (episode["runtime"], episode["tmdb_id"]) == (42, "63056")
    assert episode["images"]["thumb"]["url"].startswith(f"/api/v1/images/episode/{world['pilot'].pk}/?type=thumb")


def test_filters_by_person_collection_decade_and_certification(world):
    movies = world["movies"]
    movie_make(library=movies, title="Toy Story", year=1995, certification="G", age_rating=0)
    movie_make(library=movies, title="Memento", year=2000, certification="R", age_rating=17)
    client = client_for(user_make("alice"))

    def titles(query: str, path: str = "movies") -> list[str]:
        response = client.get(f"/api/v1/{path}/?{query}")
        assert response.status_code == 200, response.content
        return sorted(m["title"] for m in response.json()["results"])

    assert titles(f"person={world['keanu'].pk}") == ["The Matrix"]
    assert titles(f"person={world['keanu'].pk}", "shows") == ["Lost"]
    assert titles(f"collection={world['matrix'].collection_id}") == ["The Matrix"]
    assert titles("decade=1990") == ["The Matrix", "Toy Story"]
    assert titles("decade=2000") == ["Memento"]
    assert titles("decade=2000", "shows") == ["Lost"]
    assert titles("certification=r") == ["Memento", "The Matrix"]
    assert titles("certification=PG-13") == []


@pytest.mark.parametrize(
    "query",
    [
        "decade=abc",
        "decade=1995",
        "decade=-1990",
        "decade=99999999999999999999",
        "person=abc",
        "person=-3",
        "person=99999999999999999999",
        "person=424242",
        "collection=1.5",
        "metadata_status=bogus",
    ],
)
def test_hostile_filter_values_answer_400_with_a_message(world, query):
    response = client_for(user_make("alice")).get(f"/api/v1/movies/?{query}")
    assert response.status_code == 400, response.content
    assert response.json()["errors"][query.split("=")[0]], response.json()


def test_a_hidden_person_or_collection_filters_like_an_unknown_one(world):
    kid = user_make("kid", role=kids_role_make())
    boss = user_make("boss", role="admin")
    for library in (world["movies"], world["tv"]):
        grants = {"user": ["view_library"], "kids": ["view_library"]}
        library_services.library_grants_set(library=library, roles=grants, users={}, by=boss)
    client = client_for(kid)
    assert client.get(f"/api/v1/movies/?person={world['keanu'].pk}").status_code == 200  # on the show, still seen
    lana = Person.objects.get(name="Lana Wachowski")
    assert client.get(f"/api/v1/movies/?person={lana.pk}").status_code == 400  # credited on an R film only
    assert client.get(f"/api/v1/movies/?collection={world['matrix'].collection_id}").status_code == 400


def test_the_metadata_status_filter_lists_only_libraries_one_manages(world):
    world["matrix"].metadata_status = "unmatched"
    world["matrix"].save()
    viewer = client_for(user_make("alice")).get("/api/v1/movies/?metadata_status=unmatched").json()
    assert viewer["count"] == 0
    boss = client_for(user_make("boss", role="admin")).get("/api/v1/movies/?metadata_status=unmatched").json()
    assert [m["title"] for m in boss["results"]] == ["The Matrix"]
    hide(world["movies"])
    assert client_for(user_make("carol")).get(f"/api/v1/movies/{world['matrix'].pk}/").status_code == 404


def test_a_detail_costs_the_same_queries_however_long_its_credits(world):
    client = client_for(user_make("alice"))
    url = f"/api/v1/movies/{world['matrix'].pk}/"
    client.get(url)
    detail = caching.item("movie", world["matrix"].pk)
    caching.bump(detail)  # measure the detail computed, not served from the cache
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(8):
        person = Person.objects.create(name=f"Extra {n}")
        art("profile", f"{n:064}", person=person)
        credit(person, movie=world["matrix"], character=f"Agent {n}", order=10 + n)
    caching.bump(detail)  # written here without the events a refresh sends
    with CaptureQueriesContext(connection) as many:
        body = client.get(url).json()
    assert len(body["cast"]) == 10
    assert len(many) == len(few)
