"""Serializers of media requests: what a request shows, and the bodies of create, approve, decline and search."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.requests.models import ArrServer, MediaRequest

MAX_ID = 2**31 - 1


class MediaRequestSerializer(serializers.ModelSerializer):
    requested_by = serializers.SerializerMethodField()
    subscriber_count = serializers.SerializerMethodField()

    class Meta:
        model = MediaRequest
        fields = [
            "id",
            "kind",
            "tmdb_id",
            "tvdb_id",
            "title",
            "year",
            "poster",
            "seasons",
            "is_4k",
            "status",
            "requested_by",
            "subscriber_count",
            "server",
            "quality_profile_id",
            "root_folder",
            "decline_reason",
            "failure_reason",
            "approved_by",
            "approved_at",
            "available_at",
            "movie",
            "show",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_requested_by(self, request: MediaRequest) -> dict:
        return {"id": request.requested_by_id, "username": request.requested_by.get_username()}

    def get_subscriber_count(self, request: MediaRequest) -> int:
        return request.subscribers.count()


@extend_schema_field({"oneOf": [{"type": "array", "items": {"type": "integer"}}, {"type": "string", "enum": ["all"]}]})
class SeasonsField(serializers.Field):
    """A list of season numbers, or "all" (also an empty list)."""

    default_error_messages = {"invalid": 'a list of season numbers (0 to 1000, at most 100 of them), or "all"'}

    def to_internal_value(self, data) -> list[int]:
        if data == "all":
            return []
        if not isinstance(data, list) or len(data) > 100:
            self.fail("invalid")
        if not all(isinstance(n, int) and not isinstance(n, bool) and 0 <= n <= 1000 for n in data):
            self.fail("invalid")
        return sorted(set(data))

    def to_representation(self, value) -> list[int]:
        return value


class RequestCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MediaRequest.Kind.choices)
    tmdb_id = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, help_text="Movies.")
    tvdb_id = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, help_text="Shows.")
    seasons = SeasonsField(required=False, help_text='Season numbers of a show, or "all" (the default).')
    is_4k = serializers.BooleanField(default=False)

    def validate(self, data: dict) -> dict:
        if data["kind"] == MediaRequest.Kind.MOVIE:
            if "tmdb_id" not in data:
                raise serializers.ValidationError({"tmdb_id": "a movie is requested by its tmdb id"})
            if data.get("seasons"):
                raise serializers.ValidationError({"seasons": "only shows have seasons"})
        elif "tvdb_id" not in data:
            raise serializers.ValidationError({"tvdb_id": "a show is requested by its tvdb id"})
        return data


class ApproveSerializer(serializers.Serializer):
    server = serializers.PrimaryKeyRelatedField(queryset=ArrServer.objects.all(), required=False)
    quality_profile_id = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    root_folder = serializers.CharField(max_length=500, required=False)


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class SearchQuerySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MediaRequest.Kind.choices)
    q = serializers.CharField(max_length=200, min_length=1)


class SearchResultSerializer(serializers.Serializer):
    kind = serializers.CharField()
    tmdb_id = serializers.IntegerField(allow_null=True)
    tvdb_id = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    overview = serializers.CharField()
    poster = serializers.CharField()
    seasons = serializers.ListField(child=serializers.IntegerField())
    in_library = serializers.BooleanField()
    request_status = serializers.CharField(allow_null=True)
    request_id = serializers.IntegerField(allow_null=True)
