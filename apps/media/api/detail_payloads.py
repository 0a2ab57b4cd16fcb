"""A movie's detail read as values: what MovieDetailSerializer gives over `movies_with_details`, for far less CPU.

The serializer path made ~60 model instances and a prefetch (related managers, per-instance querysets) for each of
genres, studios, artwork, credits, files, streams and subtitles, then built a ModelSerializer per nested level. Here
each of those is one values query compiled once per process (apps/core/prepared_queries.py), and the payload is
assembled from rows with the serializers' own field objects (apps/media/api/plain_fields.py). The web app and the
console keep the model path (`movies_with_details`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import cache
from types import SimpleNamespace

from django.db.models import QuerySet

from apps.core.prepared_queries import PreparedValues
from apps.libraries.api.path_visibility import may_see_paths
from apps.media.api.catalogue_serializers import (
    FileSerializer,
    MetadataStateSerializer,
    MovieDetailSerializer,
    StreamSerializer,
    SubtitleSerializer,
)
from apps.media.api.image_serializers import _number
from apps.media.api.people_serializers import cast_and_crew
from apps.media.api.plain_fields import PlainFields
from apps.media.images import ArtworkRow, images_payload
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
_CREDIT_COLUMNS = ("id", "kind", "order", "job", "department", "character", "person_id", "person__name")


def _unique(*columns: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(columns))


@cache
def _movie_reads() -> SimpleNamespace:
    """The reads of a movie's parts by its id; made on first use, once the serializers' columns can be known."""
    profile = Artwork.Kind.PROFILE
    return SimpleNamespace(
        genres=PreparedValues(
            lambda pk: Movie.genres.through.objects.filter(movie_id=pk).order_by("genre__name"), ["genre__name"]
        ),
        studios=PreparedValues(
            lambda pk: Movie.studios.through.objects.filter(movie_id=pk).order_by("studio__name"), ["studio__name"]
        ),
        artwork=PreparedValues(lambda pk: Artwork.objects.filter(movie_id=pk).order_by(), ArtworkRow._fields),
        credits=PreparedValues(lambda pk: Credit.objects.filter(movie_id=pk).order_by(), _CREDIT_COLUMNS),
        profiles=PreparedValues(
            lambda pk: Artwork.objects.filter(person__credits__movie_id=pk, kind=profile).order_by(), ArtworkRow._fields
        ),
        files=PreparedValues(
            lambda pk: MediaFile.objects.filter(movie_id=pk).order_by("part", "path"),
            _unique("library_id", *_FILE.columns),
        ),
        streams=PreparedValues(
            lambda pk: MediaStream.objects.filter(file__movie_id=pk).order_by("index"), ("file_id", *_STREAM.columns)
        ),
        subtitles=PreparedValues(
            lambda pk: Subtitle.objects.filter(file__movie_id=pk).order_by("language", "path"),
            ("file_id", *_SUBTITLE.columns),
        ),
    )


class CreditRow:
    """A credit as `cast_and_crew` sorts it, read with its person's name."""

    __slots__ = ("character", "department", "job", "kind", "order", "person_id", "person_name", "pk")

    def __init__(self, row: dict) -> None:
        self.pk, self.kind, self.order = row["id"], row["kind"], row["order"]
        self.job, self.department, self.character = row["job"], row["department"], row["character"]
        self.person_id, self.person_name = row["person_id"], row["person__name"]


def people_payload(*, reads: SimpleNamespace, pk: int) -> tuple[list[dict], list[dict]]:
    """(cast, crew) as CastSerializer and CrewSerializer give them: credits, then their people's profile images."""
    rows = [CreditRow(row) for row in reads.credits.rows(pk)]
    if not rows:
        return [], []
    owned: dict[int, list[ArtworkRow]] = defaultdict(list)
    for row in reads.profiles.rows(pk):
        owned[row["person_id"]].append(ArtworkRow(*row.values()))
    profiles = {person_id: images_payload(artworks) for person_id, artworks in owned.items()}
    cast, crew = cast_and_crew(rows)

    def person(row: CreditRow) -> dict:
        return {"person": row.person_id, "name": row.person_name, "images": profiles.get(row.person_id, {})}

    return (
        [{**person(c), "character": c.character, "order": c.order} for c in cast],
        [{**person(c), "job": c.job, "department": c.department} for c in crew],
    )


def files_payload(files: Sequence[dict], streams: Sequence[dict], subtitles: Sequence[dict], *, context) -> list[dict]:
    """FileSerializer's payload of file rows with their streams and subtitles (rows with a `file_id`)."""
    streams_of, subtitles_of = defaultdict(list), defaultdict(list)
    for row in streams:
        streams_of[row["file_id"]].append(_STREAM.render(row))
    for row in subtitles:
        subtitles_of[row["file_id"]].append(_SUBTITLE.render(row))
    payload = []
    for f in files:
        name = f["path"].rsplit("/", 1)[-1]
        data = _FILE.render(f, {"name": name, "streams": streams_of[f["id"]], "subtitles": subtitles_of[f["id"]]})
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
    reads = _movie_reads()
    cast, crew = people_payload(reads=reads, pk=pk)
    files = reads.files.rows(pk)
    streams, subtitles = (reads.streams.rows(pk), reads.subtitles.rows(pk)) if files else ([], [])
    payloads = files_payload(files, streams, subtitles, context=context)
    # Those who manage the library are those who see its paths (as TitleDetailMixin.get_metadata decides).
    managed = context.get("request") is not None and may_see_paths(context, row["library_id"])
    collection = {"id": row["collection_id"], "name": row["collection__name"]} if row["collection_id"] else None
    return _MOVIE.render(
        row,
        {
            "genres": [r["genre__name"] for r in reads.genres.rows(pk)],
            "ids": {"tmdb": _number(row["tmdb_id"]), "imdb": row["imdb_id"] or None, "tvdb": None},
            "images": images_payload([ArtworkRow(*r.values()) for r in reads.artwork.rows(pk)]),
            "studios": [r["studio__name"] for r in reads.studios.rows(pk)],
            "collection": collection,
            "cast": cast,
            "crew": crew,
            "metadata": _METADATA.render(row) if managed else None,
            "files": [p for f, p in zip(files, payloads, strict=True) if not f["extra_type"]],
            "extras": [p for f, p in zip(files, payloads, strict=True) if f["extra_type"]],
        },
    )
