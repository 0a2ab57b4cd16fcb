from rest_framework import serializers

from apps.requests import services
from apps.requests.models import ArrServer


class ArrServerSerializer(serializers.ModelSerializer):
    api_key = serializers.CharField(write_only=True, max_length=200, help_text="Write-only.")

    class Meta:
        model = ArrServer
        fields = [
            "id",
            "kind",
            "name",
            "base_url",
            "api_key",
            "quality_profile_id",
            "root_folder",
            "language_profile_id",
            "tags",
            "path_mappings",
            "is_default",
            "is_4k",
            "enabled",
            "allow_private_network",
            "webhook_secret",
            "last_checked_at",
            "last_check",
        ]
        read_only_fields = ["webhook_secret", "last_checked_at", "last_check"]

    def get_validators(self) -> list:
        # "One default per kind" is kept by arr_server_make_default, which moves the flag; no 400 for it.
        return [v for v in super().get_validators() if tuple(getattr(v, "fields", ())) != ("kind", "is_4k")]

    def validate_base_url(self, value: str) -> str:
        if not value.lower().startswith(("http://", "https://")):
            raise serializers.ValidationError("an http(s) address such as http://radarr:7878")
        return value.rstrip("/")

    def validate(self, attrs: dict) -> dict:
        server = self.instance
        services.arr_server_check(
            server=server,
            by=self.context["request"].user,
            base_url=attrs.get("base_url", server.base_url if server else ""),
            allowed=attrs.get("allow_private_network", server.allow_private_network if server else False),
        )
        return attrs

    def validate_tags(self, value) -> list[int]:
        if not isinstance(value, list) or not all(isinstance(tag, int) and tag >= 0 for tag in value):
            raise serializers.ValidationError("a list of tag ids (whole numbers)")
        return value

    def validate_path_mappings(self, value) -> list[dict]:
        return path_mappings_clean(value)


def path_mappings_clean(value) -> list[dict]:
    """[{"remote": "/movies", "local": "/srv/media/movies"}, …]: absolute paths, at most 50 pairs."""
    message = 'a list of {"remote": "/movies", "local": "/srv/media/movies"} pairs of absolute paths'
    if not isinstance(value, list) or len(value) > 50:
        raise serializers.ValidationError(message)
    cleaned = []
    for pair in value:
        if not isinstance(pair, dict) or set(pair) != {"remote", "local"}:
            raise serializers.ValidationError(message)
        remote, local = pair["remote"], pair["local"]
        for path in (remote, local):
            if not isinstance(path, str) or not 0 < len(path) <= 1000 or "\x00" in path:
                raise serializers.ValidationError(message)
        if not local.startswith("/") or not (remote.startswith("/") or remote[1:2] == ":"):
            raise serializers.ValidationError(message)
        cleaned.append({"remote": remote, "local": local})
    return cleaned


class ConnectionTestSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    message = serializers.CharField()


class ServerOptionsSerializer(serializers.Serializer):
    quality_profiles = serializers.ListField(child=serializers.DictField())
    root_folders = serializers.ListField(child=serializers.DictField())
