"""Writes about signed-in sessions and API tokens: record, touch, revoke, sign out everywhere."""

from __future__ import annotations

import hashlib
import time
from importlib import import_module
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import auth
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.http import HttpRequest
from django.utils import timezone

from apps.accounts.devices import device_label, user_agent_clean
from apps.accounts.models import ApiToken, LoginSession, User
from apps.accounts.session_selectors import may_manage_devices
from apps.core import caching, events
from apps.core.client_ip import client_ip, ip_or_none

if TYPE_CHECKING:
    from rest_framework.request import Request

LAST_SEEN_SECONDS = 60  # last_seen_at is written at most this often per session
TOUCHED_KEPT = 10_000  # sessions whose touch this process remembers; past this it starts again
_touched: dict[str, float] = {}  # session key -> until when this process skips touching it
DB_ENGINE = "django.contrib.sessions.backends.db"


def request_ip(request: HttpRequest) -> str | None:
    """The client IP as stored in IP columns (trusted proxies honoured), or None."""
    return ip_or_none(client_ip(request))


def request_user_agent(request: HttpRequest) -> str:
    return user_agent_clean(request.META.get("HTTP_USER_AGENT", ""))


def login_method(request: HttpRequest) -> str:
    return "admin" if request.path.startswith("/admin/") else "session"


def _seen_gate(session_key: str) -> str:
    # Hashed: a session key is a credential and has no business in cache key names.
    return "session-seen:" + hashlib.sha256(session_key.encode()).hexdigest()[:32]


def _require_may_manage(by: User | None, user: User) -> None:
    """Yourself always; others as the selector decides (accounts.change_user and a rank at least theirs)."""
    if by is not None and not may_manage_devices(viewer=by, user=user):
        raise PermissionDenied("you may not end the sessions or tokens of this user")


def session_login(*, request: HttpRequest, username: str, password: str) -> User | None:
    """Sign in with a password into this request's session; None when the credentials sign nobody in."""
    # The plain Django request: django-axes flags a lockout on it, and its middleware reads it there.
    request = getattr(request, "_request", request)
    user = auth.authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        return None
    auth.login(request, user)
    return user


def session_record(*, request: HttpRequest, user: User) -> LoginSession | None:
    """On login: remember the session's device and address, and announce the login."""
    session = getattr(request, "session", None)
    key = session.session_key if session is not None else None
    ip, user_agent = request_ip(request), request_user_agent(request)
    row = None
    if key:
        # Sessions that expired without a logout leave rows behind: drop this user's at each sign-in.
        live = Session.objects.filter(session_key=OuterRef("session_key"), expire_date__gt=timezone.now())
        LoginSession.objects.filter(user=user).exclude(Exists(live)).exclude(session_key=key).delete()
        row, _ = LoginSession.objects.update_or_create(
            session_key=key,
            defaults={"user": user, "user_agent": user_agent, "ip": ip, "last_seen_at": timezone.now()},
        )
        cache.set(_seen_gate(key), 1, LAST_SEEN_SECONDS)
    events.emit(
        "auth.login",
        user_id=user.pk,
        username=user.get_username(),
        ip=ip,
        user_agent=user_agent,
        method=login_method(request),
    )
    return row


def session_forget(*, request: HttpRequest, user: User | None) -> None:
    """On logout: the session is gone, and so is its row."""
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        LoginSession.objects.filter(session_key=session.session_key).delete()
    if user is not None and user.is_authenticated:
        events.emit(
            "auth.logout",
            user_id=user.pk,
            username=user.get_username(),
            ip=request_ip(request),
            method=login_method(request),
        )


def session_touch(*, request: HttpRequest) -> None:
    """Record when and from where a signed-in session was last used, at most once a minute."""
    session = getattr(request, "session", None)
    key = session.session_key if session is not None else None
    if not key:
        return
    # This process's own gate first: most requests of a session come within the minute, and skip the cache's.
    now_monotonic = time.monotonic()
    if _touched.get(key, 0.0) > now_monotonic:
        return
    if len(_touched) >= TOUCHED_KEPT:
        _touched.clear()
    _touched[key] = now_monotonic + LAST_SEEN_SECONDS
    if not cache.add(_seen_gate(key), 1, LAST_SEEN_SECONDS):
        return
    user = getattr(request, "user", None)  # evaluated here: checks the auth hash, so a dead session is anonymous
    if user is None or not user.is_authenticated or not session.session_key:
        return
    ip, now = request_ip(request), timezone.now()
    if LoginSession.objects.filter(session_key=key).update(last_seen_at=now, ip=ip):
        return
    # A session signed in before sessions were recorded, or whose key was cycled: adopt it.
    try:
        with transaction.atomic():
            LoginSession.objects.create(
                user=user, session_key=key, user_agent=request_user_agent(request), ip=ip, last_seen_at=now
            )
    except IntegrityError:
        pass  # a concurrent request adopted it first


def session_rekey(*, old_key: str | None, new_key: str | None) -> None:
    """A session whose key was cycled (update_session_auth_hash) keeps its device row."""
    if old_key and new_key and old_key != new_key:
        LoginSession.objects.filter(session_key=old_key).update(session_key=new_key)


def sessions_end(keys: list[str]) -> int:
    """Delete these Django sessions and their rows; returns how many were still alive."""
    alive = Session.objects.filter(session_key__in=keys, expire_date__gt=timezone.now()).count()
    Session.objects.filter(session_key__in=keys).delete()
    if settings.SESSION_ENGINE != DB_ENGINE:
        # An engine with a cache in front of the table (cached_db) would go on serving its copies.
        store = import_module(settings.SESSION_ENGINE).SessionStore()
        for key in keys:
            store.delete(key)
    LoginSession.objects.filter(session_key__in=keys).delete()
    return alive


@transaction.atomic
def session_revoke(*, user: User, session_id: int, by: User | None) -> bool:
    """End one signed-in session of `user`; False when there is no such session."""
    _require_may_manage(by, user)
    row = LoginSession.objects.filter(pk=session_id, user=user).first()
    if row is None:
        return False
    sessions_end([row.session_key])
    events.emit(
        "auth.session_revoked",
        user_id=user.pk,
        username=user.get_username(),
        session_id=session_id,
        device=device_label(row.user_agent),
        by_id=by.pk if by else None,
    )
    return True


@transaction.atomic
def credentials_end(*, user: User, keep_session: str | None = None) -> tuple[int, int]:
    """End every recorded session of `user` but `keep_session`, and every API token; returns the live ones ended."""
    recorded = LoginSession.objects.filter(user=user)
    if keep_session:
        recorded = recorded.exclude(session_key=keep_session)
    sessions = sessions_end(list(recorded.values_list("session_key", flat=True)))
    live_tokens = Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
    tokens = ApiToken.objects.filter(user=user).filter(live_tokens).count()
    ApiToken.objects.filter(user=user).delete()
    return sessions, tokens


def user_logout_everywhere(*, user: User, by: User | None) -> dict[str, int]:
    """End every session and token of `user`; returns how many live ones were ended."""
    _require_may_manage(by, user)
    sessions, tokens = credentials_end(user=user)
    # Sessions nobody recorded (signed in before LoginSession existed) fail their auth hash from now on.
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    caching.bump_with_commit(caching.user(user.pk))  # the signed-in user is cached (apps/accounts/backends.py)
    user.refresh_from_db(fields=["session_epoch"])
    events.emit(
        "auth.logout_all",
        user_id=user.pk,
        username=user.get_username(),
        sessions=sessions,
        tokens=tokens,
        by_id=by.pk if by else None,
    )
    return {"sessions": sessions, "tokens": tokens}


def request_logout(*, request: Request | HttpRequest) -> None:
    """Sign out of what this request is signed in with: its API token, or else its session."""
    django_request = getattr(request, "_request", request)
    token = getattr(request, "auth", None)
    if isinstance(token, ApiToken):
        user = token.user
        token.delete()
        events.emit(
            "auth.logout", user_id=user.pk, username=user.get_username(), ip=request_ip(django_request), method="token"
        )
        return
    auth.logout(django_request)  # user_logged_out forgets the session row and announces the logout


def sessions_prune() -> int:
    """Delete expired sessions and the device rows of sessions that are gone; returns device rows deleted."""
    # The engine's own: the table for db and cached_db (whose cached copies expire with them), nothing for cache.
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    gone = ~Exists(Session.objects.filter(session_key=OuterRef("session_key")))
    count, _ = LoginSession.objects.filter(gone).delete()
    return count
