"""Filters of the duplicates API."""

from __future__ import annotations

from django_filters import rest_framework as filters

from apps.core.api.visible_filters import visible_choice
from apps.libraries.selectors import libraries_visible_to
from apps.media.models import DuplicateGroup


class DuplicateGroupFilter(filters.FilterSet):
    library = visible_choice(libraries_visible_to)

    class Meta:
        model = DuplicateGroup
        fields = ["kind", "status", "library"]
