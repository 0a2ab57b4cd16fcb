"""Movie and show details read as values: what the detail serializers give over `movies_with_details` and
`shows_with_details`, for far less CPU.

The serializer path made ~60 model instances and a prefetch (related managers, per-instance querysets) for each of
genres, studios, artwork, credits, files, streams and subtitles, then built a ModelSerializer per nested level. Here
each of those is one values query compiled once per process (apps/core/prepared_queries.py), and the payload is
assembled from rows with the serializers' own field objects (apps/media/api/plain_fields.py). The web app and the
console keep the model path.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from functools import cache
from types import SimpleNamespace

from django.db.models import Count, QuerySet

from apps.core.prepared_queries import PreparedValues
from apps.libraries.api.path_visibility import may_see_paths
from apps.media.api.catalogue_serializers import (
    FileSerializer,
    MetadataStateSerializer,
    MovieDetailSerializer,
    SeasonSerializer,
    ShowDetailSerializer,
    StreamSerializer,
    SubtitleSerializer,
)
from apps.media.api.image_serializers import provider_ids
from apps.media.api.people_serializers import cast_and_crew
from apps.media.api.plain_fields import PlainFields
from apps.media.images import ArtworkRow, images_payload
from apps.media.models import Artwork, Credit, MediaFile, MediaStream, Movie, Season, Show, Subtitle

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
_SHOW = PlainFields(
    ShowDetailSerializer,
    computed=frozenset({"genres", "ids", "images", "studios", "networks", "cast", "crew", "metadata", "seasons"}),
)
_SEASON = PlainFields(SeasonSerializer, computed=frozenset({"images"}))
_CREDIT_COLUMNS = ("id", "kind", "order", "job", "department", "character", "person_id", "person__name")


def _unique(*columns: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(columns))


@cache
def _title_reads(kind: str) -> SimpleNamespace:
    """The reads of a movie's or show's parts by its id; made on first use, once the serializers' columns are known."""
    model, owner = {"movie": (Movie, "movie_id"), "show": (Show, "show_id")}[kind]
    profile = Artwork.Kind.PROFILE
    return SimpleNamespace(
        genres=PreparedValues(
            lambda pk: model.genres.through.objects.filter(**{owner: pk}).order_by("genre__name"), ["genre__name"]
        ),
        studios=PreparedValues(
            lambda pk: model.studios.through.objects.filter(**{owner: pk}).order_by("studio__name"), ["studio__name"]
        ),
        artwork=PreparedValues(lambda pk: Artwork.objects.filter(**{owner: pk}).order_by(), ArtworkRow._fields),
        credits=PreparedValues(lambda pk: Credit.objects.filter(**{owner: pk}).order_by(), _CREDIT_COLUMNS),
        profiles=PreparedValues(
            lambda pk: Artwork.objects.filter(**{f"person__credits__{owner}": pk}, kind=profile).order_by(),
            ArtworkRow._fields,
        ),
    )


@cache
def _movie_reads() -> SimpleNamespace:
    """A movie's files with their streams and subtitles, by the movie's id."""
    return SimpleNamespace(
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


@cache
def _show_reads() -> SimpleNamespace:
    """A show's seasons with their episode counts and images, by the show's id."""
    episodes = Count("episodes")
    return SimpleNamespace(
        seasons=PreparedValues(
            lambda pk: Season.objects.filter(show_id=pk).annotate(episode_count=episodes).order_by("season_number"),
            _SEASON.columns,
        ),
        artwork=PreparedValues(lambda pk: Artwork.objects.filter(season__show_id=pk).order_by(), ArtworkRow._fields),
    )


class CreditRow:
    """A credit as `cast_and_crew` sorts it, read with its person's name."""

    __slots__ = ("character", "department", "job", "kind", "order", "person_id", "person_name", "pk")

    def __init__(self, row: dict) -> None:
        self.pk, self.kind, self.order = row["id"], row["kind"], row["order"]
        self.job, self.department, self.character = row["job"], row["department"], row["character"]
        self.person_id, self.person_name = row["person_id"], row["person__name"]


def _people(*, reads: SimpleNamespace, pk: int) -> tuple[list[dict], list[dict]]:
    """(cast, crew) as CastSerializer and CrewSerializer give them: credits, then their people's profile images."""
    rows = [CreditRow(row) for row in reads.credits.rows(pk)]
    if not rows:
        return [], []
    owned: dict[int, list[ArtworkRow]] = defaultdict(list)
    for row in reads.profiles.rows(pk):
        owned[row["person_id"]].append(ArtworkRow(**row))
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


def _title_parts(*, kind: str, pk: int, row: dict, context: dict) -> dict:
    """What a movie's and a show's detail share (TitleDetailMixin and the list item's computed fields)."""
    reads = _title_reads(kind)
    cast, crew = _people(reads=reads, pk=pk)
    # Those who manage the library are those who see its paths (as TitleDetailMixin.get_metadata decides).
    managed = context.get("request") is not None and may_see_paths(context, row["library_id"])
    return {
        "genres": [r["genre__name"] for r in reads.genres.rows(pk)],
        "ids": provider_ids(tmdb_id=row["tmdb_id"], imdb_id=row["imdb_id"], tvdb_id=row.get("tvdb_id")),
        "images": images_payload([ArtworkRow(**r) for r in reads.artwork.rows(pk)]),
        "studios": [r["studio__name"] for r in reads.studios.rows(pk)],
        "cast": cast,
        "crew": crew,
        "metadata": _METADATA.render(row) if managed else None,
    }


# A title's row among the visible ones, compiled once per visibility class: the selectors' SQL is made of the class's
# parts alone (visible libraries, limits; `visibility_class` holds every input they read), so a class shares it.
_VISIBLE_ROWS: dict[tuple, PreparedValues] = {}
MOST_CLASSES = 256  # classes a process keeps compiled rows of; past this it starts again


def _visible_row(
    *, kind: str, titles: Callable[[], QuerySet], pk: int, columns: Sequence[str], visibility: Hashable
) -> dict | None:
    prepared = _VISIBLE_ROWS.get((kind, visibility))
    if prepared is None:
        if len(_VISIBLE_ROWS) >= MOST_CLASSES:
            _VISIBLE_ROWS.clear()
        visible = titles().order_by()
        prepared = _VISIBLE_ROWS[(kind, visibility)] = PreparedValues(lambda key: visible.filter(pk=key), columns)
    rows = prepared.rows(pk)
    return rows[0] if rows else None


def movie_detail(*, movies: Callable[[], QuerySet[Movie]], pk: int, context: dict, visibility: Hashable) -> dict | None:
    """MovieDetailSerializer's payload of movie `pk` among `movies()` (the caller's selector's answer), or None when
    not there. `visibility`: the caller's visibility class, for which the row's query is compiled once."""
    columns = _unique(*_MOVIE.columns, "tmdb_id", "imdb_id", "collection_id", "collection__name", *_METADATA.columns)
    row = _visible_row(kind="movie", titles=movies, pk=pk, columns=columns, visibility=visibility)
    if row is None:
        return None
    reads = _movie_reads()
    files = reads.files.rows(pk)
    streams, subtitles = (reads.streams.rows(pk), reads.subtitles.rows(pk)) if files else ([], [])
    payloads = files_payload(files, streams, subtitles, context=context)
    collection = {"id": row["collection_id"], "name": row["collection__name"]} if row["collection_id"] else None
    return _MOVIE.render(
        row,
        {
            **_title_parts(kind="movie", pk=pk, row=row, context=context),
            "collection": collection,
            "files": [p for f, p in zip(files, payloads, strict=True) if not f["extra_type"]],
            "extras": [p for f, p in zip(files, payloads, strict=True) if f["extra_type"]],
        },
    )


def show_detail(*, shows: Callable[[], QuerySet[Show]], pk: int, context: dict, visibility: Hashable) -> dict | None:
    """ShowDetailSerializer's payload of show `pk` among `shows()` (the visible ones, annotated with their season and
    episode counts), or None when not there; `visibility` as for `movie_detail`."""
    columns = _unique(*_SHOW.columns, "tmdb_id", "imdb_id", "tvdb_id", *_METADATA.columns)
    row = _visible_row(kind="show", titles=shows, pk=pk, columns=columns, visibility=visibility)
    if row is None:
        return None
    reads = _show_reads()
    seasons = reads.seasons.rows(pk)
    owned: dict[int, list[ArtworkRow]] = defaultdict(list)
    for r in reads.artwork.rows(pk) if seasons else ():
        owned[r["season_id"]].append(ArtworkRow(**r))
    parts = _title_parts(kind="show", pk=pk, row=row, context=context)
    return _SHOW.render(
        row,
        {
            **parts,
            "networks": list(parts["studios"]),
            "seasons": [_SEASON.render(s, {"images": images_payload(owned[s["id"]])}) for s in seasons],
        },
    )
