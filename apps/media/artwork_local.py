"""Artwork that lies beside the media files (poster.jpg, fanart, season posters), written per scan batch."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Q

from apps.media.models import Artwork, Episode, Movie, Season

# apps.scanning.indexer.IndexedFile; scanning sits above media, so media only names the type.
IndexedFile = Any


def artwork_local_write(*, records: list[IndexedFile], owners: dict[str, Movie | Episode]) -> None:
    """Replace the artwork of the items this batch touched with what lies beside their files now."""
    show_ids = {owner.show_id for owner in owners.values() if isinstance(owner, Episode)}
    seasons = {(s.show_id, s.season_number): s.pk for s in Season.objects.filter(show_id__in=show_ids)}
    wanted: dict[tuple[str, int], set[tuple[str, str]]] = defaultdict(set)
    for record in records:
        owner = owners.get(record.path)
        if owner is None:
            continue
        for ref in record.artwork:
            if isinstance(owner, Movie):
                target = ("movie", owner.pk)
            elif ref.level == "show":
                target = ("show", owner.show_id)
            elif ref.level == "season":
                season_id = seasons.get((owner.show_id, ref.season))
                if season_id is None:
                    continue
                target = ("season", season_id)
            else:
                target = ("episode", owner.pk)
            wanted[target].add((ref.kind, ref.path))
    if not wanted:
        return
    by_field: dict[str, list[int]] = defaultdict(list)
    for owner_field, owner_id in wanted:
        by_field[owner_field].append(owner_id)
    owned = Q()
    for owner_field, ids in by_field.items():
        owned |= Q(**{f"{owner_field}_id__in": ids})
    # Only the files beside the media are replaced: the provider's images stay, and so does an unchanged file's row
    # with the hash, size and placeholder already read from it.
    kept: set[tuple[tuple[str, int], str, str]] = set()
    stale: list[int] = []
    for artwork in Artwork.objects.filter(owned, source=Artwork.Source.LOCAL):
        target = next((f, i) for f in ("movie", "show", "season", "episode") if (i := getattr(artwork, f"{f}_id")))
        key = (target, artwork.kind, artwork.path)
        if (artwork.kind, artwork.path) in wanted.get(target, ()) and key not in kept:
            kept.add(key)
        else:
            stale.append(artwork.pk)
    Artwork.objects.filter(pk__in=stale).delete()
    Artwork.objects.bulk_create(
        [
            Artwork(kind=kind, path=path, **{f"{owner_field}_id": owner_id})
            for (owner_field, owner_id), images in wanted.items()
            for kind, path in sorted(images)
            if ((owner_field, owner_id), kind, path) not in kept
        ]
    )
