"""Filters of the scans API."""

from django_filters import rest_framework as filters

from apps.core.api.visible_filters import visible_choice
from apps.libraries.models import LibraryScan
from apps.libraries.selectors import libraries_visible_to


class LibraryScanFilter(filters.FilterSet):
    library = visible_choice(libraries_visible_to)

    class Meta:
        model = LibraryScan
        fields = ["library", "status", "kind"]
