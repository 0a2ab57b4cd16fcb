"""Cached home rows: continue watching and next up, per user, until their progress or what they may see changes."""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.response import Response

from apps.core import caching
from apps.playback.watch_selectors import watching_scopes

ROW_SECONDS = 300


class CachedRowMixin:
    """`list` answers from the cache of the caller's row; the page links are part of it, so the URL is in the key."""

    cache_namespace = ""

    def list(self, request: Request, *args, **kwargs) -> Response:
        user = request.user
        data = caching.cached(
            self.cache_namespace,
            (user.pk, request.build_absolute_uri()),
            lambda: super(CachedRowMixin, self).list(request, *args, **kwargs).data,
            ttl=ROW_SECONDS,
            scopes=watching_scopes(user=user),
        )
        return Response(data)
