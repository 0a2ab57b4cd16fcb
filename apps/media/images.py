"""Where an item's images are served: one URL per image type, carrying the image's hash so it can be cached forever.

The bytes are fetched, checked and resized by apps/metadata (GET /api/v1/images/{owner}/{id}/?type=…&w=…);
this module only names the URLs, so that every payload that shows an image builds them the same way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from django.db.models import Q

from apps.media.models import Artwork

OWNERS = ("movie", "show", "season", "episode", "person")
WIDTHS = (92, 185, 342, 500, 780, 1280)
# The type a client asks for when it does not say: a poster for titles and seasons, a still for episodes.
DEFAULT_TYPE = {"movie": "poster", "show": "poster", "season": "poster", "episode": "thumb", "person": "profile"}
_SOURCE_RANK = {Artwork.Source.LOCAL: 0, Artwork.Source.TMDB: 1}  # local artwork wins over downloaded artwork


def artwork_owner(artwork: Artwork) -> tuple[str, int]:
    for owner in OWNERS:
        owner_id = getattr(artwork, f"{owner}_id")
        if owner_id is not None:
            return owner, owner_id
    raise ValueError("artwork without an owner")


def artwork_best(artworks: Iterable[Artwork]) -> dict[str, Artwork]:
    """The image shown for each type among one owner's artwork: usable ones only, local before provider's."""
    best: dict[str, Artwork] = {}
    for artwork in sorted(artworks, key=lambda a: (_SOURCE_RANK.get(a.source, 9), a.pk or 0)):
        if artwork.content_hash and not artwork.error:
            best.setdefault(artwork.kind, artwork)
    return best


def image_url(artwork: Artwork) -> str:
    owner, owner_id = artwork_owner(artwork)
    return f"/api/v1/images/{owner}/{owner_id}/?type={artwork.kind}&v={artwork.content_hash[:16]}"


def images_payload(artworks: Iterable[Artwork]) -> dict[str, dict]:
    """{type: {url, width, height, blurhash}} for an owner's artwork (prefetched), as API payloads show it."""
    return {
        kind: {"url": image_url(a), "width": a.width, "height": a.height, "blurhash": a.blurhash}
        for kind, a in sorted(artwork_best(artworks).items())
    }


class ArtworkRow(NamedTuple):
    """The columns of an Artwork that its payload reads: a row costs a tenth of a model instance to make."""

    pk: int
    kind: str
    source: str
    content_hash: str
    error: str
    width: int | None
    height: int | None
    blurhash: str
    movie_id: int | None
    show_id: int | None
    season_id: int | None
    episode_id: int | None
    person_id: int | None


def artwork_rows(artworks) -> list[ArtworkRow]:
    """An Artwork queryset's rows, unordered (every reader sorts them by its own rule)."""
    return [ArtworkRow(*row) for row in artworks.order_by().values_list(*ArtworkRow._fields)]


def images_shown(keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], dict]:
    """The default image (a poster, a still, a profile) of each (owner, id), in one query; absent when none.

    The caller has already decided the owners are visible (they come from a selector's rows).
    """
    by_kind: dict[str, set[int]] = defaultdict(set)
    for kind, pk in keys:
        if kind in DEFAULT_TYPE:
            by_kind[kind].add(pk)
    if not by_kind:
        return {}
    condition = Q()
    for kind, ids in by_kind.items():
        condition |= Q(**{f"{kind}_id__in": sorted(ids), "kind": DEFAULT_TYPE[kind]})
    owned: dict[tuple[str, int], list[ArtworkRow]] = defaultdict(list)
    for artwork in artwork_rows(Artwork.objects.filter(condition)):
        owned[artwork_owner(artwork)].append(artwork)
    shown = {key: images_payload(artworks).get(DEFAULT_TYPE[key[0]]) for key, artworks in owned.items()}
    return {key: image for key, image in shown.items() if image}
