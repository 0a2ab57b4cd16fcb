"""Base viewsets: every queryset comes from the app's selector, so visibility is decided in one place."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet
from rest_framework import viewsets


class SelectorMixin:
    """`selector(user=...)` returns what the user may see; objects outside it answer 404, never 403."""

    selector: Callable[..., QuerySet]
    # ASCII digits only: Python's int() also reads fullwidth and other Unicode digits, which would alias every id.
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet:
        return type(self).selector(user=self.request.user)


class SelectorReadOnlyViewSet(SelectorMixin, viewsets.ReadOnlyModelViewSet):
    pass


class SelectorModelViewSet(SelectorMixin, viewsets.ModelViewSet):
    pass
