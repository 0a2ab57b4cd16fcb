"""Media requests: search titles, request (or join), list and read; approvers approve and decline."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api.permissions import SIGNED_IN, ActionPermissions, Perm
from apps.core.api.viewsets import BaseGenericViewSet
from apps.requests import selectors, services
from apps.requests.api.request_filters import MediaRequestFilter
from apps.requests.api.request_serializers import (
    ApproveSerializer,
    DeclineSerializer,
    MediaRequestSerializer,
    RequestCreateSerializer,
    SearchQuerySerializer,
    SearchResultSerializer,
)
from apps.requests.errors import RequestRefused


class MediaRequestViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    BaseGenericViewSet,
):
    """Requests you made or joined; approvers see the whole queue. DELETE withdraws yours, or leaves one you joined."""

    selector = selectors.requests_visible_to
    serializer_class = MediaRequestSerializer
    # Withdrawing, approving and declining are decided per request by the services (selectors.may_act_on).
    action_permissions = ActionPermissions(
        {
            "list": SIGNED_IN,
            "retrieve": SIGNED_IN,
            "create": Perm(selectors.REQUEST_PERMISSION),
            "search": Perm(selectors.REQUEST_PERMISSION),
            "destroy": SIGNED_IN,
            "approve": SIGNED_IN,
            "decline": SIGNED_IN,
            "metadata": SIGNED_IN,
        }
    )
    filterset_class = MediaRequestFilter
    search_fields = ["title"]
    ordering_fields = ["created_at", "updated_at", "title", "status"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("subscribers")

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, RequestRefused):
            return Response({"detail": str(exc), "code": exc.code, **exc.extra}, status=exc.status)
        return super().handle_exception(exc)

    @extend_schema(
        request=RequestCreateSerializer, responses={200: MediaRequestSerializer, 201: MediaRequestSerializer}
    )
    def create(self, request: Request) -> Response:
        """Request a movie (tmdb id) or show (tvdb id, seasons or all); an open request for it is joined (200)."""
        body = RequestCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        media_request, created = services.request_create(
            user=request.user,
            kind=data["kind"],
            external_id=data.get("tmdb_id") if data["kind"] == "movie" else data.get("tvdb_id"),
            seasons=data.get("seasons"),
            is_4k=data["is_4k"],
        )
        answer = MediaRequestSerializer(media_request, context=self.get_serializer_context()).data
        return Response(answer, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, enum=["movie", "show"], required=True),
            OpenApiParameter("q", str, required=True, description="A title, or tmdb:ID / tvdb:ID."),
        ],
        responses={200: SearchResultSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def search(self, request: Request) -> Response:
        """Look titles up on TMDb when configured, else on the default Radarr/Sonarr; marked if in your libraries,
        requested or pending."""
        query = SearchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(selectors.title_search(user=request.user, **query.validated_data))

    def perform_destroy(self, instance) -> None:
        services.request_withdraw(request=instance, by=self.request.user)

    @extend_schema(request=ApproveSerializer, responses={200: MediaRequestSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """Approve (optionally choosing server, quality profile and root folder); it is sent to Radarr/Sonarr."""
        body = ApproveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        approved = services.request_approve(request=self.get_object(), by=request.user, **body.validated_data)
        return Response(MediaRequestSerializer(approved, context=self.get_serializer_context()).data)

    @extend_schema(request=DeclineSerializer, responses={200: MediaRequestSerializer})
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        """Decline a pending request with a reason the requester is told."""
        body = DeclineSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        declined = services.request_decline(request=self.get_object(), by=request.user, **body.validated_data)
        return Response(MediaRequestSerializer(declined, context=self.get_serializer_context()).data)
