"""Reads about signed-in sessions and API tokens: whose devices a viewer may see, and which are alive."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from apps.accounts.devices import device_describe, device_label
from apps.accounts.models import ApiToken, LoginSession, User
from apps.accounts.rules import may_manage_user
from apps.accounts.selectors import users_visible_to

PK = r"[1-9][0-9]{0,17}"  # what a primary key looks like; anything else is nobody
DEVICE_ID = re.compile(rf"(session|token)-({PK})")
USER_ID = re.compile(PK)


@dataclass(frozen=True)
class Device:
    """One signed-in session or API token, as listed to its user or a manager."""

    kind: str  # "session" or "token"
    pk: int
    name: str
    browser: str
    os: str
    device: str
    ip: str | None
    created_at: datetime
    last_seen_at: datetime | None
    expires_at: datetime | None
    session_key: str = ""

    @property
    def id(self) -> str:
        return f"{self.kind}-{self.pk}"


def may_manage_devices(*, viewer: User, user: User) -> bool:
    """Your own devices, or those of a user you can see, hold accounts.change_user for, and may manage."""
    if not viewer or not viewer.is_authenticated:
        return False
    if viewer.pk == user.pk:
        return True
    return (
        viewer.has_perm("accounts.change_user")
        and may_manage_user(actor=viewer, user=user)
        and users_visible_to(user=viewer).filter(pk=user.pk).exists()
    )


def device_owner(*, viewer: User, user_id: object = None) -> User:
    """The user whose devices `viewer` asks for: themselves unless `user_id` names another they may manage.

    Raises PermissionDenied without accounts.change_user, Http404 for a user the viewer may not manage.
    """
    text = "" if user_id is None else str(user_id).strip()
    if not text or text == str(viewer.pk):
        return viewer
    if not viewer.has_perm("accounts.change_user"):
        raise PermissionDenied("You may not manage the sessions of other users.")
    target = User.objects.filter(pk=int(text)).first() if USER_ID.fullmatch(text) else None
    if target is None or not may_manage_devices(viewer=viewer, user=target):
        raise Http404("No such user.")
    return target


def _session_alive(user: User, session: Session) -> bool:
    """The session signs in `user` and its auth hash still holds (no password change, no logout-all since)."""
    data = session.get_decoded()  # undecodable or tampered data decodes to {}
    stored = data.get(HASH_SESSION_KEY) or ""
    if str(data.get(SESSION_KEY)) != str(user.pk) or not stored:
        return False
    hashes = [user.get_session_auth_hash(), *user.get_session_auth_fallback_hash()]
    return any(constant_time_compare(stored, h) for h in hashes)


def _session_device(row: LoginSession, expires_at: datetime) -> Device:
    described = device_describe(row.user_agent)
    return Device(
        kind="session",
        pk=row.pk,
        name=device_label(row.user_agent),
        ip=row.ip,
        created_at=row.created_at,
        last_seen_at=row.last_seen_at,
        expires_at=expires_at,
        session_key=row.session_key,
        **described,
    )


def _token_device(token: ApiToken) -> Device:
    return Device(
        kind="token",
        pk=token.pk,
        name=token.name,
        ip=token.last_ip,
        created_at=token.created_at,
        last_seen_at=token.last_used_at,
        expires_at=token.expires_at,
        **device_describe(token.user_agent),
    )


def devices_of(*, user: User, viewer: User) -> list[Device]:
    """Live sessions (their Django session exists, unexpired and valid) and unexpired tokens, newest first."""
    if not may_manage_devices(viewer=viewer, user=user):
        return []
    now = timezone.now()
    rows = list(LoginSession.objects.filter(user=user))
    stored = {s.session_key: s for s in Session.objects.filter(session_key__in=[r.session_key for r in rows])}
    found = [
        _session_device(row, stored[row.session_key].expire_date)
        for row in rows
        if row.session_key in stored
        and stored[row.session_key].expire_date > now
        and _session_alive(user, stored[row.session_key])
    ]
    tokens = ApiToken.objects.filter(user=user).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
    found += [_token_device(token) for token in tokens]
    return sorted(found, key=lambda d: (d.created_at, d.kind, d.pk), reverse=True)


def device_find(*, viewer: User, device_id: str) -> LoginSession | ApiToken | None:
    """The session or token named "session-<pk>" / "token-<pk>", if `viewer` may manage it; else None."""
    match = DEVICE_ID.fullmatch(device_id or "")
    if match is None:
        return None
    model = LoginSession if match.group(1) == "session" else ApiToken
    found = model.objects.select_related("user").filter(pk=int(match.group(2))).first()
    if found is None or not may_manage_devices(viewer=viewer, user=found.user):
        return None
    return found
