"""Writes of the catalogue: files with their streams and subtitles, and the items they belong to.

Everything here works on batches so that a scan costs a few queries per batch, not per file.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from apps.core import events
from apps.core.bulk import objects_insert, rows_insert
from apps.media.artwork_local import artwork_local_write
from apps.media.availability import availability_announce, items_playable
from apps.media.languages import language_normalize
from apps.media.models import (
    Episode,
    Genre,
    MediaFile,
    MediaStream,
    MetadataStatus,
    Movie,
    Season,
    Show,
    Studio,
    Subtitle,
)
from apps.media.ratings import certification_age

if TYPE_CHECKING:
    from apps.libraries.models import Library

# The records are apps.scanning.indexer.IndexedFile; scanning sits above media, so media only names the type.
IndexedFile = Any

_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
STREAM_FIELDS = [
    f.name for f in MediaStream._meta.concrete_fields if f.name not in {"id", "file"} and not f.is_relation
]


@dataclass
class IndexCounts:
    added: int = 0
    updated: int = 0


def fit(model: type[models.Model], field: str, value: str | None) -> str:
    """Cut a string to the column's length: names and tags from files can be any length."""
    value = value or ""
    limit = model._meta.get_field(field).max_length
    return value[:limit] if limit else value


def match_text(text: str) -> str:
    """Title reduced to what identifies it: case, accents and punctuation do not matter."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_WORD.sub(" ", plain).strip()


def movie_key(record: IndexedFile) -> str:
    parsed = record.parsed
    return f"{match_text(parsed.title)}|{parsed.year or ''}|{match_text(parsed.edition)}"[:600]


def show_key(record: IndexedFile) -> str:
    return f"{match_text(record.parsed.title)}|{record.parsed.year or ''}"[:600]


def episode_key(record: IndexedFile) -> str | None:
    parsed = record.parsed
    if parsed.episode is not None:
        end = f"-{parsed.episode_end}" if parsed.episode_end and parsed.episode_end != parsed.episode else ""
        return f"e{parsed.episode}{end}"
    if parsed.air_date is not None:
        return f"d{parsed.air_date.isoformat()}"
    if parsed.absolute is not None:
        return f"a{parsed.absolute}"
    return None


def season_number(record: IndexedFile) -> int:
    parsed = record.parsed
    if parsed.season is not None:
        return parsed.season
    if parsed.air_date is not None:
        return parsed.air_date.year
    return 1


def files_index(*, library: Library, records: list[IndexedFile]) -> IndexCounts:
    """Create or update the files of `records` and attach each to its movie or episode."""
    counts = IndexCounts()
    if not records:
        return counts
    now = timezone.now()
    with transaction.atomic():
        existing = {f.path: f for f in MediaFile.objects.filter(library=library, path__in=[r.path for r in records])}
        previous_owners = {(f.movie_id, f.episode_id) for f in existing.values()}
        if library.kind == "movies":
            owners = _movies_for(library, [r for r in records if r.probe is not None])
        else:
            owners = _episodes_for(library, [r for r in records if r.probe is not None])
        movie_ids_now = {o.pk for o in owners.values() if isinstance(o, Movie)}
        episode_ids_now = {o.pk for o in owners.values() if isinstance(o, Episode)}
        playable_before = items_playable(movie_ids=movie_ids_now, episode_ids=episode_ids_now)
        new_files, changed_files = [], []
        for record in records:
            row = existing.get(record.path) or MediaFile(library=library, path=record.path)
            _fill_file(row, record, owners.get(record.path), now)
            (changed_files if row.pk else new_files).append(row)
        objects_insert(new_files)
        if changed_files:
            MediaFile.objects.bulk_update(changed_files, FILE_UPDATE_FIELDS)
            changed_ids = [f.pk for f in changed_files]
            MediaStream.objects.filter(file_id__in=changed_ids).delete()
            Subtitle.objects.filter(file_id__in=changed_ids).delete()
        files_by_path = {f.path: f for f in [*new_files, *changed_files]}
        _write_streams_and_subtitles(records, files_by_path)
        artwork_local_write(records=records, owners=owners)
        counts.added, counts.updated = len(new_files), len(changed_files)
        movie_ids = {m for m, _e in previous_owners if m}
        episode_ids = {e for _m, e in previous_owners if e}
        movies_main_file_refresh(movie_ids=movie_ids | {f.movie_id for f in files_by_path.values() if f.movie_id})
        items_prune(movie_ids=movie_ids, episode_ids=episode_ids)
        availability_announce(movie_ids=movie_ids_now, episode_ids=episode_ids_now, before=playable_before)
    return counts


def movies_main_file_refresh(*, movie_ids: Iterable[int]) -> None:
    """Recompute `has_main_file` of these movies in one query."""
    movie_ids = list(movie_ids)
    if movie_ids:
        main = MediaFile.objects.filter(movie=OuterRef("pk"), extra_type="")
        # Only rows whose flag changes are written: a rewritten movie row updates all of its indexes (the title's
        # trigram index too), and a new movie is created with the right flag.
        stale = Movie.objects.filter(pk__in=movie_ids).exclude(has_main_file=Exists(main))
        stale.update(has_main_file=Exists(main))


FILE_UPDATE_FIELDS = [
    "path",
    "size",
    "mtime_ns",
    "device",
    "inode",
    "fingerprint",
    "container",
    "duration",
    "bitrate",
    "probe_status",
    "probe_error",
    "movie",
    "episode",
    "part",
    "version",
    "extra_type",
    "is_3d",
    "last_scanned_at",
]


def _fill_file(row: MediaFile, record: IndexedFile, owner: Movie | Episode | None, now) -> None:
    stat, parsed, probe = record.stat, record.parsed, record.probe
    row.path, row.size, row.mtime_ns = record.path, stat.size, stat.mtime_ns
    row.device, row.inode, row.fingerprint = stat.device, stat.inode, record.fingerprint
    row.container = fit(MediaFile, "container", probe.container if probe else "")
    row.duration = probe.duration if probe else None
    row.bitrate = probe.bitrate if probe else None
    row.probe_status = MediaFile.ProbeStatus.OK if probe else MediaFile.ProbeStatus.FAILED
    row.probe_error = record.probe_error
    row.movie = owner if isinstance(owner, Movie) else None
    row.episode = owner if isinstance(owner, Episode) else None
    row.part = parsed.part if parsed.part and parsed.part < 1000 else None
    row.version = fit(MediaFile, "version", parsed.version or parsed.edition)
    row.extra_type = fit(MediaFile, "extra_type", parsed.extra_type)
    row.is_3d = parsed.is_3d
    row.last_scanned_at = now


def _write_streams_and_subtitles(records: list[IndexedFile], files_by_path: dict[str, MediaFile]) -> None:
    streams, subtitles = [], []
    limits = {name: MediaStream._meta.get_field(name).max_length for name in STREAM_FIELDS}
    for record in records:
        row = files_by_path[record.path]
        for info in record.probe.streams if record.probe else []:
            values = {name: getattr(info, name, None) for name in STREAM_FIELDS}
            for name, value in values.items():
                if isinstance(value, str):
                    values[name] = value[: limits[name]] if limits[name] else value
            values["language"] = language_normalize(info.language) or fit(MediaStream, "language", info.language)
            streams.append((row.pk, *values.values()))
        for path, found in record.subtitles:
            subtitles.append(
                Subtitle(
                    file=row,
                    path=fit(Subtitle, "path", path),
                    language=found.language,
                    forced=found.forced,
                    sdh=found.sdh,
                    default=found.default,
                    format=fit(Subtitle, "format", found.format),
                    title=fit(Subtitle, "title", found.title),
                )
            )
    _insert_streams(streams)
    Subtitle.objects.bulk_create(subtitles, batch_size=1000)


def _insert_streams(rows: list[tuple]) -> None:
    """Insert (file_id, *STREAM_FIELDS) rows as they are: bulk_create's per-value preparation of these plain
    values was a fifth of a first scan's time. Like bulk_create, no signals are sent."""
    rows_insert(MediaStream, ["file", *STREAM_FIELDS], rows)


def _get_or_create_many(model: type[models.Model], lookup: dict, keys: Iterable[str], defaults: dict[str, dict]):
    """Rows of `model` by match_key, creating the missing ones; returns (rows by key, keys created)."""
    keys = set(keys)
    rows = {row.match_key: row for row in model.objects.filter(match_key__in=keys, **lookup)}
    missing = [key for key in keys if key not in rows]
    created = []
    if missing:
        try:
            with transaction.atomic():
                made = objects_insert([model(match_key=key, **lookup, **defaults[key]) for key in missing])
            rows.update({row.match_key: row for row in made})
            created = missing
        except IntegrityError:
            # Another worker created some of them meanwhile: fall back to one at a time.
            for key in missing:
                row, was_created = model.objects.get_or_create(match_key=key, **lookup, defaults=defaults[key])
                rows[key] = row
                if was_created:
                    created.append(key)
    return rows, created


def _movies_for(library: Library, records: list[IndexedFile]) -> dict[str, Movie]:
    by_key: dict[str, list[IndexedFile]] = defaultdict(list)
    for record in records:
        if record.parsed.title:
            by_key[movie_key(record)].append(record)
    defaults = {}
    for key, group in by_key.items():
        parsed = group[0].parsed
        defaults[key] = {
            "title": fit(Movie, "title", parsed.title),
            "sort_title": fit(Movie, "sort_title", sort_title(parsed.title)),
            "year": parsed.year,
            "edition": fit(Movie, "edition", parsed.edition),
            # Every file of the group will be the new movie's: movies_main_file_refresh then has nothing to write.
            "has_main_file": any(not fit(MediaFile, "extra_type", r.parsed.extra_type) for r in group),
        }
        defaults[key].update(_name_ids(Movie, group))
    movies, created = _get_or_create_many(Movie, {"library": library}, by_key, defaults)
    _name_ids_apply(Movie, [(movies[key], defaults[key]) for key in by_key if key not in created])
    nfos = [
        (key, next((r.nfo for r in group if r.nfo is not None and not r.parsed.extra_type), None))
        for key, group in by_key.items()
    ]
    _apply_nfos([(movies[key], nfo) for key, nfo in nfos if nfo is not None])
    for key in created:
        movie = movies[key]
        events.emit("movie.added", movie_id=movie.pk, library_id=library.pk, title=movie.title, year=movie.year)
    return {r.path: movies[key] for key, group in by_key.items() for r in group}


def _episodes_for(library: Library, records: list[IndexedFile]) -> dict[str, Episode]:
    usable = [r for r in records if r.parsed.title and episode_key(r) is not None]
    by_show: dict[str, list[IndexedFile]] = defaultdict(list)
    for record in usable:
        by_show[show_key(record)].append(record)
    show_defaults = {
        key: {
            "title": fit(Show, "title", group[0].parsed.title),
            "sort_title": fit(Show, "sort_title", sort_title(group[0].parsed.title)),
            "year": group[0].parsed.year,
        }
        for key, group in by_show.items()
    }
    for key, group in by_show.items():
        show_defaults[key].update(_name_ids(Show, group))
    shows, created_shows = _get_or_create_many(Show, {"library": library}, by_show, show_defaults)
    _name_ids_apply(Show, [(shows[key], show_defaults[key]) for key in by_show if key not in created_shows])
    nfos = [(key, next((r.show_nfo for r in group if r.show_nfo is not None), None)) for key, group in by_show.items()]
    _apply_nfos([(shows[key], nfo) for key, nfo in nfos if nfo is not None])
    seasons = _seasons_for(shows, by_show)
    result: dict[str, Episode] = {}
    for show_k, group in by_show.items():
        show = shows[show_k]
        by_season: dict[int, list[IndexedFile]] = defaultdict(list)
        for record in group:
            by_season[season_number(record)].append(record)
        for number, season_group in by_season.items():
            season = seasons[(show.pk, number)]
            by_episode: dict[str, list[IndexedFile]] = defaultdict(list)
            for record in season_group:
                by_episode[episode_key(record)].append(record)
            defaults = {key: _episode_defaults(show, eps[0]) for key, eps in by_episode.items()}
            episodes, created = _get_or_create_many(Episode, {"season": season}, by_episode, defaults)
            for key, eps in by_episode.items():
                nfo = next((r.nfo for r in eps if r.nfo is not None), None)
                if nfo is not None:
                    _apply_episode_nfo(episodes[key], nfo)
                for record in eps:
                    result[record.path] = episodes[key]
            for key in created:
                episode = episodes[key]
                events.emit(
                    "episode.added",
                    episode_id=episode.pk,
                    show_id=show.pk,
                    library_id=library.pk,
                    show=show.title,
                    season=number,
                    episode=episode.episode_number,
                    title=episode.title,
                )
    return result


def _seasons_for(shows: dict[str, Show], by_show: dict[str, list[IndexedFile]]) -> dict[tuple[int, int], Season]:
    wanted = {(shows[key].pk, season_number(r)) for key, group in by_show.items() for r in group}
    show_ids = {show_id for show_id, _n in wanted}
    seasons = {(s.show_id, s.season_number): s for s in Season.objects.filter(show_id__in=show_ids)}
    missing = [Season(show_id=sid, season_number=n) for sid, n in wanted if (sid, n) not in seasons]
    if missing:
        Season.objects.bulk_create(missing, ignore_conflicts=True)
        seasons = {(s.show_id, s.season_number): s for s in Season.objects.filter(show_id__in=show_ids)}
    return seasons


def _episode_defaults(show: Show, record: IndexedFile) -> dict:
    parsed = record.parsed
    return {
        "show": show,
        "episode_number": parsed.episode,
        "episode_end": parsed.episode_end if parsed.episode_end != parsed.episode else None,
        "absolute_number": parsed.absolute,
        "air_date": parsed.air_date,
        "title": fit(Episode, "title", parsed.episode_title),
    }


_NAME_ID_FIELDS = {"tmdb": "tmdb_id", "imdb": "imdb_id", "tvdb": "tvdb_id"}


def _name_ids(model: type[Movie] | type[Show], records: list[IndexedFile]) -> dict[str, str]:
    """The provider ids tagged in the names of an item's files ("{tmdb-603}"), as field values."""
    found: dict[str, str] = {}
    for record in records:
        if record.parsed.extra_type:
            continue
        for source, value in getattr(record.parsed, "ids", {}).items():
            name = _NAME_ID_FIELDS.get(source)
            if name and hasattr(model, name):
                found.setdefault(name, fit(model, name, value))
    return found


def _name_ids_apply(model: type[Movie] | type[Show], pairs: list[tuple[Movie | Show, dict]]) -> None:
    """Give existing items the ids their file names carry now, unless an NFO or an operator set that id."""
    changed_items, fields = [], set()
    for item, values in pairs:
        changed = [
            name
            for name in _NAME_ID_FIELDS.values()
            if values.get(name) and getattr(item, name, values[name]) != values[name]
            and name not in item.nfo_fields and name not in item.locked_fields
        ]  # fmt: skip
        for name in changed:
            setattr(item, name, values[name])
        if changed:
            _rematch(item, changed)
            changed_items.append(item)
            fields.update([*changed, "metadata_status"])
    if changed_items:
        model.objects.bulk_update(changed_items, sorted(fields), batch_size=500)


def _rematch(item: Movie | Show, changed: list[str]) -> None:
    """A new provider id means the item must be looked up again."""
    if {"tmdb_id", "imdb_id", "tvdb_id"} & set(changed):
        item.metadata_status = MetadataStatus.PENDING


def sort_title(title: str) -> str:
    """Sort without leading articles, as media servers do."""
    lowered = title.strip()
    for article in ("the ", "a ", "an "):
        if lowered.lower().startswith(article) and len(lowered) > len(article):
            return lowered[len(article) :]
    return lowered


def _nfo_changes(item: Movie | Show, nfo) -> list[str]:
    """Set what the NFO says on `item` (NFO values win over the name); returns the fields that changed."""
    model = type(item)
    updates = {
        "title": nfo.title,
        "original_title": nfo.original_title,
        "sort_title": nfo.sort_title or (sort_title(nfo.title) if nfo.title else ""),
        "overview": nfo.plot,
        "certification": nfo.certification,
        "tmdb_id": nfo.ids.get("tmdb", ""),
        "imdb_id": nfo.ids.get("imdb", ""),
    }
    if model is Movie:
        updates.update(tagline=nfo.tagline, runtime=nfo.runtime if nfo.runtime and nfo.runtime < 100_000 else None)
    if model is Show:
        updates["tvdb_id"] = nfo.ids.get("tvdb", "")
    if nfo.year and 1800 < nfo.year < 2200:
        updates["year"] = nfo.year
    # An operator's edit stays; what the NFO says is recorded so the provider never overrides it.
    updates = {name: value for name, value in updates.items() if name not in item.locked_fields}
    provided = [name for name, value in updates.items() if value not in ("", None)]
    provided += [name for name in ("genres", "studios") if getattr(nfo, name) and name not in item.locked_fields]
    changed = []
    for name in provided:
        value = updates.get(name)
        if name in ("genres", "studios"):
            continue  # written by _apply_nfos
        if isinstance(value, str):
            value = fit(model, name, value)
        if getattr(item, name) != value:
            setattr(item, name, value)
            changed.append(name)
    age = certification_age(item.certification) if item.certification else None
    if item.age_rating != age:
        item.age_rating = age
        changed.append("age_rating")
    if sorted(provided) != sorted(item.nfo_fields):
        item.nfo_fields = sorted(provided)
        changed.append("nfo_fields")
    _rematch(item, changed)
    if item.metadata_status == MetadataStatus.PENDING and {"tmdb_id", "imdb_id", "tvdb_id"} & set(changed):
        changed.append("metadata_status")
    return changed


def _apply_nfos(pairs: list[tuple[Movie | Show, object]]) -> None:
    """Write the NFO values of a batch of movies or shows in a few queries, whatever its size."""
    if not pairs:
        return
    model = type(pairs[0][0])
    changed_items, fields = [], set()
    now = timezone.now()
    for item, nfo in pairs:
        changed = _nfo_changes(item, nfo)
        if changed:
            item.updated_at = now
            changed_items.append(item)
            fields.update(changed)
    if changed_items:
        model.objects.bulk_update(changed_items, [*sorted(fields), "updated_at"], batch_size=500)
    for relation, named_model, attribute in (("genres", Genre, "genres"), ("studios", Studio, "studios")):
        wanted = {
            item.pk: getattr(nfo, attribute)
            for item, nfo in pairs
            if getattr(nfo, attribute) and relation not in item.locked_fields
        }
        if not wanted:
            continue
        rows = {row.name: row.pk for row in _named(named_model, [n for names in wanted.values() for n in names])}
        through = getattr(model, relation).through
        owner, target = f"{model._meta.model_name}_id", f"{named_model._meta.model_name}_id"
        through.objects.filter(**{f"{owner}__in": list(wanted)}).delete()
        links = {
            (item_id, rows[fit(named_model, "name", name.strip())])
            for item_id, names in wanted.items()
            for name in names
            if name and name.strip() and fit(named_model, "name", name.strip()) in rows
        }
        through.objects.bulk_create([through(**{owner: a, target: b}) for a, b in links], ignore_conflicts=True)


def _apply_episode_nfo(episode: Episode, nfo) -> None:
    changed = []
    provided = []
    for name, value in (("title", nfo.title), ("overview", nfo.plot), ("air_date", nfo.aired)):
        if not value or name in episode.locked_fields:
            continue
        provided.append(name)
        if getattr(episode, name) != value:
            setattr(episode, name, fit(Episode, name, value) if isinstance(value, str) else value)
            changed.append(name)
    if sorted(provided) != sorted(episode.nfo_fields):
        episode.nfo_fields = sorted(provided)
        changed.append("nfo_fields")
    if changed:
        episode.save(update_fields=[*changed, "updated_at"])


def _named(model: type[Genre] | type[Studio], names: list[str]) -> list:
    clean = {fit(model, "name", n.strip()) for n in names if n and n.strip()}
    model.objects.bulk_create([model(name=n) for n in clean], ignore_conflicts=True)
    return list(model.objects.filter(name__in=clean))


def files_remove(*, library: Library, file_ids: Iterable[int]) -> int:
    """Delete files that are gone from disk; items left without any file go too."""
    file_ids = list(file_ids)
    if not file_ids:
        return 0
    with transaction.atomic():
        rows = MediaFile.objects.filter(library=library, pk__in=file_ids)
        owners = list(rows.values_list("movie_id", "episode_id"))
        rows.delete()
        movies_main_file_refresh(movie_ids={m for m, _e in owners if m})
        items_prune(movie_ids={m for m, _e in owners if m}, episode_ids={e for _m, e in owners if e})
    return len(owners)


def items_prune(*, movie_ids: Iterable[int] = (), episode_ids: Iterable[int] = ()) -> None:
    """Remove movies and episodes that have no file left, then empty seasons and shows."""
    movie_ids, episode_ids = set(movie_ids), set(episode_ids)
    if movie_ids:
        orphans = Movie.objects.filter(pk__in=movie_ids).exclude(files__isnull=False)
        for movie in orphans:
            events.emit("media.removed", kind="movie", id=movie.pk, library_id=movie.library_id, title=movie.title)
        orphans.delete()
    if episode_ids:
        orphans = Episode.objects.filter(pk__in=episode_ids).exclude(files__isnull=False).select_related("show")
        show_ids = set()
        for episode in orphans:
            show_ids.add(episode.show_id)
            events.emit(
                "media.removed", kind="episode", id=episode.pk, library_id=episode.show.library_id, title=str(episode)
            )
        orphans.delete()
        Season.objects.filter(show_id__in=show_ids, episodes__isnull=True).delete()
        Show.objects.filter(pk__in=show_ids, seasons__isnull=True).delete()
