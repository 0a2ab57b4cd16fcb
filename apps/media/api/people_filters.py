"""Filters of the people API."""

from __future__ import annotations

from django.db.models import QuerySet
from django_filters import rest_framework as filters

from apps.media.models import Person


class PersonFilter(filters.FilterSet):
    q = filters.CharFilter(method="filter_q", max_length=200, help_text="Part of the person's name.")

    class Meta:
        model = Person
        fields = ["q"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(name__icontains=value.strip())
