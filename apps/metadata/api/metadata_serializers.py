"""Bodies of the identify and refresh endpoints."""

from __future__ import annotations

from django.conf import settings
from rest_framework import serializers

from apps.metadata.tmdb.client import IMAGE_PATH

MAX_TMDB_ID = 2**31 - 1


def poster_url(poster_path: str | None) -> str | None:
    """TMDb's own small poster of a candidate (not stored here): only for a path shaped as TMDb names images."""
    if not poster_path or not IMAGE_PATH.match(poster_path):
        return None
    return f"{settings.TMDB_IMAGE_URL}/w185{poster_path}"


class IdentifyQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False, max_length=200, help_text="Title to search for; the item's own by default."
    )
    year = serializers.IntegerField(required=False, min_value=1870, max_value=2999)


class CandidateSerializer(serializers.Serializer):
    tmdb_id = serializers.IntegerField()
    title = serializers.CharField()
    original_title = serializers.CharField(allow_blank=True)
    year = serializers.IntegerField(allow_null=True)
    overview = serializers.CharField(allow_blank=True)
    poster_url = serializers.SerializerMethodField(help_text="TMDb's small poster of the candidate.")
    score = serializers.FloatField(help_text="How well it matches the item's title and year, 0 to 1.")

    def get_poster_url(self, candidate: dict) -> str | None:
        return poster_url(candidate.get("poster_path"))


class IdentifySerializer(serializers.Serializer):
    tmdb_id = serializers.IntegerField(
        min_value=1, max_value=MAX_TMDB_ID, help_text="The TMDb id to match the item to."
    )


class RefreshQueuedSerializer(serializers.Serializer):
    movies = serializers.ListField(child=serializers.IntegerField(), help_text="Movies queued one by one.")
    shows = serializers.ListField(child=serializers.IntegerField(), help_text="Shows queued one by one.")
    library = serializers.IntegerField(allow_null=True, help_text="The library whose titles were queued.")
    everything = serializers.BooleanField(help_text="Whether every enabled library was queued.")
    tasks = serializers.IntegerField(help_text="Tasks queued on the workers.")
