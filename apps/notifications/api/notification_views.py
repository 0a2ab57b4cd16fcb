"""Thin views of the notifications API: querysets come from selectors, writes go to services."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api.permissions import SIGNED_IN, ActionPermissions, UserTest
from apps.core.api.viewsets import BaseGenericAPIView, BaseReadOnlyViewSet, BaseViewSet
from apps.notifications import selectors, services
from apps.notifications.api.notification_filters import DeliveryFilter, NotificationFilter
from apps.notifications.api.notification_serializers import (
    AgentSerializer,
    ChannelSerializer,
    DeliverySerializer,
    EventTypeSerializer,
    MarkedSerializer,
    NotificationSerializer,
    PreferenceSerializer,
    TestResultSerializer,
    UnreadCountSerializer,
)

MANAGER = UserTest(
    lambda user: selectors.is_manager(user=user), message="Only managers (admins and moderators) may do this."
)
AGENT_ACTIONS = ["list", "retrieve", "create", "update", "partial_update", "destroy", "test", "metadata"]


class _AgentActions:
    @extend_schema(request=None, responses=TestResultSerializer)
    @action(detail=True, methods=["post"])
    def test(self, request: Request, pk: str | None = None) -> Response:
        """Send a test message now and say how it went (disabled agents too; not logged as a delivery)."""
        result = services.agent_test(agent=self.get_object())
        return Response(TestResultSerializer(result).data)

    def perform_destroy(self, instance) -> None:
        services.agent_delete(agent=instance)


class AgentViewSet(_AgentActions, BaseViewSet):
    """The operator's agents: webhooks, Discord, email, Gotify, ntfy, Telegram, Apprise URLs. Managers only."""

    selector = selectors.agents_visible_to
    serializer_class = AgentSerializer
    action_permissions = ActionPermissions(dict.fromkeys(AGENT_ACTIONS, MANAGER))
    filterset_fields = ["kind", "enabled"]
    search_fields = ["name"]
    ordering_fields = ["name", "created_at", "last_failure_at"]


class ChannelViewSet(_AgentActions, BaseViewSet):
    """Your own channels: where the events you want reach you besides the app."""

    selector = selectors.channels_visible_to
    serializer_class = ChannelSerializer
    action_permissions = ActionPermissions(dict.fromkeys(AGENT_ACTIONS, SIGNED_IN))
    filterset_fields = ["kind", "enabled"]
    ordering_fields = ["name", "created_at"]


class DeliveryViewSet(BaseReadOnlyViewSet):
    """The delivery log: every event to every agent, with attempts, response code and last error. Managers only."""

    selector = selectors.deliveries_visible_to
    serializer_class = DeliverySerializer
    action_permissions = ActionPermissions({"list": MANAGER, "retrieve": MANAGER, "metadata": MANAGER})
    filterset_class = DeliveryFilter
    search_fields = ["agent__name", "last_error"]
    ordering_fields = ["created_at", "updated_at"]


class NotificationViewSet(BaseReadOnlyViewSet):
    """Your in-app notifications, newest first."""

    selector = selectors.notifications_visible_to
    serializer_class = NotificationSerializer
    action_permissions = ActionPermissions(
        dict.fromkeys(["list", "retrieve", "read", "read_all", "unread_count", "metadata"], SIGNED_IN)
    )
    filterset_class = NotificationFilter
    ordering_fields = ["created_at"]

    @extend_schema(request=None, responses=MarkedSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        notice = self.get_object()
        marked = services.notifications_mark_read(user=request.user, ids=[notice.pk])
        return Response({"marked": marked})

    @extend_schema(request=None, responses=MarkedSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        return Response({"marked": services.notifications_mark_read(user=request.user)})

    @extend_schema(responses=UnreadCountSerializer)
    @action(detail=False, methods=["get"], url_path="unread-count", filter_backends=[], pagination_class=None)
    def unread_count(self, request: Request) -> Response:
        return Response({"unread": selectors.notifications_unread_count(user=request.user)})


class PreferenceView(BaseGenericAPIView):
    """Your notification preferences: events beyond the defaults, muted ones, in-app notices, digest."""

    serializer_class = PreferenceSerializer
    action_permissions = ActionPermissions(dict.fromkeys(["get", "put", "patch", "options"], SIGNED_IN))
    filter_backends = []
    pagination_class = None

    def get_object(self):
        """Your own preference row (also what OPTIONS describes)."""
        return selectors.preference_of(user=self.request.user)

    def get(self, request: Request) -> Response:
        return Response(PreferenceSerializer(self.get_object()).data)

    def put(self, request: Request) -> Response:
        return self._save(request, partial=False)

    def patch(self, request: Request) -> Response:
        return self._save(request, partial=True)

    def _save(self, request: Request, *, partial: bool) -> Response:
        serializer = PreferenceSerializer(self.get_object(), data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        preference = serializer.save()
        return Response(PreferenceSerializer(preference).data, status=status.HTTP_200_OK)


class EventCatalogueView(BaseGenericAPIView):
    """The event catalogue: every event agents and people can subscribe to, with its category and payload."""

    serializer_class = EventTypeSerializer
    action_permissions = ActionPermissions({"get": SIGNED_IN, "options": SIGNED_IN})
    filter_backends = []
    pagination_class = None

    @extend_schema(responses=EventTypeSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(EventTypeSerializer(selectors.event_types(), many=True).data)
