"""One search box for titles, people and sets: typo-tolerant, accent-blind, and only what the caller may see."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api.permissions import SIGNED_IN, ActionPermissions
from apps.core.api.viewsets import BaseAPIView
from apps.media.api.search_serializers import SearchQuerySerializer, SearchResultsSerializer
from apps.media.images import images_shown
from apps.media.search import KINDS, catalogue_search
from apps.media.search.cached import search_cached


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
                compute=lambda: search_payload(request.user, query, kinds, limit),
            )
        except ValueError as exc:
            raise exceptions.ValidationError({"q": [str(exc)]}) from exc
        return Response({"results": results})


def search_payload(user, query: str, kinds: tuple[str, ...], limit: int) -> list[dict]:
    """The search's hits as the API answers them (the web app shows the same); raises ValueError on a bad query."""
    hits = catalogue_search(user=user, query=query, kinds=kinds, limit=limit)
    images = images_shown((hit.kind, hit.item.pk) for hit in hits)
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
