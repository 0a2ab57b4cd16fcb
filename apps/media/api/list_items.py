"""Movie and show list items in plain Python: what MovieSerializer and ShowSerializer give, at a fraction of the cost.

A 50-item page through the DRF serializers spent most of its time building the nested field objects and prefetching
~200 model instances (genres, posters) only to read a name and an image off them. Here the genres and posters of a
page are read as values in one query each and each item is one dict. The serializers stay the schema (the OpenAPI
document, the other callers); tests check that both give exactly the same payload.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from rest_framework import serializers

from apps.media.api.image_serializers import _number
from apps.media.images import images_shown
from apps.media.models import Movie, Show

# DRF's own field, so the date format follows the same settings (REST_FRAMEWORK's DATETIME_FORMAT, time zone).
_added_at = serializers.DateTimeField()


def genre_names(*, model: type[Movie] | type[Show], ids: Sequence[int]) -> dict[int, list[str]]:
    """{item id: [genre name, …]} by name, as the genre's ordering gives them, in one query over the M2M table."""
    through = model.genres.through
    owner = through._meta.get_field(model._meta.model_name).attname
    names: dict[int, list[str]] = defaultdict(list)
    rows = through.objects.filter(**{f"{owner}__in": ids}).order_by("genre__name").values_list(owner, "genre__name")
    for item_id, name in rows:
        names[item_id].append(name)
    return names


def _common(item) -> dict:
    return {
        "id": item.pk,
        "library": item.library_id,
        "title": item.title,
        "original_title": item.original_title,
        "sort_title": item.sort_title,
        "year": item.year,
    }


def movie_items(movies: Sequence[Movie]) -> list[dict]:
    """MovieSerializer(movies, many=True).data for a page of movies, in two queries (genres, posters)."""
    ids = [m.pk for m in movies]
    genres = genre_names(model=Movie, ids=ids)
    posters = images_shown(("movie", pk) for pk in ids)
    return [
        {
            **_common(m),
            "edition": m.edition,
            "certification": m.certification,
            "age_rating": m.age_rating,
            "runtime": m.runtime,
            "genres": genres.get(m.pk, []),
            "ids": {"tmdb": _number(m.tmdb_id), "imdb": m.imdb_id or None, "tvdb": None},
            "images": _images(posters.get(("movie", m.pk))),
            "added_at": _added_at.to_representation(m.added_at),
        }
        for m in movies
    ]


def show_items(shows: Sequence[Show]) -> list[dict]:
    """ShowSerializer(shows, many=True).data for a page of shows annotated with their season and episode counts."""
    ids = [s.pk for s in shows]
    genres = genre_names(model=Show, ids=ids)
    posters = images_shown(("show", pk) for pk in ids)
    return [
        {
            **_common(s),
            "certification": s.certification,
            "age_rating": s.age_rating,
            "genres": genres.get(s.pk, []),
            "season_count": s.season_count,
            "episode_count": s.episode_count,
            "ids": {"tmdb": _number(s.tmdb_id), "imdb": s.imdb_id or None, "tvdb": _number(s.tvdb_id)},
            "images": _images(posters.get(("show", s.pk))),
            "added_at": _added_at.to_representation(s.added_at),
        }
        for s in shows
    ]


def _images(poster: dict | None) -> dict[str, dict]:
    return {"poster": poster} if poster else {}
