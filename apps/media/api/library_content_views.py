"""What a library holds, for the viewer: the recently added titles and its figures, both cached per library."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api.permissions import SIGNED_IN, ActionPermissions
from apps.core.api.viewsets import BaseAPIView
from apps.libraries.selectors import library_ids_visible_to
from apps.media.library_reads import library_stats, recently_added

VIEWER = ActionPermissions({"get": SIGNED_IN, "options": SIGNED_IN})


def _visible_library(request: Request, pk: int) -> int:
    # The ids are cached per user: a library one may not see is 404 without a query.
    if pk not in library_ids_visible_to(user=request.user):
        raise exceptions.NotFound("No such library.")
    return pk


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
