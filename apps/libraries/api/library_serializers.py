from rest_framework import serializers

from apps.libraries import services
from apps.libraries.api.path_visibility import may_see_paths
from apps.libraries.models import Library


class LibrarySerializer(serializers.ModelSerializer):
    paths = serializers.ListField(child=serializers.CharField(max_length=1024), allow_empty=False, max_length=50)

    class Meta:
        model = Library
        fields = [
            "id",
            "name",
            "kind",
            "paths",
            "enabled",
            "realtime_monitoring",
            "scan_interval_minutes",
            "last_scanned_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["last_scanned_at", "created_at", "updated_at"]

    def to_representation(self, instance: Library) -> dict:
        data = super().to_representation(instance)
        if not may_see_paths(self.context, instance.pk):
            data.pop("paths", None)  # the server's folders are for those who manage the library
        return data

    def create(self, validated_data: dict) -> Library:
        return services.library_create(by=self.context["request"].user, **validated_data)

    def update(self, instance: Library, validated_data: dict) -> Library:
        return services.library_update(library=instance, by=self.context["request"].user, **validated_data)


class LibraryGrantsSerializer(serializers.Serializer):
    roles = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField(max_length=64), max_length=3),
        help_text='{"user": ["view_library", "download_library"]}',
    )
    users = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField(max_length=64), max_length=3), default=dict
    )
