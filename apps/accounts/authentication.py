"""API token authentication: `Authorization: Token <key>` or `Authorization: Bearer <key>`.

The token and its user are read from the cache, not the database, on every request after the first: the entry is
keyed by the key's hash under the scopes of the user (any save of them) and of their tokens (a token saved or
deleted, so a revoked key fails at once). Which user a hash names never changes, so each process remembers that.
"""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

# schema: its OpenAPI description, registered wherever the class is loaded (every API view, the schema) and not at
# start-up, where drf-spectacular took a third of a management command's set-up time.
from apps.accounts import ip_rules, schema  # noqa: F401
from apps.accounts.models import ApiToken, User
from apps.accounts.services import tokens
from apps.core import caching
from apps.core.client_ip import client_ip

KEYWORDS = (b"token", b"bearer")
TOKEN_SECONDS = 600
REMEMBERED = 10_000  # hashes and touches each process keeps; past this it starts again
_owners: dict[str, int] = {}  # key hash -> user id
_touched: dict[int, datetime] = {}  # token id -> when this process last recorded its use


def _token_read(key_hash: str) -> ApiToken | None:
    return ApiToken.objects.select_related("user").filter(key_hash=key_hash).first()


def token_found(key_hash: str) -> ApiToken | None:
    """The token of this key hash with its user, from the cache when it was read before; None when there is none."""
    owner, read = _owners.get(key_hash), None
    if owner is None:
        read = _token_read(key_hash)
        if read is None:
            return None  # unknown keys are not remembered: nothing to fill the cache with
        if len(_owners) >= REMEMBERED:
            _owners.clear()
        _owners[key_hash] = owner = read.user_id
    # One round trip for the scopes this request's cached reads ask next (who may see what, fetched images).
    caching.versions([caching.user(owner), caching.api_tokens(owner), caching.ACCESS, "images"])
    return caching.cached(
        "api-token",
        key_hash,
        lambda: read or _token_read(key_hash),
        ttl=TOKEN_SECONDS,
        negative_ttl=TOKEN_SECONDS,  # a revoked key: its scope was bumped, so this entry is new and says "none"
        scopes=[caching.user(owner), caching.api_tokens(owner)],
        local=True,
    )


def token_scopes(request: HttpRequest) -> list[str]:
    """The scopes that authenticating this request's API token will read, when this process has seen its key
    before; none for other requests."""
    parts = authentication.get_authorization_header(request).split()
    if len(parts) != 2 or parts[0].lower() not in KEYWORDS:
        return []
    try:
        owner = _owners.get(tokens.token_hash(parts[1].decode("ascii")))
    except UnicodeDecodeError:
        return []
    return [] if owner is None else [caching.user(owner), caching.api_tokens(owner)]


def _touch(token: ApiToken, ip: str | None) -> None:
    # A cached token's last use is as old as the entry: this process's own record of it is newer.
    seen = _touched.get(token.pk)
    if seen is not None and (token.last_used_at is None or seen > token.last_used_at):
        token.last_used_at = seen
    tokens.api_token_touch(token=token, ip=ip)
    if len(_touched) >= REMEMBERED:
        _touched.clear()
    if token.last_used_at is not None:
        _touched[token.pk] = token.last_used_at


class IPRefused(exceptions.PermissionDenied):
    default_detail = ip_rules.REFUSED_MESSAGE
    default_code = "ip_blocked"


class ApiTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header: expected '<keyword> <token>'."))
        try:
            raw_key = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("Invalid token header: the token has invalid characters.")) from exc
        token = token_found(tokens.token_hash(raw_key))
        if token is None or token.is_expired:
            raise exceptions.AuthenticationFailed(_("Invalid or expired token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        # The IP middleware ran before DRF knew this user: "staff only from" is decided again, for them.
        django_request = getattr(request, "_request", request)
        kind = ip_rules.refusal(django_request, user=token.user)
        if kind is not None:
            ip_rules.refusal_record(django_request, kind)
            raise IPRefused()
        _touch(token, client_ip(request))
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return "Token"
