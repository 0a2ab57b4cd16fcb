"""Serializers of duplicate groups: the members with what tells encodes apart, and the review bodies."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.libraries.api.path_visibility import may_see_paths
from apps.media.models import DuplicateGroup, DuplicateMember, MediaStream


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
