"""Cached home rows over HTTP: the whole row is cached (apps/playback/watch_rows.py) and each request pages it.

The page links depend on the request's host, the items do not, so they stay out of the cache.
"""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.response import Response

from apps.playback.watch_rows import row_items


class CachedRowMixin:
    """`list` pages through the caller's cached row."""

    row_name = ""

    def list(self, request: Request, *args, **kwargs) -> Response:
        items = row_items(name=self.row_name, user=request.user)
        page = self.paginate_queryset(items)
        if page is None:
            return Response(items)
        return self.get_paginated_response(page)
