"""Write what TMDb says into the catalogue, leaving alone what an NFO or an operator set.

Precedence, field by field: an operator's edit or manual match (`locked_fields`), then the NFO (`nfo_fields`),
then TMDb, then the file name. Local artwork is never touched; TMDb artwork rows sit beside it.
"""

from __future__ import annotations

from datetime import datetime

from django.db import models, transaction
from django.utils import timezone

from apps.media.edits import age_follow_certification
from apps.media.models import Collection, Episode, Genre, MetadataStatus, Movie, Season, Show, Studio
from apps.media.services import fit, sort_title
from apps.metadata.artwork import artwork_sync
from apps.metadata.fill_shows import SeasonValues, absolute_position
from apps.metadata.people import credits_write
from apps.metadata.values import Filled

STATUS_FIELDS = ["metadata_status", "metadata_error", "match_score", "metadata_refreshed_at", "metadata_retry_at"]


def protected(item: models.Model) -> set[str]:
    """The fields a refresh must not write: set by an operator (or matched by hand) or by an NFO."""
    return {*item.locked_fields, *item.nfo_fields}


def _assign(item: models.Model, values: dict, keep: set[str]) -> list[str]:
    changed = []
    for name, value in values.items():
        if name in keep:
            continue
        if isinstance(value, str):
            value = fit(type(item), name, value)
        if getattr(item, name) != value:
            setattr(item, name, value)
            changed.append(name)
    return changed


def _named(model: type[Genre] | type[Studio], names: list[str]) -> list:
    clean = list(dict.fromkeys(fit(model, "name", n) for n in names if n))
    model.objects.bulk_create([model(name=n) for n in clean], ignore_conflicts=True)
    return list(model.objects.filter(name__in=clean))


def _collection(found: tuple[str, str]) -> Collection:
    tmdb_id, name = found
    collection, _created = Collection.objects.get_or_create(
        tmdb_id=tmdb_id, defaults={"name": fit(Collection, "name", name)}
    )
    if collection.name != fit(Collection, "name", name):
        collection.name = fit(Collection, "name", name)
        collection.save(update_fields=["name"])
    return collection


@transaction.atomic
def item_fill(*, item: Movie | Show, filled: Filled, score: float | None, now: datetime) -> list[str]:
    """Write TMDb's values on a movie or show and mark it matched; returns the fields that changed."""
    # One writer per item at a time: two workers refreshing it would otherwise double its credits.
    item = type(item).objects.select_for_update().get(pk=item.pk)
    keep = protected(item)
    if "tmdb_id" in item.locked_fields or (item.tmdb_id and "tmdb_id" in item.nfo_fields):
        keep.add("tmdb_id")
    changed = _assign(item, filled.fields, keep)
    if "sort_title" not in keep and "title" in changed:
        item.sort_title = fit(type(item), "sort_title", sort_title(item.title))
        changed.append("sort_title")
    if "certification" in changed and age_follow_certification(item):
        changed.append("age_rating")
    if isinstance(item, Movie) and "collection" not in keep and filled.collection:
        collection = _collection(filled.collection)
        if item.collection_id != collection.pk:
            item.collection = collection
            changed.append("collection")
    item.metadata_status, item.metadata_error, item.match_score = MetadataStatus.MATCHED, "", score
    item.metadata_refreshed_at, item.metadata_retry_at = now, None
    item.save(update_fields=[*changed, *STATUS_FIELDS, "updated_at"])
    for relation, model, names in (("genres", Genre, filled.genres), ("studios", Studio, filled.studios)):
        if names and relation not in keep:
            wanted = _named(model, names)
            if {r.pk for r in wanted} != set(getattr(item, relation).values_list("pk", flat=True)):
                getattr(item, relation).set(wanted)
                changed.append(relation)
    credits_write(item=item, found=filled.credits)
    artwork_sync(owner="movie" if isinstance(item, Movie) else "show", wanted={item.pk: filled.artwork})
    return changed


@transaction.atomic
def episodes_fill(*, show: Show, seasons: dict[int, SeasonValues], counts: dict[int, int]) -> int:
    """Fill the show's seasons and episodes by number (absolute numbers placed among the seasons); how many
    episodes TMDb knew."""
    season_rows = list(Season.objects.filter(show=show))
    changed_seasons = []
    for season in season_rows:
        found = seasons.get(season.season_number)
        if found is not None and _assign(season, found.fields, set()):
            changed_seasons.append(season)
    if changed_seasons:
        Season.objects.bulk_update(changed_seasons, ["title", "overview", "air_date", "tmdb_id"])
    posters = {s.pk: {"poster": seasons[s.season_number].poster} for s in season_rows if s.season_number in seasons}
    artwork_sync(owner="season", wanted=posters)
    numbers = {s.pk: s.season_number for s in season_rows}
    episodes = list(Episode.objects.filter(show=show))
    changed: list[Episode] = []
    fields: set[str] = set()
    stills: dict[int, dict[str, str]] = {}
    known = 0
    for episode in episodes:
        values = _episode_values(episode, numbers.get(episode.season_id), seasons, counts)
        if values is None:
            continue
        known += 1
        stills[episode.pk] = {"thumb": values.pop("still", "")}
        names = _assign(episode, values, protected(episode))
        if names:
            episode.updated_at = timezone.now()  # bulk_update does not touch auto_now fields
            changed.append(episode)
            fields.update(names)
    if changed:
        Episode.objects.bulk_update(changed, [*sorted(fields), "updated_at"], batch_size=500)
    artwork_sync(owner="episode", wanted=stills)
    return known


def _episode_values(
    episode: Episode, season_number: int | None, seasons: dict[int, SeasonValues], counts: dict[int, int]
) -> dict | None:
    if episode.episode_number is not None and season_number is not None:
        place = (season_number, episode.episode_number)
    elif episode.absolute_number is not None:
        place = absolute_position(counts, episode.absolute_number)
    else:
        return None  # dated episodes: TMDb numbers them, we do not know which is which
    season = seasons.get(place[0]) if place else None
    values = season.episodes.get(place[1]) if season else None
    return dict(values) if values is not None else None


def wanted_seasons(*, numbered: set[int], absolutes: set[int], counts: dict[int, int]) -> list[int]:
    """The TMDb seasons to fetch for these episodes: those they are numbered in, and where absolute numbers fall."""
    wanted = {n for n in numbered if n in counts}
    wanted |= {place[0] for a in absolutes if (place := absolute_position(counts, a))}
    return sorted(wanted)
