"""Playback sessions in the API: what a client sends to start one and what it gets back."""

from __future__ import annotations

import math

from django.urls import reverse
from rest_framework import serializers

from apps.playback.api.decision_serializers import ClientSerializer
from apps.playback.hls.transcoding import segment_durations
from apps.playback.models import PlaybackSession
from apps.playback.plan import DEVICE_PROFILES, PROFILES, Capabilities

QUALITY_PROFILES = ["auto", "original", *(name for name, _, _ in PROFILES)]


class SessionCreateSerializer(ClientSerializer):
    file = serializers.IntegerField(min_value=1)
    profile = serializers.ChoiceField(choices=QUALITY_PROFILES, default="auto", help_text="Quality, or auto.")
    device_profile = serializers.ChoiceField(choices=sorted(DEVICE_PROFILES), default="browser")
    audio_stream = serializers.IntegerField(required=False, min_value=0, help_text="Stream index in the file.")
    subtitle = serializers.RegexField(r"^[se]\d{1,9}$", required=False, help_text="A key from the file's subtitles.")
    burn_subtitles = serializers.BooleanField(
        default=False, help_text="Draw the subtitle into the picture (always so for bitmap subtitles)."
    )
    downmix = serializers.BooleanField(default=False, help_text="Stereo AAC whatever the source's channels.")
    start_position = serializers.FloatField(default=0.0, min_value=0.0, help_text="Seconds.")
    device = serializers.CharField(required=False, default="", max_length=200, allow_blank=True)

    def validate_start_position(self, value: float) -> float:
        if not math.isfinite(value) or value > 7 * 24 * 3600:
            raise serializers.ValidationError("a position in seconds within the file")
        return value

    def capabilities(self) -> Capabilities:
        return self.client_capabilities(self.validated_data["device_profile"])


class SessionSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    file = serializers.IntegerField(source="media_file_id", read_only=True)
    item_kind = serializers.CharField(read_only=True)
    reasons = serializers.SerializerMethodField()
    transcode = serializers.SerializerMethodField()
    master_url = serializers.SerializerMethodField(help_text="HLS master playlist; only for the session's own user.")
    direct_url = serializers.SerializerMethodField(help_text="The file itself, for direct play.")

    class Meta:
        model = PlaybackSession
        fields = [
            "id",
            "user",
            "username",
            "file",
            "item_kind",
            "movie",
            "episode",
            "title",
            "device",
            "client",
            "ip",
            "method",
            "profile",
            "reasons",
            "width",
            "height",
            "bitrate",
            "video_codec",
            "audio_codec",
            "audio_index",
            "subtitle",
            "burn_subtitles",
            "downmix",
            "tone_map",
            "state",
            "start_position",
            "position",
            "duration",
            "bytes_sent",
            "started_at",
            "last_seen_at",
            "stopped_at",
            "stop_reason",
            "message",
            "transcode",
            "master_url",
            "direct_url",
        ]
        read_only_fields = fields

    def _own(self, session: PlaybackSession) -> bool:
        request = self.context.get("request")
        return bool(request and request.user.pk == session.user_id and session.is_active)

    def get_reasons(self, session: PlaybackSession) -> list[str]:
        return list(session.decision.get("reasons", []))

    def get_transcode(self, session: PlaybackSession) -> dict | None:
        if session.method == PlaybackSession.Method.DIRECT:
            return None
        total = len(segment_durations(session.duration or 0))
        written = session.transcode_start_segment + session.transcode_segments
        done = session.transcode_state == PlaybackSession.TranscodeState.DONE
        return {
            "state": session.transcode_state,
            "encoder": session.encoder,
            "start_segment": session.transcode_start_segment,
            "segments_written": session.transcode_segments,
            "progress": 1.0 if done else round(min(1.0, written / total), 3),
            "error": session.transcode_error,
        }

    def get_master_url(self, session: PlaybackSession) -> str | None:
        if session.method == PlaybackSession.Method.DIRECT or not self._own(session):
            return None
        return self._absolute(reverse("hls-master", kwargs={"token": session.token}))

    def get_direct_url(self, session: PlaybackSession) -> str | None:
        if session.method != PlaybackSession.Method.DIRECT or not self._own(session) or not session.media_file_id:
            return None
        path = reverse("file-stream", kwargs={"pk": session.media_file_id})
        return self._absolute(f"{path}?session={session.pk}")

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class TerminateSerializer(serializers.Serializer):
    message = serializers.CharField(required=False, default="", max_length=500, allow_blank=True)
