"""Cached catalogue list pages: one page of results per query string and visibility class.

A list page costs far more in Python (filters, queryset, serializing every item) than any detail, and home rows
ask for the same few pages all day. A page is kept until what the class may see changes (access, a visible
library's contents, fetched images); the links to the next and previous pages are built for each request, as
they name its host.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core import caching
from apps.media.selectors import catalogue_scopes, visibility_class

LIST_SECONDS = 300


class CachedListMixin:
    """`list` answers from the cache of this page for the caller's visibility class; the links are the request's."""

    def list(self, request: Request, *args, **kwargs) -> Response:
        user = request.user
        params = sorted((name, sorted(values)) for name, values in request.query_params.lists())
        page = caching.cached(
            "list-page",
            (request.path, params, visibility_class(user=user)),
            lambda: self._page_payload(request, *args, **kwargs),
            ttl=LIST_SECONDS,
            scopes=[*catalogue_scopes(user=user, shared=True), "images"],  # items carry their poster's hash
            local=True,
        )
        if page["count"] is None:  # not paginated (no page size): the list as it is
            return Response(page["results"])
        pagination = self.paginator
        pagination.request = request
        pagination.page = Paginator(range(page["count"]), page["size"]).page(page["number"])
        return pagination.get_paginated_response(page["results"])

    def _page_payload(self, request: Request, *args, **kwargs) -> dict:
        # ListModelMixin.list's steps, with the items built by `page_items` (a view may have a faster way).
        queryset = self.page_rows(self.filter_queryset(self.get_queryset()))
        items = self.paginate_queryset(queryset)
        if items is None:
            return {"count": None, "results": self.page_items(list(queryset))}
        page = self.paginator.page
        return {
            "count": page.paginator.count,
            "size": page.paginator.per_page,
            "number": page.number,
            "results": self.page_items(list(items)),
        }

    def page_rows(self, queryset):
        """What a page reads of the filtered queryset, by default its model instances."""
        return queryset

    def page_items(self, items: list) -> list[dict]:
        """The payload of each item of the page, by default through the view's serializer."""
        return [dict(item) for item in self.get_serializer(items, many=True).data]
