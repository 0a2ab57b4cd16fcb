"""Catalogue pagination: the total count is remembered until the catalogue or anyone's access changes.

Counting every visible movie is the one part of a list whose cost grows with the catalogue; the page
itself is an index range. Counts are keyed by the "catalogue" version, which scans, grants and role
changes bump, so a count is never served after what it counted has changed.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.core.paginator import Paginator
from django.utils.functional import cached_property

from apps.core import caching
from apps.core.api.pagination import PageNumberPagination

COUNT_SECONDS = 600


class CachedCountPaginator(Paginator):
    count_key = ""

    @cached_property
    def count(self) -> int:
        if not self.count_key:
            return super().count
        cached = cache.get(self.count_key)
        if cached is None:
            cached = super().count
            cache.set(self.count_key, cached, COUNT_SECONDS)
        return cached


class CatalogueCountPagination(PageNumberPagination):
    def paginate_queryset(self, queryset, request, view=None):
        params = sorted(
            (k, v) for k, v in request.query_params.lists() if k not in ("page", self.page_size_query_param)
        )
        raw = f"{request.path}|{request.user.pk}|{params}|{caching.version('catalogue')}"
        key = "list-count:" + hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()
        self.django_paginator_class = type("KeyedPaginator", (CachedCountPaginator,), {"count_key": key})
        return super().paginate_queryset(queryset, request, view)
