"""Shapes of the watching API: heartbeats in; history entries and item references out."""

from __future__ import annotations

import math

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.media.models import Episode, Movie
from apps.playback.models import PlaybackSession, WatchState


class SecondsField(serializers.FloatField):
    """Seconds as a JSON number: not a boolean, not NaN or infinite."""

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        value = super().to_internal_value(data)
        if not math.isfinite(value):
            raise serializers.ValidationError("A finite number of seconds is required.")
        return value


class ProgressSerializer(serializers.Serializer):
    position = SecondsField(min_value=0, help_text="Seconds from the start.")
    paused = serializers.BooleanField(required=False, allow_null=True, default=None)


class PositionSerializer(serializers.Serializer):
    position = SecondsField(min_value=0, required=False, allow_null=True, default=None)


class WatchedSerializer(serializers.Serializer):
    movie = serializers.IntegerField(min_value=1, required=False)
    episode = serializers.IntegerField(min_value=1, required=False)
    watched = serializers.BooleanField()

    def validate(self, data: dict) -> dict:
        if ("movie" in data) == ("episode" in data):
            raise serializers.ValidationError("Name exactly one of movie or episode.")
        return data


def item_reference(
    *, movie: Movie | None, episode: Episode | None, title: str, position: float | None, duration: float | None
) -> dict:
    """The movie or episode an entry is about, with where the viewer is in it."""
    percent = round(min(position / duration, 1) * 100, 1) if position is not None and duration else None
    return {
        "kind": "movie" if movie else ("episode" if episode else "file"),
        "id": (movie or episode).pk if (movie or episode) else None,
        "title": title,
        "year": movie.year if movie else None,
        "show": {"id": episode.show_id, "title": episode.show.title} if episode else None,
        "season": episode.season.season_number if episode else None,
        "episode": episode.episode_number if episode else None,
        "position": position,
        "duration": duration,
        "percent": percent,
    }


class ItemReferenceSerializer(serializers.Serializer):
    """Documents item_reference() for the schema."""

    kind = serializers.ChoiceField(choices=["movie", "episode", "file"])
    id = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    show = serializers.DictField(allow_null=True)
    season = serializers.IntegerField(allow_null=True)
    episode = serializers.IntegerField(allow_null=True)
    position = serializers.FloatField(allow_null=True)
    duration = serializers.FloatField(allow_null=True)
    percent = serializers.FloatField(allow_null=True)


def _item_title(movie: Movie | None, episode: Episode | None) -> str:
    return movie.title if movie else (episode.title or str(episode))


class SessionStateSerializer(serializers.ModelSerializer):
    """What a heartbeat, pause, resume or stop answers: the session's state now."""

    watched = serializers.SerializerMethodField()

    class Meta:
        model = PlaybackSession
        fields = ["id", "state", "position", "duration", "watched", "stopped_at", "stop_reason", "message"]

    def get_watched(self, session: PlaybackSession) -> bool:
        return session.watched_at is not None


class HistorySerializer(serializers.ModelSerializer):
    user = serializers.SerializerMethodField()
    item = serializers.SerializerMethodField()
    watched = serializers.SerializerMethodField()

    class Meta:
        model = PlaybackSession
        fields = [
            "id",
            "user",
            "item",
            "state",
            "method",
            "device",
            "client",
            "ip",
            "width",
            "height",
            "bitrate",
            "bytes_sent",
            "started_at",
            "stopped_at",
            "stop_reason",
            "watched",
        ]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_user(self, session: PlaybackSession) -> dict:
        return {"id": session.user_id, "username": session.user.get_username()}

    @extend_schema_field(ItemReferenceSerializer)
    def get_item(self, session: PlaybackSession) -> dict:
        return item_reference(
            movie=session.movie,
            episode=session.episode,
            title=session.title,
            position=session.position,
            duration=session.duration,
        )

    def get_watched(self, session: PlaybackSession) -> bool:
        return session.watched_at is not None


class WatchStateSerializer(serializers.ModelSerializer):
    """One entry of continue watching, or the answer to marking watched."""

    item = serializers.SerializerMethodField()

    class Meta:
        model = WatchState
        fields = ["item", "watched", "play_count", "last_played_at"]

    @extend_schema_field(ItemReferenceSerializer)
    def get_item(self, state: WatchState) -> dict:
        return item_reference(
            movie=state.movie,
            episode=state.episode,
            title=_item_title(state.movie, state.episode),
            position=state.position,
            duration=state.duration,
        )


class NextUpSerializer(serializers.Serializer):
    """An episode from next_up(), with the viewer's progress in it when they started it."""

    item = serializers.SerializerMethodField()

    @extend_schema_field(ItemReferenceSerializer)
    def get_item(self, episode: Episode) -> dict:
        return item_reference(
            movie=None,
            episode=episode,
            title=_item_title(None, episode),
            position=episode.resume_position or 0,
            duration=episode.resume_duration,
        )
