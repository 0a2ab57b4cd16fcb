"""Filters of the requests API."""

from django.db.models import Q, QuerySet
from django_filters import rest_framework as filters

from apps.requests.models import MediaRequest


class MediaRequestFilter(filters.FilterSet):
    mine = filters.BooleanFilter(method="filter_mine", help_text="Only requests you made or joined.")

    class Meta:
        model = MediaRequest
        fields = ["status", "kind", "is_4k"]

    def filter_mine(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        user = self.request.user
        mine = MediaRequest.objects.filter(Q(requested_by=user) | Q(subscribers=user)).values("pk")
        return queryset.filter(pk__in=mine) if value else queryset.exclude(pk__in=mine)
