from rest_framework.permissions import BasePermission

from apps.audit import selectors
from apps.audit.api.activity_filters import ActivityFilter
from apps.audit.api.activity_serializers import ActivitySerializer
from apps.core.api.viewsets import SelectorReadOnlyViewSet


class CanViewActivity(BasePermission):
    message = "Reading the activity log needs the audit.view_activity permission (admins and moderators)."

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.has_perm(selectors.VIEW_PERMISSION))


class ActivityViewSet(SelectorReadOnlyViewSet):
    """The activity log, newest first: model changes with their diffs, and auth and security events."""

    selector = selectors.activity_visible_to
    serializer_class = ActivitySerializer
    permission_classes = [CanViewActivity]
    filterset_class = ActivityFilter
    search_fields = ["object_repr", "actor_name", "message"]
    ordering_fields = ["timestamp"]
