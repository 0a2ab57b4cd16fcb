"""Serializer of a viewer's playback defaults; writes go through apps/playback/preferences.py."""

from __future__ import annotations

from rest_framework import serializers

from apps.media.languages import language_name
from apps.playback import preferences
from apps.playback.models import PlaybackPreference


class PlaybackPreferenceSerializer(serializers.ModelSerializer):
    audio_language = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text='A code or name ("en", "ger", "German"); empty: none.',
    )
    subtitle_language = serializers.CharField(
        max_length=64, required=False, allow_blank=True, help_text="A code or name; empty: none."
    )
    audio_language_name = serializers.SerializerMethodField()
    subtitle_language_name = serializers.SerializerMethodField()

    class Meta:
        model = PlaybackPreference
        fields = ["audio_language", "audio_language_name", "subtitle_language", "subtitle_language_name", "subtitles"]

    def get_audio_language_name(self, preference: PlaybackPreference) -> str:
        return language_name(preference.audio_language)

    def get_subtitle_language_name(self, preference: PlaybackPreference) -> str:
        return language_name(preference.subtitle_language)

    def update(self, instance: PlaybackPreference, validated_data: dict) -> PlaybackPreference:
        return preferences.playback_preference_update(user=instance.user, **validated_data)
