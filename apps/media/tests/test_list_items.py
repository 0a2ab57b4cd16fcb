"""A list page's items built in plain Python are exactly what MovieSerializer and ShowSerializer give, and what the
API answers: same keys in the same order, same values."""

from __future__ import annotations

import json

import pytest
from django.db.models import Count, F, Prefetch

from apps.core.testing.catalogue import movie_make
from apps.core.testing.clients import client_for
from apps.core.testing.people import user_make
from apps.media.api import catalogue_pagination
from apps.media.api.catalogue_serializers import MovieSerializer, ShowSerializer
from apps.media.api.list_items import movie_items, movie_rows, show_items, show_rows
from apps.media.models import Artwork, Genre, Movie, Show
from apps.media.selectors import movies_visible_to
from apps.media.tests.metadata_world import art

pytestmark = pytest.mark.django_db


def _posters() -> Prefetch:
    return Prefetch("artwork", queryset=Artwork.objects.filter(kind=Artwork.Kind.POSTER))


def _same(fast: list[dict], slow) -> None:
    slow = [dict(item) for item in slow]
    assert json.dumps(fast) == json.dumps(slow)  # order of keys included
    assert [list(item) for item in fast] == [list(item) for item in slow]


@pytest.fixture
def titles(world) -> dict:
    movies, tv = world["movies"], world["tv"]
    drama, action = Genre.objects.create(name="Drama"), Genre.objects.create(name="Action")
    world["matrix"].genres.set([drama, action])
    bare = movie_make(library=movies, title="Bare", year=None, edition="Director's Cut", runtime=101, imdb_id="")
    both = movie_make(library=movies, title="Two Posters", tmdb_id="not-a-number")
    art("poster", "9" * 64, movie=both, source=Artwork.Source.TMDB)
    art("poster", "8" * 64, movie=both)  # local artwork wins over the provider's
    broken = movie_make(library=movies, title="Broken Poster")
    Artwork.objects.create(kind="poster", path="/x.jpg", content_hash="7" * 64, error="not an image", movie=broken)
    art("fanart", "6" * 64, movie=broken)  # not a poster: not on a list item
    bare.genres.set([drama])
    plain = Show.objects.create(library=tv, match_key="plain", title="Two Posters Tale", tvdb_id="x12")
    plain.genres.set([action, drama])
    return {**world, "bare": bare, "plain": plain}


def test_movie_items_are_what_the_movie_serializer_gives(titles):
    movies = Movie.objects.order_by("pk")
    assert movies.count() == 4
    slow = MovieSerializer(movies.prefetch_related("genres", _posters()), many=True).data
    _same(movie_items(list(movie_rows(movies))), slow)
    assert movie_items([]) == []


def test_show_items_are_what_the_show_serializer_gives(titles):
    counts = {"season_count": Count("seasons", distinct=True), "episode_count": Count("episodes", distinct=True)}
    shows = Show.objects.annotate(**counts).order_by("pk")
    assert shows.count() == 2
    slow = ShowSerializer(shows.prefetch_related("genres", _posters()), many=True).data
    _same(show_items(list(show_rows(shows))), slow)


def test_list_pages_answer_the_serializers_payload(titles):
    client = client_for(user_make("alice"))
    counts = {"season_count": Count("seasons", distinct=True), "episode_count": Count("episodes", distinct=True)}
    for path, serializer, queryset in (
        ("movies", MovieSerializer, Movie.objects.prefetch_related("genres", _posters())),
        ("shows", ShowSerializer, Show.objects.annotate(**counts).prefetch_related("genres", _posters())),
    ):
        for query in ("", "?page_size=1&page=2", "?genre=drama", "?ordering=-added_at", "?search=two%20poster"):
            body = client.get(f"/api/v1/{path}/{query}").json()
            ids = [item["id"] for item in body["results"]]
            assert ids, (path, query)
            rows = sorted(queryset.filter(pk__in=ids), key=lambda item: ids.index(item.pk))
            _same(body["results"], json.loads(json.dumps(serializer(rows, many=True).data)))


def test_a_deep_page_read_ids_first_is_the_page_the_list_has(titles, monkeypatch):
    user = user_make("alice")
    for n in range(6):
        movie_make(library=titles["movies"], title=f"Sequel {n}", sort_title=f"sequel {n % 3}", year=2000 + n)
    Movie.objects.filter(sort_title="").update(sort_title=F("title"))  # no ties: the order of a tie is the database's
    order = list(movies_visible_to(user=user).order_by("sort_title", "year").values_list("pk", flat=True))
    monkeypatch.setattr(catalogue_pagination, "DEEP_ROWS", 3)  # pages from the third on skip ids first
    client = client_for(user)
    pages = [client.get(f"/api/v1/movies/?page_size=3&page={n}").json() for n in (1, 2, 3, 4)]
    assert [item["id"] for page in pages for item in page["results"]] == order
    assert {page["count"] for page in pages} == {len(order)}
    rows = sorted(
        Movie.objects.prefetch_related("genres", _posters()).filter(pk__in=order[3:6]), key=lambda m: order.index(m.pk)
    )
    _same(pages[1]["results"], json.loads(json.dumps(MovieSerializer(rows, many=True).data)))
