"""Identify and refresh over HTTP, for those who manage the library; every write goes through metadata services.

An item the requester cannot see answers 404; one they see but do not manage, 403. With no TMDb key the
endpoints answer 409, and 502 when TMDb cannot be reached, each with a message an operator can act on.
"""

from __future__ import annotations

from django.db.models import Model
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api.permissions import ActionPermissions, Perm
from apps.core.api.viewsets import BaseGenericAPIView
from apps.libraries.selectors import libraries_visible_to
from apps.media import selectors as media_selectors
from apps.media.api.catalogue_serializers import MovieDetailSerializer, ShowDetailSerializer
from apps.media.api.catalogue_views import movies_with_details, shows_with_details
from apps.media.models import Movie
from apps.metadata import services
from apps.metadata.api.metadata_serializers import (
    CandidateSerializer,
    IdentifyQuerySerializer,
    IdentifySerializer,
    RefreshQueuedSerializer,
)
from apps.metadata.tmdb.client import TmdbError, tmdb_enabled

LOOKUP_OFF = "Metadata lookup is off: set REVENGE_TMDB_API_KEY or REVENGE_TMDB_TOKEN."
# The global permission, or a manage grant on the library of the object (the view checks the library).
MANAGES = Perm("libraries.change_library", or_object="libraries.manage_library")


class LookupOff(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = LOOKUP_OFF
    default_code = "metadata_lookup_off"


class TmdbUnreachable(APIException):
    status_code = status.HTTP_502_BAD_GATEWAY
    default_code = "tmdb_unavailable"


def lookup_on() -> None:
    if not tmdb_enabled():
        raise LookupOff()


class ManagedItemView(BaseGenericAPIView):
    """A movie or show found through the media selector (else 404), whose library the requester manages (else 403)."""

    # Perm waits for the object on detail routes: an item one cannot see answers 404 before any 403.
    detail = True
    serializer_class = RefreshQueuedSerializer  # what OPTIONS describes; the POST itself takes no body

    def get_object(self) -> Model:
        item = get_object_or_404(self.get_queryset().select_related("library"), pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, item.library)
        return item

    def queued(self, *, movies=(), shows=(), library=None, everything=False) -> Response:
        lookup_on()
        tasks = services.metadata_refresh_enqueue(
            library=library, movie_ids=list(movies), show_ids=list(shows), everything=everything
        )
        body = {
            "movies": list(movies),
            "shows": list(shows),
            "library": library.pk if library else None,
            "everything": everything,
            "tasks": tasks,
        }
        return Response(body, status=status.HTTP_202_ACCEPTED)


class MovieMetadataMixin:
    selector = media_selectors.movies_visible_to
    with_details = staticmethod(lambda items: movies_with_details(movies=items))
    detail_serializer = MovieDetailSerializer


class ShowMetadataMixin:
    selector = media_selectors.shows_visible_to
    with_details = staticmethod(lambda items: shows_with_details(shows=items))
    detail_serializer = ShowDetailSerializer


class ItemRefreshView(ManagedItemView):
    action_permissions = ActionPermissions({"post": MANAGES, "options": MANAGES})

    @extend_schema(request=None, responses={202: RefreshQueuedSerializer})
    def post(self, request: Request, pk: str) -> Response:
        """Queue a fresh lookup of this title on the workers (locked and NFO-set fields stay)."""
        item = self.get_object()
        return self.queued(**({"movies": [item.pk]} if isinstance(item, Movie) else {"shows": [item.pk]}))


class MovieRefreshView(MovieMetadataMixin, ItemRefreshView):
    pass


class ShowRefreshView(ShowMetadataMixin, ItemRefreshView):
    pass


class ItemIdentifyView(ManagedItemView):
    action_permissions = ActionPermissions({"get": MANAGES, "post": MANAGES, "options": MANAGES})
    serializer_class = IdentifySerializer

    @extend_schema(parameters=[IdentifyQuerySerializer], responses=CandidateSerializer(many=True))
    def get(self, request: Request, pk: str) -> Response:
        """TMDb's candidates for this title (or for `q` and `year`), best first."""
        item = self.get_object()
        asked = IdentifyQuerySerializer(data=request.query_params)
        asked.is_valid(raise_exception=True)
        lookup_on()
        try:
            candidates = services.identify_candidates(
                item=item, query=asked.validated_data.get("q"), year=asked.validated_data.get("year")
            )
        except TmdbError as exc:
            raise TmdbUnreachable(f"TMDb could not be asked: {exc}") from exc
        return Response(CandidateSerializer(candidates, many=True).data)

    def post(self, request: Request, pk: str) -> Response:
        """Match this title to a TMDb id by hand: the id is locked against refreshes and the metadata filled now."""
        item = self.get_object()
        body = IdentifySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        lookup_on()
        try:
            item = services.item_identify(item=item, tmdb_id=body.validated_data["tmdb_id"], by=request.user)
        except TmdbError as exc:
            raise TmdbUnreachable(f"TMDb could not be asked: {exc}") from exc
        return Response(self.detail_payload(request, item))

    def detail_payload(self, request: Request, item: Model) -> dict:
        # The answer is the item as its detail endpoint shows it, with the same prefetches.
        fresh = self.with_details(self.get_queryset()).get(pk=item.pk)
        return self.detail_serializer(fresh, context={"request": request}).data


@extend_schema_view(post=extend_schema(request=IdentifySerializer, responses=MovieDetailSerializer))
class MovieIdentifyView(MovieMetadataMixin, ItemIdentifyView):
    pass


@extend_schema_view(post=extend_schema(request=IdentifySerializer, responses=ShowDetailSerializer))
class ShowIdentifyView(ShowMetadataMixin, ItemIdentifyView):
    pass


class LibraryRefreshView(ManagedItemView):
    selector = libraries_visible_to
    action_permissions = ActionPermissions({"post": MANAGES, "options": MANAGES})

    def get_object(self) -> Model:
        library = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, library)
        return library

    @extend_schema(request=None, responses={202: RefreshQueuedSerializer})
    def post(self, request: Request, pk: str) -> Response:
        """Queue a fresh lookup of every title of the library."""
        return self.queued(library=self.get_object())


class RefreshEverythingView(ManagedItemView):
    detail = False  # no object: the global permission itself
    action_permissions = ActionPermissions(
        {"post": Perm("libraries.change_library"), "options": Perm("libraries.change_library")}
    )

    @extend_schema(request=None, responses={202: RefreshQueuedSerializer})
    def post(self, request: Request) -> Response:
        """Queue a fresh lookup of every title of every enabled library."""
        return self.queued(everything=True)
