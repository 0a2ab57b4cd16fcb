"""Cached list pages: shared by users who see the same catalogue, never by those who do not, never stale."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from apps.accounts.services import users
from apps.core.testing.catalogue import movie_make
from apps.core.testing.people import user_make
from apps.libraries import services as library_services
from apps.media import edits
from apps.media.models import Movie

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def catalogue(tmp_path):
    root = tmp_path / "movies"
    root.mkdir()
    library = library_services.library_create(name="M", kind="movies", paths=[str(root)])
    for n in range(5):
        movie_make(library=library, title=f"Film {n}", age_rating=18 if n == 4 else 6)
    return library


def client_of(user, host: str = "testserver") -> APIClient:
    client = APIClient(HTTP_HOST=host)
    client.force_authenticate(user)
    return client


def titles(body: dict) -> list[str]:
    return [item["title"] for item in body["results"]]


def test_a_cached_page_links_to_its_neighbours_on_the_asking_host(catalogue):
    member = user_make("m")
    first = client_of(member, "a.example").get("/api/v1/movies/?page_size=2&page=2").json()
    again = client_of(member, "b.example").get("/api/v1/movies/?page_size=2&page=2").json()
    assert titles(first) == titles(again) == ["Film 2", "Film 3"]
    assert first["count"] == again["count"] == 5
    assert first["next"] == "http://a.example/api/v1/movies/?page=3&page_size=2"
    assert again["next"] == "http://b.example/api/v1/movies/?page=3&page_size=2"
    assert again["previous"] == "http://b.example/api/v1/movies/?page_size=2"
    last = client_of(member).get("/api/v1/movies/?page_size=2&page=last").json()
    assert titles(last) == ["Film 4"] and last["next"] is None


def test_users_of_another_visibility_class_never_get_the_page(catalogue):
    adult, child = user_make("adult"), user_make("child")
    users.user_update(user=child, by=None, settings_overrides={"max_parental_age": 12})
    assert "Film 4" in titles(client_of(adult).get("/api/v1/movies/").json())
    assert "Film 4" not in titles(client_of(child).get("/api/v1/movies/").json())
    users.user_update(user=child, by=None, settings_overrides={"max_parental_age": None})
    assert "Film 4" in titles(client_of(child).get("/api/v1/movies/").json())


def test_an_edit_shows_on_the_next_request(catalogue):
    member = user_make("m")
    assert "Film 0" in titles(client_of(member).get("/api/v1/movies/").json())
    movie = Movie.objects.get(title="Film 0")
    movie.title = "Another Film"
    edits.item_update(item=movie, by=None, fields=["title"])
    shown = titles(client_of(member).get("/api/v1/movies/").json())
    assert "Another Film" in shown and "Film 0" not in shown


@pytest.mark.parametrize(
    "query, status",
    [("page=99", 404), ("page=abc", 404), ("ordering=nonsense", 200), ("year=not-a-year", 400)],
)
def test_broken_queries_answer_clearly_and_leave_the_cached_page_alone(catalogue, query, status):
    member = user_make("m")
    good = client_of(member).get("/api/v1/movies/").json()
    response = client_of(member).get(f"/api/v1/movies/?{query}")
    assert response.status_code == status, response.content[:200]
    if status >= 400:
        assert response.json()  # a message, not an empty answer
    # Asked again (now cached), the bad query answers the same, and the good page is untouched.
    assert client_of(member).get(f"/api/v1/movies/?{query}").status_code == status
    assert client_of(member).get("/api/v1/movies/").json() == good
