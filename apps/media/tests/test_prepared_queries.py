"""Prepared queries answer what the ORM answers for each key: the same rows, values converted the same way."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.prepared_queries import PreparedValues
from apps.core.testing.catalogue import movie_make
from apps.media.models import Movie

pytestmark = pytest.mark.django_db

COLUMNS = ("id", "title", "year", "added_at", "nfo_fields", "vote_average", "library_id")


def test_one_key_gives_the_rows_the_orm_gives(world):
    movies = world["movies"]
    second = movie_make(library=movies, title="Second", nfo_fields=["title", "year"], vote_average=7.5)
    by_id = PreparedValues(lambda pk: Movie.objects.filter(pk=pk), COLUMNS)
    for movie in (world["matrix"], second, world["matrix"]):  # the second call runs the SQL compiled by the first
        assert by_id.rows(movie.pk) == list(Movie.objects.filter(pk=movie.pk).values(*COLUMNS))
    (row,) = by_id.rows(second.pk)
    assert row["nfo_fields"] == ["title", "year"] and row["added_at"] == second.added_at
    assert by_id.rows(-1) == []


def test_a_tuple_of_keys_gives_the_rows_of_each_in_the_querys_order(world):
    movies = world["movies"]
    made = [movie_make(library=movies, title=f"Movie {n}", year=2000 + n) for n in range(5)]
    by_ids = PreparedValues(lambda ids: Movie.objects.filter(pk__in=ids).order_by("-year", "pk"), COLUMNS)
    for ids in ([m.pk for m in made[:3]], [m.pk for m in made[2:]], [made[0].pk, world["matrix"].pk]):
        expected = list(Movie.objects.filter(pk__in=ids).order_by("-year", "pk").values(*COLUMNS))
        assert by_ids.rows(tuple(ids)) == expected
    with CaptureQueriesContext(connection) as queries:
        assert by_ids.rows(()) == []
    assert not queries.captured_queries


def test_a_query_that_does_not_use_its_key_is_refused(world):
    with pytest.raises(ValueError, match="parameter"):
        PreparedValues(lambda pk: Movie.objects.filter(year=1999), COLUMNS).rows(1)


def test_a_query_that_can_match_nothing_asks_nothing(world):
    # A user who sees no library: the selector's `library__in=[]` is a condition the ORM answers without SQL.
    unseen = PreparedValues(lambda pk: Movie.objects.filter(pk=pk, library__in=[]), COLUMNS)
    with CaptureQueriesContext(connection) as queries:
        assert unseen.rows(world["matrix"].pk) == [] and unseen.rows(world["matrix"].pk) == []
    assert queries.captured_queries == []
