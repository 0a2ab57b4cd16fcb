"""Images of movies, shows, seasons, episodes and people at a few fixed widths, as WebP or JPEG by `Accept`.

An image is visible exactly when its owner is (a person when credited on a title the user sees); a hidden,
unknown or not yet fetched image answers 404 alike. URLs carrying the image's hash (`v`) are cached forever.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import FileResponse, HttpResponseNotModified
from django.utils.http import parse_etags
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.request import Request

from apps.core import caching
from apps.core.api.permissions import SIGNED_IN, ActionPermissions
from apps.core.api.viewsets import BaseAPIView
from apps.media.images import DEFAULT_TYPE, WIDTHS, artwork_best
from apps.media.models import Artwork
from apps.media.selectors import (
    catalogue_scopes,
    episodes_visible_to,
    movies_visible_to,
    people_visible_to,
    seasons_visible_to,
    shows_visible_to,
)
from apps.metadata.images.store import ImageRefused
from apps.metadata.images.variants import CONTENT_TYPES, JPEG, WEBP, VariantMissing, image_variant, width_snap

SELECTORS = {
    "movie": movies_visible_to,
    "show": shows_visible_to,
    "season": seasons_visible_to,
    "episode": episodes_visible_to,
    "person": people_visible_to,
}
FOREVER = "public, max-age=31536000, immutable"
SHORT = "private, max-age=300"  # a URL without the image's hash may show another image after a refresh
MAX_WIDTH = 100_000
SHOWN_SECONDS = 60
KEPT = 20_000  # answers a process keeps (a library grid or two per user); past this it starts again
_kept: dict[str, tuple[float, tuple[str, int | None]]] = {}
WIDTH_HELP = f"w is a width in pixels (served at the next of {', '.join(map(str, WIDTHS))}, or the original)."


class ImageView(BaseAPIView):
    """An item's or person's image: `type` (poster, fanart, …), `w` in pixels, `v` the hash in its URL."""

    # Which images: those of items the user sees, through the media selectors, in the handler.
    action_permissions = ActionPermissions({"get": SIGNED_IN, "options": SIGNED_IN})
    # A library grid asks for hundreds of images at once; each is a file read the client then keeps for good.
    throttle_classes: list = []

    def perform_content_negotiation(self, request, force=False):
        # Clients ask for images (Accept: image/webp,image/*), which no API renderer offers: errors come as JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "type",
                OpenApiTypes.STR,
                enum=Artwork.Kind.values,
                description="Default: poster, an episode's thumb, a person's profile.",
            ),
            OpenApiParameter("w", OpenApiTypes.INT, description=WIDTH_HELP),
            OpenApiParameter("v", OpenApiTypes.STR, description="The image's hash prefix, as image URLs carry it."),
        ],
        responses={
            (200, "image/webp"): OpenApiTypes.BINARY,
            (200, "image/jpeg"): OpenApiTypes.BINARY,
            (200, "image/png"): OpenApiTypes.BINARY,
            304: OpenApiResponse(description="Not modified (If-None-Match)."),
        },
    )
    def get(self, request: Request, pk: int, owner: str):
        kind = request.query_params.get("type") or DEFAULT_TYPE[owner]
        if kind not in Artwork.Kind.values:
            raise exceptions.ParseError(f"type must be one of {', '.join(Artwork.Kind.values)}.")
        requested = _width(request.query_params.get("w"))
        content_hash, image_width = _shown(user=request.user, owner=owner, pk=pk, kind=kind)
        fmt = WEBP if _takes_webp(request.headers.get("Accept", "")) else JPEG
        width = width_snap(requested=requested, image_width=image_width)
        try:
            path = image_variant(content_hash=content_hash, width=width, fmt=fmt)
        except (VariantMissing, ImageRefused):  # the stored original is gone or damaged: fetched again on refresh
            raise exceptions.NotFound("No such image.") from None
        etag = f'"{content_hash[:32]}-{path.name}"'
        cache_control = FOREVER if request.query_params.get("v") == content_hash[:16] else SHORT
        if _matches(request.headers.get("If-None-Match", ""), etag):
            response = HttpResponseNotModified()
        else:
            response = FileResponse(path.open("rb"), content_type=CONTENT_TYPES[path.suffix])
        response["ETag"], response["Cache-Control"], response["Vary"] = etag, cache_control, "Accept"
        return response


def _shown(*, user, owner: str, pk: int, kind: str) -> tuple[str, int | None]:
    """Hash and width of the image shown for the owner's `kind`, when the user sees the owner; else 404.

    Remembered per user for a minute under the scopes of what the user sees (access, the user, each visible
    library's contents) and "images" (a fetched image): a grid asks for the same images again.
    """
    key = caching.key_for("image-shown", (user.pk, owner, pk, kind), scopes=[*catalogue_scopes(user=user), "images"])
    # The key holds every version the answer depends on, so this process may keep it too: a grid's images cost
    # no read of the shared cache after the first.
    kept = _kept.get(key)
    if kept is not None and kept[0] > time.monotonic():
        return kept[1]
    shown = cache.get(key)
    if shown is None:
        artwork = _artwork_shown(user=user, owner=owner, pk=pk, kind=kind)
        if artwork is None:
            # Not remembered: a credit or an image that appears later must show at once, and probing costs a query.
            raise exceptions.NotFound("No such image.")
        shown = (artwork.content_hash, artwork.width)
        cache.set(key, shown, SHOWN_SECONDS)
    if len(_kept) >= KEPT:
        _kept.clear()
    _kept[key] = (time.monotonic() + SHOWN_SECONDS, shown)
    return shown


def _artwork_shown(*, user, owner: str, pk: int, kind: str) -> Artwork | None:
    artworks = (
        Artwork.objects.filter(**{f"{owner}_id": pk, f"{owner}__in": SELECTORS[owner](user=user).values("pk")})
        .filter(kind=kind, error="")
        .exclude(content_hash="")
        .only("id", "kind", "source", "content_hash", "width", "error")
        .order_by()  # artwork_best ranks them
    )
    return artwork_best(artworks).get(kind)


def _width(value: str | None) -> int | None:
    if value is None or value == "" or value == "original":
        return None
    # ASCII digits only: int() would also read "٣٤٢" and " 342 ", and any spelling is another cache entry.
    if not (value.isascii() and value.isdigit()) or not 0 < int(value) <= MAX_WIDTH:
        raise exceptions.ParseError(WIDTH_HELP)
    return int(value)


def _takes_webp(accept: str) -> bool:
    """Whether the client names image/webp in Accept (with a quality above 0); wildcards do not count."""
    for part in accept.lower().split(","):
        media, *params = (p.strip() for p in part.split(";"))
        if media == "image/webp":
            return not any(p.replace(" ", "") in ("q=0", "q=0.0", "q=0.00", "q=0.000") for p in params)
    return False


def _matches(header: str, etag: str) -> bool:
    # If-None-Match compares weakly: W/"x" matches "x".
    tags = parse_etags(header) if header else []
    return "*" in tags or any(tag.removeprefix("W/") == etag for tag in tags)
