"""Catalogue pagination: the total count is remembered until what it counted or who may see it changes.

Counting every visible movie is the one part of a list whose cost grows with the catalogue; the page
itself is an index range. Counts are keyed by the versions of the user's visible libraries, access and the
user, which scans, edits, grants and role changes bump, so a count is never served after it changed.
"""

from __future__ import annotations

from functools import partial

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

from apps.core import caching
from apps.core.api.pagination import PageNumberPagination
from apps.media.selectors import catalogue_scopes

COUNT_SECONDS = 600
DEEP_ROWS = 1000  # from this many skipped titles on, a page's ids are read first (an index-only skip)


class CachedCountPaginator(Paginator):
    """A paginator whose count is `known_count` when given, else kept in the cache under `count_key`
    ((key, scopes)) when given, else counted."""

    def __init__(self, object_list, per_page, *, count_key: tuple = (), known_count: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_key = count_key
        self.known_count = known_count

    def page(self, number) -> Page:
        """A deep page (page 1,000 of a 100,000-title list) skips its titles in the index of its order, reading
        ids only, then reads its own rows by id: skipping rows over the table read every skipped row (90 ms)."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if bottom < DEEP_ROWS or not isinstance(self.object_list, QuerySet):
            return super().page(number)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        # The rows go through the same visibility and filters again and come back in the order of the ids.
        rows = {_pk(row): row for row in self.object_list.filter(pk__in=ids)} if ids else {}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)

    @cached_property
    def count(self) -> int:
        if self.known_count is not None:
            return self.known_count
        if not self.count_key:
            return super().count
        key, scopes = self.count_key
        # Paginator's own count, asked through its cached property's function: `super()` does not reach a lambda.
        return caching.cached("list-count", key, lambda: Paginator.count.func(self), ttl=COUNT_SECONDS, scopes=scopes)


def _pk(row) -> int:
    return row["id"] if isinstance(row, dict) else row.pk


class CatalogueCountPagination(PageNumberPagination):
    def paginate_queryset(self, queryset, request, view=None):
        params = sorted(
            (k, v) for k, v in request.query_params.lists() if k not in ("page", self.page_size_query_param)
        )
        key = (request.path, request.user.pk, params)
        scopes = catalogue_scopes(user=request.user)
        # DRF makes the paginator with (queryset, page size) only: this request's key goes in beforehand.
        self.django_paginator_class = partial(CachedCountPaginator, count_key=(key, scopes))
        return super().paginate_queryset(queryset, request, view)
