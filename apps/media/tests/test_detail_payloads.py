"""A movie's detail read as values is exactly what MovieDetailSerializer gives over `movies_with_details`, and what
the API answers: same keys in the same order, same values, paths and metadata state for managers only."""

from __future__ import annotations

import json

import pytest
from django.db.models import Count
from rest_framework.test import APIRequestFactory

from apps.core.testing.catalogue import movie_make
from apps.core.testing.clients import client_for
from apps.core.testing.people import kids_role_make, user_make
from apps.libraries import services as library_services
from apps.media.api.catalogue_serializers import MovieDetailSerializer, ShowDetailSerializer
from apps.media.api.catalogue_views import movies_with_details, shows_with_details
from apps.media.api.detail_payloads import movie_detail, show_detail
from apps.media.models import Episode, Genre, MediaFile, MediaStream, Movie, Person, Season, Show, Studio, Subtitle
from apps.media.selectors import movies_visible_to, shows_visible_to, visibility_class
from apps.media.tests.metadata_world import art, credit

pytestmark = pytest.mark.django_db


def _file(movie: Movie, name: str, **fields) -> MediaFile:
    return MediaFile.objects.create(
        library=movie.library, movie=movie, path=f"/m/{name}", size=123_456, mtime_ns=1, **fields
    )


@pytest.fixture
def movies(world) -> dict:
    matrix = world["matrix"]
    matrix.genres.set([Genre.objects.create(name="Sci-Fi"), Genre.objects.create(name="Action")])
    matrix.studios.set([Studio.objects.create(name="Warner"), Studio.objects.create(name="Village Roadshow")])
    matrix.metadata_status, matrix.match_score, matrix.locked_fields = "matched", 0.93, ["title", "year"]
    matrix.nfo_fields, matrix.runtime, matrix.edition = ["tagline"], 136, "Remastered"
    matrix.save()
    main = _file(
        matrix, "The Matrix.mkv", part=1, container="matroska", duration=8160.5, bitrate=9_000_000, probe_status="ok"
    )
    MediaStream.objects.create(file=main, index=1, type="audio", codec="dts", channels=6, language="eng", default=True)
    MediaStream.objects.create(
        file=main, index=0, type="video", codec="hevc", width=3840, height=1600, frame_rate=23.976, hdr="hdr10"
    )
    Subtitle.objects.create(file=main, path="/m/The Matrix.fr.srt", language="fr", format="srt", forced=True)
    Subtitle.objects.create(file=main, path="/m/The Matrix.en.srt", language="en", format="srt", sdh=True)
    _file(matrix, "The Matrix.part2.mkv", part=2, version="1080p", is_3d=True)
    _file(matrix, "Making of.mkv", extra_type="featurette")
    bare = movie_make(library=world["movies"], title="Bare", year=None)
    art("poster", "", movie=bare)  # not fetched: no image
    return {**world, "bare": bare}


def _same(fast: dict | None, slow: dict) -> None:
    assert fast is not None
    assert json.dumps(fast) == json.dumps(slow)  # order of keys included, at every level


@pytest.mark.parametrize("role", ["user", "admin"])
def test_a_movie_detail_read_as_values_is_what_the_serializer_gives(movies, role):
    user = user_make("alice", role=role)
    request = APIRequestFactory().get("/")
    request.user = user
    for movie in (movies["matrix"], movies["bare"]):
        fast = movie_detail(
            movies=lambda: movies_visible_to(user=user),
            pk=movie.pk,
            context={"request": request},
            visibility=visibility_class(user=user),
        )
        slow = MovieDetailSerializer(
            movies_with_details(movies=movies_visible_to(user=user).prefetch_related("genres")).get(pk=movie.pk),
            context={"request": request},
        ).data
        _same(fast, json.loads(json.dumps(slow)))
    fast = movie_detail(
        movies=lambda: movies_visible_to(user=user),
        pk=movies["matrix"].pk,
        context={"request": request},
        visibility=visibility_class(user=user),
    )
    assert [f["name"] for f in fast["files"]] == ["The Matrix.mkv", "The Matrix.part2.mkv"]
    assert [s["index"] for s in fast["files"][0]["streams"]] == [0, 1]
    assert [f["extra_type"] for f in fast["extras"]] == ["featurette"]
    assert ("path" in fast["files"][0], fast["metadata"] is not None) == ((role == "admin",) * 2)


def test_the_api_answers_the_serializers_detail(movies):
    user = user_make("alice")
    request = APIRequestFactory().get("/")
    request.user = user
    matrix = movies_with_details(movies=movies_visible_to(user=user).prefetch_related("genres")).get(
        pk=movies["matrix"].pk
    )
    slow = json.loads(json.dumps(MovieDetailSerializer(matrix, context={"request": request}).data))
    assert client_for(user).get(f"/api/v1/movies/{matrix.pk}/").json() == slow
    assert list(client_for(user).get(f"/api/v1/movies/{matrix.pk}/").json()) == list(slow)


def test_a_movie_outside_the_visible_ones_has_no_detail(movies):
    user = user_make("alice")
    hidden = movie_make(library=movies["movies"], title="No File", has_main_file=False)
    request = APIRequestFactory().get("/")
    request.user = user
    visibility = visibility_class(user=user)
    found = movie_detail(
        movies=lambda: movies_visible_to(user=user), pk=hidden.pk, context={"request": request}, visibility=visibility
    )
    assert found is None
    assert client_for(user).get(f"/api/v1/movies/{hidden.pk}/").status_code == 404


@pytest.mark.parametrize("role", ["user", "admin"])
def test_a_show_detail_read_as_values_is_what_the_serializer_gives(world, role):
    lost = world["show"]
    lost.genres.set([Genre.objects.create(name="Drama")])
    lost.studios.set([Studio.objects.create(name="ABC"), Studio.objects.create(name="Touchstone")])
    lost.metadata_status, lost.nfo_fields = "unmatched", ["title"]
    lost.save()
    two = Season.objects.create(show=lost, season_number=2, title="Season Two", air_date="2005-09-21")
    art("poster", "1" * 64, season=two, source="tmdb")
    art("fanart", "2" * 64, season=two)
    for number in (1, 2):
        Episode.objects.create(show=lost, season=two, match_key=f"s02e0{number}", episode_number=number, title="E")
    credit(Person.objects.create(name="Jack Bender"), "crew", show=lost, job="Director", department="Directing")
    empty = Show.objects.create(library=world["tv"], match_key="empty", title="Empty")
    user = user_make("alice", role=role)
    request = APIRequestFactory().get("/")
    request.user = user
    counts = {"season_count": Count("seasons", distinct=True), "episode_count": Count("episodes", distinct=True)}
    for show in (lost, empty):
        fast = show_detail(
            shows=lambda: shows_visible_to(user=user).annotate(**counts),
            pk=show.pk,
            context={"request": request},
            visibility=visibility_class(user=user),
        )
        slow = ShowDetailSerializer(
            shows_with_details(shows=shows_visible_to(user=user)).get(pk=show.pk), context={"request": request}
        ).data
        _same(fast, json.loads(json.dumps(slow)))
    body = client_for(user).get(f"/api/v1/shows/{lost.pk}/").json()
    assert [(s["season_number"], s["episode_count"], sorted(s["images"])) for s in body["seasons"]] == [
        (1, 1, ["poster"]),
        (2, 2, ["fanart", "poster"]),
    ]
    assert (body["networks"], body["metadata"] is not None) == (["ABC", "Touchstone"], role == "admin")


def test_users_of_one_visibility_class_have_the_same_selector_sql(movies):
    """A detail's row is compiled once per visibility class: that holds only while the selectors' SQL is made of the
    class's parts (visible libraries, limits), never of who the user is."""
    alice, bob, kid = user_make("alice"), user_make("bob"), user_make("kid", role=kids_role_make())
    grants = library_services.library_grants(library=movies["movies"])
    grants["roles"]["kids"] = ["view_library"]
    library_services.library_grants_set(library=movies["movies"], **grants, by=None)
    assert visibility_class(user=alice) == visibility_class(user=bob) != visibility_class(user=kid)
    for selector in (movies_visible_to, shows_visible_to):
        assert str(selector(user=alice).query) == str(selector(user=bob).query)
        assert str(selector(user=alice).query) != str(selector(user=kid).query)
    limited = movie_make(library=movies["movies"], title="Grown Ups", age_rating=18)
    request = APIRequestFactory().get("/")
    for user, seen in ((alice, True), (kid, False), (bob, True)):
        request.user = user
        found = movie_detail(
            movies=lambda user=user: movies_visible_to(user=user),
            pk=limited.pk,
            context={"request": request},
            visibility=visibility_class(user=user),
        )
        assert (found is not None) == seen, user.username
