"""Duplicate groups over HTTP: list and review for those who manage the library (keep, dismiss, delete a file)."""

from __future__ import annotations

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api.viewsets import SelectorReadOnlyViewSet
from apps.core.api.visible_filters import visible_choice
from apps.libraries.api.paths import may_see_paths
from apps.libraries.selectors import libraries_visible_to
from apps.media import selectors
from apps.media.duplicates import review
from apps.media.models import DuplicateGroup, DuplicateMember, MediaStream


class ManagesLibraries(BasePermission):
    """Lists need a library the user manages; a detail is looked up through the selector first (else 404)."""

    message = "Duplicates are reviewed by those who manage the library."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return bool(getattr(view, "detail", False)) or selectors.libraries_managed_by(user).exists()


def _video(member: DuplicateMember) -> MediaStream | None:
    # The selector prefetches video streams only, in index order: the first is the main picture.
    streams = list(member.file.streams.all())
    return streams[0] if streams else None


class DuplicateMemberSerializer(serializers.Serializer):
    """A file of the group with what tells encodes apart; the server path for path-seeing managers only."""

    file = serializers.IntegerField(source="file_id")
    name = serializers.SerializerMethodField()
    path = serializers.CharField(source="file.path")
    size = serializers.IntegerField(source="file.size")
    duration = serializers.FloatField(source="file.duration", allow_null=True)
    bitrate = serializers.IntegerField(source="file.bitrate", allow_null=True)
    container = serializers.CharField(source="file.container")
    width = serializers.SerializerMethodField()
    height = serializers.SerializerMethodField()
    resolution = serializers.SerializerMethodField()
    codec = serializers.SerializerMethodField()
    movie = serializers.IntegerField(source="file.movie_id", allow_null=True)
    episode = serializers.IntegerField(source="file.episode_id", allow_null=True)
    version = serializers.CharField(source="file.version")
    part = serializers.IntegerField(source="file.part", allow_null=True)

    def get_name(self, member: DuplicateMember) -> str:
        return member.file.path.rsplit("/", 1)[-1]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_width(self, member: DuplicateMember) -> int | None:
        video = _video(member)
        return video.width if video else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_height(self, member: DuplicateMember) -> int | None:
        video = _video(member)
        return video.height if video else None

    def get_resolution(self, member: DuplicateMember) -> str:
        video = _video(member)
        return f"{video.width}x{video.height}" if video and video.width and video.height else ""

    def get_codec(self, member: DuplicateMember) -> str:
        video = _video(member)
        return video.codec if video else ""

    def to_representation(self, instance: DuplicateMember) -> dict:
        data = super().to_representation(instance)
        if not may_see_paths(self.context, instance.file.library_id):
            data.pop("path")
        return data


class DuplicateGroupSerializer(serializers.ModelSerializer):
    members = DuplicateMemberSerializer(many=True, read_only=True)

    class Meta:
        model = DuplicateGroup
        fields = [
            "id",
            "library",
            "kind",
            "status",
            "kept_file",
            "distance",
            "decided_by",
            "decided_at",
            "created_at",
            "updated_at",
            "members",
        ]
        read_only_fields = fields


class FileChoiceSerializer(serializers.Serializer):
    file = serializers.IntegerField(help_text="Id of a member file.")


class DeleteFileSerializer(FileChoiceSerializer):
    confirm = serializers.BooleanField(
        default=False, help_text="Must be true: the file is removed from disk, which cannot be undone."
    )


class DeleteResultSerializer(serializers.Serializer):
    deleted = serializers.IntegerField(help_text="Id of the deleted file.")
    group = DuplicateGroupSerializer(allow_null=True, help_text="The group, or null when one file is left.")


class DuplicateGroupFilter(filters.FilterSet):
    library = visible_choice(libraries_visible_to)

    class Meta:
        model = DuplicateGroup
        fields = ["kind", "status", "library"]


class DuplicateGroupViewSet(SelectorReadOnlyViewSet):
    """Duplicate files of the libraries you manage: exact copies, the same title twice, other encodes."""

    selector = selectors.duplicate_groups_visible_to
    permission_classes = [ManagesLibraries]
    serializer_class = DuplicateGroupSerializer
    filterset_class = DuplicateGroupFilter
    ordering_fields = ["created_at", "updated_at"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return selectors.duplicate_groups_with_members(super().get_queryset())

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
