from rest_framework import serializers

from apps.playback.models import PlaybackSession
from apps.playback.plan import DEVICE_PROFILES, Capabilities


def _names(value: str) -> list[str]:
    names = [name.strip().lower() for name in value.split(",") if name.strip()]
    if not names or any(len(name) > 32 or not name.replace("_", "").isalnum() for name in names):
        raise serializers.ValidationError("a comma-separated list of names, e.g. h264,hevc")
    return names


class ClientSerializer(serializers.Serializer):
    """What a client says it plays, beyond its device profile; each field it sends overrides the profile's."""

    CAPABILITIES = (
        "containers",
        "video_codecs",
        "audio_codecs",
        "max_height",
        "max_bitrate",
        "max_audio_channels",
        "hdr",
    )
    containers = serializers.CharField(required=False, help_text="e.g. mp4,mkv (overrides the profile's)")
    video_codecs = serializers.CharField(required=False)
    audio_codecs = serializers.CharField(required=False)
    max_height = serializers.IntegerField(required=False, min_value=144, max_value=4320)
    max_bitrate = serializers.IntegerField(required=False, min_value=100_000, help_text="bits per second")
    max_audio_channels = serializers.IntegerField(required=False, min_value=1, max_value=16)
    hdr = serializers.BooleanField(required=False)

    def validate_containers(self, value: str) -> list[str]:
        return _names(value)

    def validate_video_codecs(self, value: str) -> list[str]:
        return _names(value)

    def validate_audio_codecs(self, value: str) -> list[str]:
        return _names(value)

    def client_capabilities(self, device_profile: str) -> Capabilities:
        # Only what the client sent overrides the profile (a query string's missing boolean reads as false).
        base = dict(DEVICE_PROFILES[device_profile])
        base.update({k: v for k, v in self.validated_data.items() if k in self.CAPABILITIES and k in self.initial_data})
        return Capabilities(**base)


class DecisionQuerySerializer(ClientSerializer):
    file = serializers.IntegerField(min_value=1)
    profile = serializers.ChoiceField(choices=sorted(DEVICE_PROFILES), required=False, help_text="A device profile.")

    def capabilities(self) -> Capabilities:
        return self.client_capabilities(self.validated_data.get("profile", "browser"))


class DecisionSerializer(serializers.Serializer):
    file = serializers.IntegerField()
    method = serializers.ChoiceField(choices=PlaybackSession.Method.choices)
    profile = serializers.CharField()
    container = serializers.CharField()
    video = serializers.DictField()
    audio = serializers.DictField()
    reasons = serializers.ListField(child=serializers.CharField())
