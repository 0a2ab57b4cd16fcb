"""Duplicate groups over HTTP: list and review for those who manage the library (keep, dismiss, delete a file)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api.permissions import ActionPermissions, UserTest
from apps.core.api.viewsets import BaseReadOnlyViewSet
from apps.media import selectors
from apps.media.api.duplicate_filters import DuplicateGroupFilter
from apps.media.api.duplicate_serializers import (
    DeleteFileSerializer,
    DeleteResultSerializer,
    DuplicateGroupSerializer,
    FileChoiceSerializer,
)
from apps.media.duplicates import review
from apps.media.models import DuplicateGroup

# Lists need a library the user manages; a detail is looked up through the selector first (else 404).
MANAGES_A_LIBRARY = UserTest(
    lambda user: selectors.libraries_managed_by(user=user).exists(),
    message="Duplicates are reviewed by those who manage the library.",
    lists_only=True,
)


class DuplicateGroupViewSet(BaseReadOnlyViewSet):
    """Duplicate files of the libraries you manage: exact copies, the same title twice, other encodes."""

    selector = selectors.duplicate_groups_visible_to
    action_permissions = ActionPermissions(
        dict.fromkeys(["list", "retrieve", "keep", "dismiss", "delete_file", "metadata"], MANAGES_A_LIBRARY)
    )
    serializer_class = DuplicateGroupSerializer
    filterset_class = DuplicateGroupFilter
    ordering_fields = ["created_at", "updated_at"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return selectors.duplicate_groups_with_members(groups=super().get_queryset())

    def _current(self, group: DuplicateGroup) -> dict:
        return self.get_serializer(self.get_queryset().get(pk=group.pk)).data

    @extend_schema(request=FileChoiceSerializer, responses=DuplicateGroupSerializer)
    @action(detail=True, methods=["post"])
    def keep(self, request: Request, pk: str | None = None) -> Response:
        """Record the file to keep; the others stay on disk until deleted."""
        group = self.get_object()
        choice = FileChoiceSerializer(data=request.data)
        choice.is_valid(raise_exception=True)
        review.duplicate_keep(group=group, file_id=choice.validated_data["file"], by=request.user)
        return Response(self._current(group))

    @extend_schema(request=None, responses=DuplicateGroupSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, pk: str | None = None) -> Response:
        """Not a duplicate: remembered until a new file joins the group."""
        group = self.get_object()
        review.duplicate_dismiss(group=group, by=request.user)
        return Response(self._current(group))

    @extend_schema(request=DeleteFileSerializer, responses=DeleteResultSerializer)
    @action(detail=True, methods=["post"], url_path="delete-file")
    def delete_file(self, request: Request, pk: str | None = None) -> Response:
        """Delete a member from disk and from the library; needs `"confirm": true`; recorded in the activity log."""
        group = self.get_object()
        body = DeleteFileSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        file_id = body.validated_data["file"]
        remaining = review.duplicate_file_delete(
            group=group, file_id=file_id, confirm=body.validated_data["confirm"], by=request.user
        )
        return Response({"deleted": file_id, "group": self._current(remaining) if remaining else None})
