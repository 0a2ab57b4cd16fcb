"""Cached title details: one payload per item and visibility class, shared by every user of that class.

The key holds the whole visibility class (visible and managed libraries, limits, whether paths show), so two
users share an entry only when the payload would be the same for both; "not found" is kept briefly too.
Nothing per user (watch progress) is in these payloads: it must be laid over them after the cache, never in.
"""

from __future__ import annotations

from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core import caching
from apps.media.selectors import item_library_id, visibility_class

DETAIL_SECONDS = 600
NOT_FOUND_SECONDS = 30
REMEMBERED = 100_000  # item -> library pairs a process keeps (a few MB); past this it starts again
_libraries: dict[tuple[str, int], int] = {}


def _library_of(kind: str, pk: int) -> int | None:
    # Items never move between libraries: once known, a process keeps the answer, read once from the database
    # (cheaper than the shared cache's lock and reads on a miss).
    library_id = _libraries.get((kind, pk))
    if library_id is None:
        library_id = item_library_id(kind=kind, pk=pk)
        if library_id is not None:
            if len(_libraries) >= REMEMBERED:
                _libraries.clear()
            _libraries[(kind, pk)] = library_id
    return library_id


def detail_scopes(*, user, kind: str, pk: int) -> list[str]:
    """The scopes a detail depends on: access, the item and its library's contents; not the user, whose rights
    are in the key's visibility class. A scan of another library leaves the entry alone."""
    scopes = [caching.ACCESS, caching.item(kind, pk)]
    library_id = _library_of(kind, pk)
    if library_id is not None:
        scopes.append(caching.library(library_id))
    return scopes


class CachedDetailMixin:
    """`retrieve` answers from the cache of the item's detail for the caller's visibility class."""

    detail_kind = ""

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        try:
            pk = int(self.kwargs[self.lookup_url_kwarg or self.lookup_field])
        except (TypeError, ValueError) as exc:
            raise exceptions.NotFound() from exc
        user = request.user
        visibility = visibility_class(user=user)
        data = caching.cached(
            "item-detail",
            (self.detail_kind, pk, visibility),
            lambda: self.detail_payload(pk, visibility=visibility),
            ttl=DETAIL_SECONDS,
            negative_ttl=NOT_FOUND_SECONDS,
            scopes=detail_scopes(user=user, kind=self.detail_kind, pk=pk),
            local=True,
        )
        if data is None:
            raise exceptions.NotFound()
        return Response(data)

    def detail_payload(self, pk: int, *, visibility: tuple) -> dict | None:
        """The item's payload for the caller's visibility class, or None when they may not see it. Never through a
        list's filters (as `get_object` would apply them): the answer is cached for the whole class."""
        raise NotImplementedError
