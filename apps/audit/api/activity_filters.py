"""Filters of the activity API."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django_filters import rest_framework as filters

from apps.audit.models import Activity


class ActivityFilter(filters.FilterSet):
    user = filters.NumberFilter(method="filter_user", help_text="Entries by or about this user id.")
    action = filters.CharFilter(field_name="event", help_text="login, login_failed, lockout, create, update, …")
    object_type = filters.CharFilter(method="filter_object_type", help_text='"app_label.model", e.g. accounts.user.')
    object_id = filters.CharFilter(field_name="object_pk")
    success = filters.TypedChoiceFilter(
        choices=[("true", "true"), ("false", "false")], coerce=lambda value: value == "true"
    )
    since = filters.IsoDateTimeFilter(field_name="timestamp", lookup_expr="gte")
    until = filters.IsoDateTimeFilter(field_name="timestamp", lookup_expr="lt")
    ip = filters.CharFilter(field_name="remote_addr")

    class Meta:
        model = Activity
        fields = ["user", "action", "object_type", "object_id", "success", "since", "until", "ip"]

    def filter_user(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        about = Q(content_type__app_label="accounts", content_type__model="user", object_pk=str(int(value)))
        return queryset.filter(Q(actor_id=value) | about)

    def filter_object_type(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        app_label, _, model = value.lower().partition(".")
        if not model:
            return queryset.none()
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)
