"""Reads of the libraries app; the only place that decides which libraries a user sees."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet
from guardian.shortcuts import get_objects_for_user

from apps.accounts.selectors import effective_settings
from apps.core import caching, request_memo
from apps.libraries.models import Library

VISIBLE_SECONDS = 600


def libraries_visible_to(*, user, perm: str = "libraries.view_library") -> QuerySet[Library]:
    """Libraries granted to the user or their role (or all with the global permission), of allowed kinds.

    Disabled libraries are visible only to those who may change libraries.
    """
    if not user or not user.is_authenticated or not user.is_active:
        return Library.objects.none()
    return Library.objects.filter(pk__in=library_ids_visible_to(user=user, perm=perm))


def library_ids_visible_to(*, user, perm: str = "libraries.view_library") -> list[int]:
    """The ids of `libraries_visible_to`, sorted; cached per user until access or the user changes, and read
    from the cache once per request."""
    if not user or not user.is_authenticated or not user.is_active:
        return []
    return request_memo.memoized(
        ("visible-libraries", user.pk, perm),
        lambda: caching.cached(
            "visible-libraries",
            (user.pk, perm),
            lambda: sorted(_libraries_granted(user, perm).values_list("pk", flat=True)),
            ttl=VISIBLE_SECONDS,
            scopes=[caching.ACCESS, caching.user(user.pk)],
            local=True,  # asked by most requests; their scopes' versions are read at the start of each
        ),
    )


def _libraries_granted(user, perm: str) -> QuerySet[Library]:
    libraries = get_objects_for_user(user, perm, klass=Library, accept_global_perms=True, with_superuser=True)
    if not user.has_perm("libraries.change_library"):
        libraries = libraries.filter(enabled=True)
        kinds = effective_settings(user=user).allowed_library_kinds
        if kinds:
            libraries = libraries.filter(kind__in=kinds)
    return libraries


def sees_paths_of(*, user) -> Callable[[int | None], bool]:
    """A test of whether `user` may see the server paths of a library (by id): only those who manage it."""
    if not user or not user.is_authenticated or not user.is_active:
        return lambda library_id: False
    if user.has_perm("libraries.change_library"):
        return lambda library_id: True
    managed = set(library_ids_visible_to(user=user, perm="libraries.manage_library"))
    return lambda library_id: library_id in managed
