"""Playback sessions: who plays what, how (direct, remux, transcode), and the transcode behind it."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


def _token() -> str:
    return secrets.token_urlsafe(32)


class PlaybackSession(models.Model):
    """One play of one file by one user on one device; kept after it stops as the watch history."""

    class State(models.TextChoices):
        PLAYING = "playing", "Playing"
        PAUSED = "paused", "Paused"
        STOPPED = "stopped", "Stopped"

    class Method(models.TextChoices):
        DIRECT = "direct", "Direct play"
        REMUX = "remux", "Remux"
        TRANSCODE = "transcode", "Transcode"

    class TranscodeState(models.TextChoices):
        NONE = "", "None"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"
        STOPPED = "stopped", "Stopped"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # HLS players fetch playlists and segments without our headers: the URLs carry this secret instead.
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="playback_sessions")
    # History outlives the file and the item: their names are kept in `title`.
    media_file = models.ForeignKey("media.MediaFile", null=True, on_delete=models.SET_NULL, related_name="+")
    movie = models.ForeignKey("media.Movie", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    episode = models.ForeignKey("media.Episode", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(max_length=600)
    device = models.CharField(max_length=200, blank=True, help_text="The client's own name for the device.")
    client = models.CharField(max_length=200, blank=True, help_text="Browser or app and OS, from the user agent.")
    user_agent = models.CharField(max_length=300, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    method = models.CharField(max_length=16, choices=Method.choices)
    profile = models.CharField(max_length=16, default="original")
    decision = models.JSONField(default=dict, blank=True, help_text="The playback decision and its reasons.")
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    bitrate = models.BigIntegerField(null=True, blank=True, help_text="Bits per second sent (video + audio).")
    video_codec = models.CharField(max_length=32, blank=True)
    audio_codec = models.CharField(max_length=32, blank=True)
    audio_index = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Stream index in the file.")
    subtitle = models.CharField(max_length=32, blank=True, help_text="'stream:N' or 'sidecar:ID'.")
    burn_subtitles = models.BooleanField(default=False)
    downmix = models.BooleanField(default=False)
    tone_map = models.BooleanField(default=False)

    state = models.CharField(max_length=16, choices=State.choices, default=State.PLAYING)
    start_position = models.FloatField(default=0, help_text="Seconds.")
    position = models.FloatField(default=0, help_text="Seconds, from the client's last heartbeat.")
    duration = models.FloatField(null=True, blank=True, help_text="Seconds.")
    bytes_sent = models.BigIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now, help_text="Last heartbeat or segment request.")
    paused_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    # Set once, when this play passed the watched threshold: the play count rises once per session.
    watched_at = models.DateTimeField(null=True, blank=True)
    stop_reason = models.CharField(max_length=32, blank=True, help_text="stopped, idle, terminated, replaced…")
    message = models.CharField(max_length=500, blank=True, help_text="Shown to the viewer when terminated.")

    transcode_state = models.CharField(max_length=16, choices=TranscodeState.choices, blank=True)
    # Raised by every (re)start: a transcode whose generation is no longer the session's stops itself.
    transcode_generation = models.PositiveIntegerField(default=0)
    transcode_start_segment = models.PositiveIntegerField(default=0)
    # The part of that segment the transcode began at: a far seek's restart encodes from the moment asked for.
    transcode_start_part = models.PositiveSmallIntegerField(default=0)
    transcode_segments = models.PositiveIntegerField(default=0, help_text="Segments written by this generation.")
    transcode_heartbeat_at = models.DateTimeField(null=True, blank=True)
    transcode_error = models.TextField(blank=True)
    encoder = models.CharField(max_length=32, blank=True, help_text="Video encoder in use, e.g. libx264.")

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["state", "last_seen_at"], name="playback_session_live"),
            models.Index(fields=["user", "-started_at"], name="playback_session_history"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} playing {self.title}"

    @property
    def is_active(self) -> bool:
        return self.state != self.State.STOPPED

    @property
    def item_kind(self) -> str:
        return "movie" if self.movie_id else ("episode" if self.episode_id else "file")
