"""A movie's detail read as values: what MovieDetailSerializer gives over `movies_with_details`, for far less CPU.

The serializer path made ~60 model instances and a prefetch (related managers, per-instance querysets) for each of
genres, studios, artwork, credits, files, streams and subtitles, then built a ModelSerializer per nested level. Here
each of those is one `.values()` query and the payload is assembled from rows with the serializers' own field objects
(apps/media/api/plain_fields.py). The web app and the console keep the model path (`movies_with_details`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.db.models import QuerySet

from apps.libraries.api.path_visibility import may_see_paths
from apps.media.api.catalogue_serializers import (
    FileSerializer,
    MetadataStateSerializer,
    MovieDetailSerializer,
    StreamSerializer,
    SubtitleSerializer,
)
from apps.media.api.image_serializers import _number
from apps.media.api.list_items import genre_names
from apps.media.api.people_serializers import cast_and_crew
from apps.media.api.plain_fields import PlainFields
from apps.media.images import artwork_rows, images_payload, images_shown
from apps.media.models import Artwork, Credit, MediaFile, MediaStream, Movie, Subtitle

_MOVIE = PlainFields(
    MovieDetailSerializer,
    computed=frozenset(
        {"genres", "ids", "images", "studios", "collection", "cast", "crew", "metadata", "files", "extras"}
    ),
)
_METADATA = PlainFields(MetadataStateSerializer)
_FILE = PlainFields(FileSerializer, computed=frozenset({"name", "streams", "subtitles"}))
_STREAM = PlainFields(StreamSerializer)
_SUBTITLE = PlainFields(SubtitleSerializer)


class CreditRow:
    """A credit as `cast_and_crew` sorts it, read with its person's name."""

    __slots__ = ("character", "department", "job", "kind", "order", "person_id", "person_name", "pk")

    def __init__(self, row: dict) -> None:
        self.pk, self.kind, self.order = row["id"], row["kind"], row["order"]
        self.job, self.department, self.character = row["job"], row["department"], row["character"]
        self.person_id, self.person_name = row["person_id"], row["person__name"]


_CREDIT_COLUMNS = ("id", "kind", "order", "job", "department", "character", "person_id", "person__name")


def studio_names(*, model: type[Movie], pk: int) -> list[str]:
    """The names of an item's studios, by name (the studio's ordering), read through the M2M table."""
    through = model.studios.through
    owner = through._meta.get_field(model._meta.model_name).attname
    return list(through.objects.filter(**{owner: pk}).order_by("studio__name").values_list("studio__name", flat=True))


def _unique(*columns: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(columns))


def people_payload(credits: QuerySet[Credit]) -> tuple[list[dict], list[dict]]:
    """(cast, crew) as CastSerializer and CrewSerializer give them, in two queries (credits, profile images)."""
    rows = [CreditRow(row) for row in credits.order_by().values(*_CREDIT_COLUMNS)]
    profiles = images_shown(("person", row.person_id) for row in rows)
    cast, crew = cast_and_crew(rows)

    def person(row: CreditRow) -> dict:
        image = profiles.get(("person", row.person_id))
        return {"person": row.person_id, "name": row.person_name, "images": {"profile": image} if image else {}}

    return (
        [{**person(c), "character": c.character, "order": c.order} for c in cast],
        [{**person(c), "job": c.job, "department": c.department} for c in crew],
    )


def file_rows(files: QuerySet[MediaFile]) -> QuerySet:
    """The columns `files_payload` reads."""
    return files.values(*_unique("library_id", *_FILE.columns))


def files_payload(files: Sequence[dict], *, context: dict) -> list[dict]:
    """FileSerializer's payload of file rows (`file_rows`): their streams and subtitles in one query each."""
    ids = [f["id"] for f in files]
    streams, subtitles = defaultdict(list), defaultdict(list)
    if ids:
        for row in MediaStream.objects.filter(file_id__in=ids).order_by("index").values("file_id", *_STREAM.columns):
            streams[row["file_id"]].append(_STREAM.render(row))
        rows = (
            Subtitle.objects.filter(file_id__in=ids).order_by("language", "path").values("file_id", *_SUBTITLE.columns)
        )
        for row in rows:
            subtitles[row["file_id"]].append(_SUBTITLE.render(row))
    payload = []
    for f in files:
        data = _FILE.render(
            f,
            {"name": f["path"].rsplit("/", 1)[-1], "streams": streams[f["id"]], "subtitles": subtitles[f["id"]]},
        )
        if not may_see_paths(context, f["library_id"]):
            data.pop("path")
        payload.append(data)
    return payload


def movie_detail(*, movies: QuerySet[Movie], pk: int, context: dict) -> dict | None:
    """MovieDetailSerializer's payload of movie `pk` among `movies` (the visible ones), or None when not there."""
    columns = _unique(*_MOVIE.columns, "tmdb_id", "imdb_id", "collection_id", "collection__name", *_METADATA.columns)
    row = next(iter(movies.filter(pk=pk).values(*columns)), None)
    if row is None:
        return None
    cast, crew = people_payload(Credit.objects.filter(movie_id=pk))
    files = list(file_rows(MediaFile.objects.filter(movie_id=pk).order_by("part", "path")))
    payloads = files_payload(files, context=context)
    # Those who manage the library are those who see its paths (as TitleDetailMixin.get_metadata decides).
    managed = context.get("request") is not None and may_see_paths(context, row["library_id"])
    collection = {"id": row["collection_id"], "name": row["collection__name"]} if row["collection_id"] else None
    return _MOVIE.render(
        row,
        {
            "genres": genre_names(model=Movie, ids=[pk]).get(pk, []),
            "ids": {"tmdb": _number(row["tmdb_id"]), "imdb": row["imdb_id"] or None, "tvdb": None},
            "images": images_payload(artwork_rows(Artwork.objects.filter(movie_id=pk))),
            "studios": studio_names(model=Movie, pk=pk),
            "collection": collection,
            "cast": cast,
            "crew": crew,
            "metadata": _METADATA.render(row) if managed else None,
            "files": [p for f, p in zip(files, payloads, strict=True) if not f["extra_type"]],
            "extras": [p for f, p in zip(files, payloads, strict=True) if f["extra_type"]],
        },
    )
