from rest_framework import serializers

from apps.libraries.api.path_visibility import may_see_paths, without_paths
from apps.libraries.models import LibraryScan, ScanError


class ScanRequestSerializer(serializers.Serializer):
    full = serializers.BooleanField(default=False, help_text="Re-read every file, not only new and changed ones.")


class ScanErrorSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = ScanError
        fields = ["name", "path", "reason", "created_at"]

    def get_name(self, error: ScanError) -> str:
        return error.path.rsplit("/", 1)[-1]


class LibraryScanSerializer(serializers.ModelSerializer):
    library_name = serializers.CharField(source="library.name", read_only=True)
    progress = serializers.FloatField(read_only=True)
    duration = serializers.SerializerMethodField()

    class Meta:
        model = LibraryScan
        fields = [
            "id",
            "library",
            "library_name",
            "kind",
            "status",
            "progress",
            "seen",
            "added",
            "updated",
            "moved",
            "removed",
            "unchanged",
            "errors",
            "to_index",
            "indexed",
            "failure",
            "created_at",
            "started_at",
            "finished_at",
            "duration",
        ]
        read_only_fields = fields

    def to_representation(self, instance: LibraryScan) -> dict:
        data = super().to_representation(instance)
        if data.get("failure") and not may_see_paths(self.context, instance.library_id):
            data["failure"] = without_paths(data["failure"])
        return data

    def get_duration(self, scan: LibraryScan) -> float | None:
        return scan.duration.total_seconds() if scan.duration else None


class LibraryScanDetailSerializer(LibraryScanSerializer):
    error_rows = serializers.SerializerMethodField(help_text="The first 100 files that could not be read.")

    class Meta(LibraryScanSerializer.Meta):
        fields = [*LibraryScanSerializer.Meta.fields, "error_rows"]
        read_only_fields = fields

    def get_error_rows(self, scan: LibraryScan) -> list[dict]:
        rows = ScanErrorSerializer(scan.scan_errors.all()[:100], many=True).data
        if not may_see_paths(self.context, scan.library_id):
            rows = [{key: value for key, value in row.items() if key != "path"} for row in rows]
        return rows
