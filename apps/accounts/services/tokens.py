"""API tokens: created for a user or a sign-in, touched on use, revoked."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.utils import timezone

from apps.accounts.devices import user_agent_clean
from apps.accounts.models import ApiToken, User
from apps.accounts.services.sessions import _require_may_manage
from apps.core import events
from apps.core.client_ip import client_ip, ip_or_none

TOKEN_PREFIX = "rvg_"  # noqa: S105 - a marker, not a secret
LAST_USED_RESOLUTION = timedelta(minutes=1)


def token_hash(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


def api_token_create(
    *,
    user: User,
    name: str,
    expires_at: datetime | None = None,
    by: User | None = None,
    user_agent: str = "",
    ip: str | None = None,
) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns the row and the raw key, which is not stored anywhere."""
    raw_key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=raw_key[:12],
        key_hash=token_hash(raw_key),
        expires_at=expires_at,
        user_agent=user_agent_clean(user_agent),
        last_ip=ip_or_none(ip),
    )
    events.emit(
        "auth.token_created",
        user_id=user.pk,
        username=user.get_username(),
        token_id=token.pk,
        name=token.name,
        by_id=by.pk if by else None,
    )
    return token, raw_key


def api_token_login(
    *, request, username: str, password: str, device_name: str, expires_in_days: int | None = None
) -> tuple[ApiToken, str] | None:
    """A named token for whoever these credentials belong to; None when they do not sign anyone in."""
    # The plain Django request: django-axes flags a lockout on it, and its middleware reads it there.
    request = getattr(request, "_request", request)
    user = authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        return None
    expires_at = timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None
    ip, user_agent = ip_or_none(client_ip(request)), user_agent_clean(request.META.get("HTTP_USER_AGENT", ""))
    created = api_token_create(
        user=user, name=device_name, expires_at=expires_at, by=user, user_agent=user_agent, ip=ip
    )
    # A sign-in like any other for its listeners (django-axes resets failure counts, last_login moves);
    # `token` tells the session recorder that no session was signed in.
    user_logged_in.send(sender=user.__class__, request=request, user=user, token=created[0])
    events.emit(
        "auth.login", user_id=user.pk, username=user.get_username(), ip=ip, user_agent=user_agent, method="token"
    )
    return created


def api_token_touch(*, token: ApiToken, ip: str | None = None) -> None:
    """Record use and the client address, at most once a minute per token, so that reads do not all become writes."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ip = ip_or_none(ip)
        changes = {"last_used_at": now} | ({"last_ip": ip} if ip else {})
        ApiToken.objects.filter(pk=token.pk).update(**changes)
        for field, value in changes.items():
            setattr(token, field, value)


@transaction.atomic
def token_revoke(*, token: ApiToken, by: User | None) -> None:
    """Delete an API token; requests with its key fail from now on."""
    user = token.user
    _require_may_manage(by, user)
    token_id, name = token.pk, token.name
    token.delete()
    events.emit(
        "auth.token_revoked",
        user_id=user.pk,
        username=user.get_username(),
        token_id=token_id,
        name=name,
        by_id=by.pk if by else None,
    )
