"""A viewer's defaults for the tracks a player picks: audio and subtitle language, and when subtitles show."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PlaybackPreference(models.Model):
    """One row per viewer who changed the defaults; without one, players keep the file's own default tracks."""

    class Subtitles(models.TextChoices):
        OFF = "off", "Off"
        FOREIGN = "foreign", "When the audio is not in my language"
        ALWAYS = "always", "Always"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="playback_preference")
    audio_language = models.CharField(
        max_length=3, blank=True, help_text="ISO 639-2/B code; empty: the file's default audio track."
    )
    subtitle_language = models.CharField(max_length=3, blank=True, help_text="ISO 639-2/B code; empty: none chosen.")
    subtitles = models.CharField(max_length=8, choices=Subtitles.choices, default=Subtitles.OFF)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"playback defaults of {self.user_id}"
