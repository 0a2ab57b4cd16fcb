"""Reads of the accounts app: effective settings (user override > role > server default), visible users."""

from __future__ import annotations

from dataclasses import dataclass, fields

from django.core.cache import cache
from django.db.models import Q, QuerySet

from apps.accounts.models import SETTING_FIELDS, LoginLockout, Role, User
from apps.accounts.role_settings import setting_values_valid
from apps.accounts.rules import rank_of
from apps.core import caching, request_memo

CACHE_SECONDS = 3600

# What a user without any role gets: the least a signed-in person may do.
SERVER_DEFAULTS: dict = {
    "max_streams": 1,
    "max_transcode_height": 720,
    "max_transcode_bitrate_kbps": 0,
    "may_download": False,
    "request_quota_movies": 0,
    "request_quota_shows": 0,
    "request_quota_days": 7,
    "requests_auto_approved": False,
    "may_approve_requests": False,
    "allowed_library_kinds": [],
    "max_parental_age": None,
    "block_unrated": False,
    "allowed_genres": [],
    "blocked_genres": [],
    "feature_flags": {},
}


@dataclass(frozen=True)
class EffectiveSettings:
    max_streams: int
    max_transcode_height: int
    max_transcode_bitrate_kbps: int
    may_download: bool
    request_quota_movies: int
    request_quota_shows: int
    request_quota_days: int
    requests_auto_approved: bool
    may_approve_requests: bool
    allowed_library_kinds: list
    max_parental_age: int | None
    block_unrated: bool
    allowed_genres: list
    blocked_genres: list
    feature_flags: dict

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _cache_key(user_id: int) -> str:
    return f"effective-settings:{user_id}"


def effective_settings(*, user: User) -> EffectiveSettings:
    """The settings that apply to `user`, decided here only; cached until an input changes."""
    if not user or not user.is_authenticated:
        return EffectiveSettings(**SERVER_DEFAULTS)
    return EffectiveSettings(**request_memo.memoized(("effective-settings", user.pk), lambda: _settings_values(user)))


def _settings_values(user: User) -> dict:
    cached = cache.get(_cache_key(user.pk))
    caching.record("effective-settings", hit=cached is not None)
    if cached is None:
        values = dict(SERVER_DEFAULTS)
        role = Role.objects.filter(pk=user.role_id).first() if user.role_id else None
        if role is not None:
            values.update(setting_values_valid({name: getattr(role, name) for name in SETTING_FIELDS}))
        overrides = User.objects.filter(pk=user.pk).values_list("settings_overrides", flat=True).first() or {}
        # Rows written before overrides were checked may hold anything: such a value is ignored, not obeyed.
        values.update(setting_values_valid(overrides))
        cached = values
        cache.set(_cache_key(user.pk), cached, CACHE_SECONDS)
    return cached


def effective_settings_forget(*, user_ids: list[int]) -> None:
    """Drop cached settings of these users; the next request computes them again."""
    if user_ids:
        cache.delete_many([_cache_key(pk) for pk in user_ids])
        request_memo.forget()


def users_visible_to(*, user: User) -> QuerySet[User]:
    """Managers see users of their rank or lower; others see only themselves."""
    if not user or not user.is_authenticated:
        return User.objects.none()
    if not user.has_perm("accounts.view_user"):
        return User.objects.filter(pk=user.pk)
    users = User.objects.select_related("role__group")
    if user.is_superuser:
        return users
    # The queryset form of rules.outranks: users ranked at most as high as the viewer.
    rank = rank_of(user)
    return users.filter(is_superuser=False).filter(Q(role__rank__lte=rank) | Q(role__isnull=True) | Q(pk=user.pk))


def roles_visible_to(*, user: User) -> QuerySet[Role]:
    if not user or not user.is_authenticated:
        return Role.objects.none()
    return Role.objects.select_related("group")


def lockouts_visible_to(*, user: User) -> QuerySet[LoginLockout]:
    """Failed-login counters and their locks, for those who may view them (as the admin's *Login lockouts*)."""
    if not user or not user.is_authenticated or not user.has_perm("accounts.view_loginlockout"):
        return LoginLockout.objects.none()
    return LoginLockout.objects.all()


def lockouts_active(*, lockouts: QuerySet[LoginLockout], now) -> QuerySet[LoginLockout]:
    """Of `lockouts`, those locked now: until unlocked, or until a time still to come."""
    return lockouts.filter(Q(permanent=True) | Q(locked_until__gt=now))
