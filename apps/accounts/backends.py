"""Django's model backend, with the signed-in session's user and their permissions read from the cache.

Every request of a session loads its user; the entry is keyed under the user's scope, which any save or delete of
the user bumps (at once and again at commit), so a deactivated, deleted or re-passworded user is seen at once.
Permissions also depend on the user's role: they are kept under access too, which a role's permissions bump.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from apps.accounts.models import User
from apps.core import caching

USER_SECONDS = 600
PERMISSIONS_SECONDS = 600


def _user_read(pk: int) -> User | None:
    return User._default_manager.filter(pk=pk).first()


class CachedModelBackend(ModelBackend):
    def get_user(self, user_id) -> User | None:
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        # One round trip for the scopes this request's cached reads ask next (who may see what, fetched images).
        caching.versions([caching.user(pk), caching.ACCESS, "images"])
        user = caching.cached(
            "session-user",
            pk,
            lambda: _user_read(pk),
            ttl=USER_SECONDS,
            scopes=[caching.user(pk)],
            local=True,  # pickled per process: each request gets its own copy to set attributes on
        )
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        """The user's own and role permissions, from the cache: two queries a request saved wherever a view or
        serializer asks `has_perm` of a user read from a token or a session."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = caching.cached(
                "user-permissions",
                user_obj.pk,
                lambda: super(CachedModelBackend, self).get_all_permissions(user_obj),
                ttl=PERMISSIONS_SECONDS,
                scopes=[caching.ACCESS, caching.user(user_obj.pk)],
                local=True,
            )
        return user_obj._perm_cache
