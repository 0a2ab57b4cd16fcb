"""What a library holds, for the viewer: the recently added titles and its figures, both cached per library."""

from __future__ import annotations

from django.db.models import Count
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core import caching
from apps.core.api.permissions import SIGNED_IN, ActionPermissions
from apps.core.api.viewsets import BaseAPIView
from apps.libraries.models import Library
from apps.libraries.selectors import library_ids_visible_to
from apps.media.api.catalogue_serializers import MovieSerializer, ShowSerializer
from apps.media.api.catalogue_views import posters
from apps.media.library_stats import library_stats
from apps.media.selectors import movies_visible_to, shows_visible_to, visibility_class

RECENT_SECONDS = 600
RECENT_COUNT = 20
VIEWER = ActionPermissions({"get": SIGNED_IN, "options": SIGNED_IN})


def _visible_library(request: Request, pk: int) -> int:
    # The ids are cached per user: a library one may not see is 404 without a query.
    if pk not in library_ids_visible_to(user=request.user):
        raise exceptions.NotFound("No such library.")
    return pk


def recently_added(*, user, library_id: int) -> list[dict]:
    """The newest titles of the library that `user` may see, as list items; cached per visibility class."""

    def compute() -> list[dict]:
        if Library.objects.filter(pk=library_id, kind="shows").exists():
            counts = {
                "season_count": Count("seasons", distinct=True),
                "episode_count": Count("episodes", distinct=True),
            }
            shows = shows_visible_to(user=user).filter(library_id=library_id).annotate(**counts)
            shows = shows.prefetch_related("genres", posters()).order_by("-added_at", "-pk")[:RECENT_COUNT]
            return [dict(item) for item in ShowSerializer(shows, many=True).data]
        movies = movies_visible_to(user=user).filter(library_id=library_id).prefetch_related("genres", posters())
        movies = movies.order_by("-added_at", "-pk")[:RECENT_COUNT]
        return [dict(item) for item in MovieSerializer(movies, many=True).data]

    return caching.cached(
        "recently-added",
        (library_id, visibility_class(user=user)),
        compute,
        ttl=RECENT_SECONDS,
        scopes=[caching.ACCESS, caching.library(library_id)],
    )


class LibraryRecentView(BaseAPIView):
    """The newest movies or shows of a library you may see, newest first."""

    action_permissions = VIEWER

    @extend_schema(responses=inline_serializer("RecentlyAdded", {"results": serializers.ListField()}))
    def get(self, request: Request, pk: int) -> Response:
        library_id = _visible_library(request, pk)
        return Response({"results": recently_added(user=request.user, library_id=library_id)})


class LibraryStatsView(BaseAPIView):
    """Counts of what you may see in a library: movies, shows, episodes, files, bytes and seconds of media."""

    action_permissions = VIEWER

    @extend_schema(
        responses=inline_serializer(
            "LibraryStats",
            {
                name: serializers.FloatField() if name == "duration" else serializers.IntegerField()
                for name in ("movies", "shows", "episodes", "files", "size", "duration")
            },
        )
    )
    def get(self, request: Request, pk: int) -> Response:
        library_id = _visible_library(request, pk)
        return Response(library_stats(user=request.user, library_id=library_id))
