from apps.audit import selectors
from apps.audit.api.activity_filters import ActivityFilter
from apps.audit.api.activity_serializers import ActivitySerializer
from apps.core.api.permissions import ActionPermissions, UserTest
from apps.core.api.viewsets import BaseReadOnlyViewSet

# Checked before the lookup, on details too: without the permission every entry answers 403, not 404.
READS_ACTIVITY = UserTest(
    lambda user: user.has_perm(selectors.VIEW_PERMISSION),
    message="Reading the activity log needs the audit.view_activity permission (admins and moderators).",
)


class ActivityViewSet(BaseReadOnlyViewSet):
    """The activity log, newest first: model changes with their diffs, and auth and security events."""

    selector = selectors.activity_visible_to
    serializer_class = ActivitySerializer
    action_permissions = ActionPermissions(
        {"list": READS_ACTIVITY, "retrieve": READS_ACTIVITY, "metadata": READS_ACTIVITY}
    )
    filterset_class = ActivityFilter
    search_fields = ["object_repr", "actor_name", "message"]
    ordering_fields = ["timestamp"]
