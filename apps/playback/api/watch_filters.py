"""Filters of the watch history."""

from __future__ import annotations

from django.db.models import QuerySet
from django_filters import rest_framework as filters

from apps.playback.models import PlaybackSession


class HistoryFilter(filters.FilterSet):
    user = filters.NumberFilter(field_name="user_id", help_text="Plays of this user id (managers).")
    kind = filters.ChoiceFilter(
        choices=[("movie", "movie"), ("episode", "episode")], method="filter_kind", help_text="movie or episode"
    )
    method = filters.ChoiceFilter(choices=PlaybackSession.Method.choices)
    state = filters.ChoiceFilter(choices=PlaybackSession.State.choices)
    since = filters.IsoDateTimeFilter(field_name="started_at", lookup_expr="gte")
    until = filters.IsoDateTimeFilter(field_name="started_at", lookup_expr="lt")

    class Meta:
        model = PlaybackSession
        fields = ["user", "kind", "method", "state", "since", "until"]

    def filter_kind(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(**{f"{value}__isnull": False})
