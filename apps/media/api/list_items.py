"""Movie and show list items in plain Python: what MovieSerializer and ShowSerializer give, at a fraction of the cost.

A 50-item page through the DRF serializers spent most of its time building the nested field objects and model
instances (the items, ~200 prefetched genres and posters) only to read a few columns off them. Here a page is read as
values, its genres and posters in one query each (compiled once per page length), and each item is one dict. The
serializers stay the schema (the OpenAPI document, the other callers); tests check both give the same payload.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.db.models import QuerySet
from rest_framework import serializers

from apps.core.prepared_queries import PreparedValues
from apps.media.api.image_serializers import provider_ids
from apps.media.images import ArtworkRow, images_payload
from apps.media.models import Artwork, Movie, Show

# DRF's own field, so the date format follows the same settings (REST_FRAMEWORK's DATETIME_FORMAT, time zone).
_added_at = serializers.DateTimeField()
_COLUMNS = ("id", "library_id", "title", "original_title", "sort_title", "year", "certification", "age_rating")
MOVIE_COLUMNS = (*_COLUMNS, "edition", "runtime", "tmdb_id", "imdb_id", "added_at")
SHOW_COLUMNS = (*_COLUMNS, "season_count", "episode_count", "tmdb_id", "imdb_id", "tvdb_id", "added_at")


def movie_rows(movies: QuerySet[Movie]) -> QuerySet:
    """The columns `movie_items` reads, as values (filtered, ordered and sliced as the queryset is)."""
    return movies.values(*MOVIE_COLUMNS)


def show_rows(shows: QuerySet[Show]) -> QuerySet:
    """The columns `show_items` reads; `shows` is annotated with its season and episode counts."""
    return shows.values(*SHOW_COLUMNS)


def _reads(model: type[Movie] | type[Show]) -> tuple[PreparedValues, PreparedValues]:
    """The genre names and the posters of a page's items, by their ids; compiled once per page length."""
    through = model.genres.through
    owner = through._meta.get_field(model._meta.model_name).attname
    genres = PreparedValues(
        lambda ids: through.objects.filter(**{f"{owner}__in": ids}).order_by("genre__name"), [owner, "genre__name"]
    )
    kind = model._meta.model_name
    posters = PreparedValues(
        lambda ids: Artwork.objects.filter(**{f"{kind}_id__in": ids}, kind=Artwork.Kind.POSTER).order_by(),
        ArtworkRow._fields,
    )
    return genres, posters


_READS = {Movie: _reads(Movie), Show: _reads(Show)}


def genres_and_posters(*, model: type[Movie] | type[Show], ids: Sequence[int]) -> tuple[dict, dict]:
    """({id: [genre name, …]} by name as the genre's ordering gives them, {id: poster image}), one query each."""
    genre_reads, poster_reads = _READS[model]
    names: dict[int, list[str]] = defaultdict(list)
    owner = genre_reads.columns[0]
    for row in genre_reads.rows(tuple(ids)):
        names[row[owner]].append(row["genre__name"])
    owned: dict[int, list[ArtworkRow]] = defaultdict(list)
    owner = f"{model._meta.model_name}_id"
    for row in poster_reads.rows(tuple(ids)):
        owned[row[owner]].append(ArtworkRow(**row))
    posters = {pk: images_payload(artworks).get("poster") for pk, artworks in owned.items()}
    return names, posters


def _common(row: dict) -> dict:
    return {
        "id": row["id"],
        "library": row["library_id"],
        "title": row["title"],
        "original_title": row["original_title"],
        "sort_title": row["sort_title"],
        "year": row["year"],
    }


def movie_items(rows: Sequence[dict]) -> list[dict]:
    """MovieSerializer(movies, many=True).data for a page of `movie_rows`, in two queries (genres, posters)."""
    ids = [row["id"] for row in rows]
    genres, posters = genres_and_posters(model=Movie, ids=ids)
    return [
        {
            **_common(row),
            "edition": row["edition"],
            "certification": row["certification"],
            "age_rating": row["age_rating"],
            "runtime": row["runtime"],
            "genres": genres.get(row["id"], []),
            "ids": provider_ids(tmdb_id=row["tmdb_id"], imdb_id=row["imdb_id"]),
            "images": _images(posters.get(row["id"])),
            "added_at": _added_at.to_representation(row["added_at"]),
        }
        for row in rows
    ]


def show_items(rows: Sequence[dict]) -> list[dict]:
    """ShowSerializer(shows, many=True).data for a page of `show_rows`, in two queries (genres, posters)."""
    ids = [row["id"] for row in rows]
    genres, posters = genres_and_posters(model=Show, ids=ids)
    return [
        {
            **_common(row),
            "certification": row["certification"],
            "age_rating": row["age_rating"],
            "genres": genres.get(row["id"], []),
            "season_count": row["season_count"],
            "episode_count": row["episode_count"],
            "ids": provider_ids(tmdb_id=row["tmdb_id"], imdb_id=row["imdb_id"], tvdb_id=row["tvdb_id"]),
            "images": _images(posters.get(row["id"])),
            "added_at": _added_at.to_representation(row["added_at"]),
        }
        for row in rows
    ]


def _images(poster: dict | None) -> dict[str, dict]:
    return {"poster": poster} if poster else {}
