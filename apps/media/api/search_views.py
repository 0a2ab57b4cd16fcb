"""One search box for titles, people and sets: typo-tolerant, accent-blind, and only what the caller may see."""

from __future__ import annotations

from collections import defaultdict

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api.permissions import SIGNED_IN, ActionPermissions
from apps.core.api.viewsets import BaseAPIView
from apps.media.api.search_serializers import SearchQuerySerializer, SearchResultsSerializer
from apps.media.images import DEFAULT_TYPE, images_payload
from apps.media.models import Artwork
from apps.media.search import KINDS, SearchHit, catalogue_search
from apps.media.search.cached import search_cached


def _images(hits: list[SearchHit]) -> dict[tuple[str, int], dict]:
    """The shown image of each hit, in one query."""
    by_kind: dict[str, list[int]] = defaultdict(list)
    for hit in hits:
        if hit.kind != "collection":
            by_kind[hit.kind].append(hit.item.pk)
    if not by_kind:
        return {}
    condition = None
    for kind, ids in by_kind.items():
        part = Artwork.objects.filter(**{f"{kind}_id__in": ids, "kind": DEFAULT_TYPE[kind]})
        condition = part if condition is None else condition | part
    owned: dict[tuple[str, int], list[Artwork]] = defaultdict(list)
    for artwork in condition:
        kind = next(k for k in by_kind if getattr(artwork, f"{k}_id"))
        owned[(kind, getattr(artwork, f"{kind}_id"))].append(artwork)
    return {key: images_payload(artworks).get(DEFAULT_TYPE[key[0]]) for key, artworks in owned.items()}


@extend_schema(
    parameters=[SearchQuerySerializer, OpenApiParameter("kind", enum=KINDS, many=True)],
    responses={200: SearchResultsSerializer},
)
class SearchView(BaseAPIView):
    """`GET /api/v1/search/?q=matirx&kind=movie&kind=person`: the best matches first, across kinds."""

    action_permissions = ActionPermissions({"get": SIGNED_IN, "options": SIGNED_IN})

    def get(self, request: Request) -> Response:
        params = SearchQuerySerializer(
            data={**request.query_params.dict(), "kind": request.query_params.getlist("kind")}
        )
        params.is_valid(raise_exception=True)
        kinds = tuple(sorted(params.validated_data.get("kind") or KINDS, key=KINDS.index))
        query, limit = params.validated_data["q"], params.validated_data["limit"]
        try:
            results = search_cached(
                user=request.user,
                query=query,
                kinds=kinds,
                limit=limit,
                compute=lambda: _results(request.user, query, kinds, limit),
            )
        except ValueError as exc:
            raise exceptions.ValidationError({"q": [str(exc)]}) from exc
        return Response({"results": results})


def _results(user, query: str, kinds: tuple[str, ...], limit: int) -> list[dict]:
    hits = catalogue_search(user=user, query=query, kinds=kinds, limit=limit)
    images = _images(hits)
    return [
        {
            "kind": hit.kind,
            "id": hit.item.pk,
            "title": getattr(hit.item, "title", None) or getattr(hit.item, "name", ""),
            "year": getattr(hit.item, "year", None),
            "score": hit.score,
            "image": images.get((hit.kind, hit.item.pk)),
        }
        for hit in hits
    ]
