"""Poster URLs for many titles at once: one query for all their artwork, URLs from apps/media/images.py."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q

from apps.media.images import artwork_best, image_url
from apps.media.models import Artwork


def posters_of(*, movie_ids: set[int], show_ids: set[int]) -> dict[tuple[str, int], str]:
    """{("movie", id) or ("show", id): poster URL} for those that have a usable poster."""
    if not movie_ids and not show_ids:
        return {}
    owners: dict[tuple[str, int], list[Artwork]] = defaultdict(list)
    artwork = Artwork.objects.filter(kind=Artwork.Kind.POSTER).only(
        "id", "kind", "source", "content_hash", "error", "movie_id", "show_id", "season_id", "episode_id", "person_id"
    )
    for item in artwork.filter(Q(movie_id__in=movie_ids) | Q(show_id__in=show_ids)):
        owners[("movie", item.movie_id) if item.movie_id else ("show", item.show_id)].append(item)
    urls = {}
    for owner, items in owners.items():
        best = artwork_best(items)
        if "poster" in best:
            urls[owner] = image_url(best["poster"])
    return urls
