"""Writes of the accounts app."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import ApiToken, User
from apps.core import events

TOKEN_PREFIX = "rvg_"  # noqa: S105 - a marker, not a secret
LAST_USED_RESOLUTION = timedelta(minutes=1)


def token_hash(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


def api_token_create(*, user: User, name: str, expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns the row and the raw key, which is not stored anywhere."""
    raw_key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:100], prefix=raw_key[:12], key_hash=token_hash(raw_key), expires_at=expires_at
    )
    return token, raw_key


def api_token_touch(*, token: ApiToken) -> None:
    """Record use, at most once a minute per token, so that reads do not all become writes."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def admin_ensure(*, username: str = "admin", password: str = "") -> tuple[User | None, str]:
    """Create the first superuser when there is none; returns (user, password) or (None, "") if one exists."""
    with transaction.atomic():
        if User.objects.filter(is_superuser=True).exists():
            return None, ""
        password = password or secrets.token_urlsafe(12)
        user = User.objects.create_superuser(username=username, email="", password=password)
        events.emit("user.created", user_id=user.pk, username=user.username)
    return user, password
