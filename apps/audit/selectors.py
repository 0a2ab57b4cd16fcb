"""Reads of the activity log: who may see which entries."""

from __future__ import annotations

from django.db.models import QuerySet

from apps.audit.models import Activity

VIEW_PERMISSION = "audit.view_activity"


def activity_visible_to(*, user) -> QuerySet[Activity]:
    """Admins and holders of audit.view_activity (moderators by default) see the log; nobody else sees any."""
    if not (user and user.is_authenticated and user.has_perm(VIEW_PERMISSION)):
        return Activity.objects.none()
    return Activity.objects.select_related("content_type", "actor").order_by("-timestamp", "-pk")
