"""Filters of the playback sessions API."""

from __future__ import annotations

from django_filters import rest_framework as filters

from apps.accounts.selectors import users_visible_to
from apps.core.api.visible_filters import visible_choice
from apps.playback.models import PlaybackSession


class SessionFilter(filters.FilterSet):
    user = visible_choice(users_visible_to)

    class Meta:
        model = PlaybackSession
        fields = ["state", "method", "user"]
