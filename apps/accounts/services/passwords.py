"""One door for setting a password: whoever sets it (API, admin, command), the old credentials stop working."""

from __future__ import annotations

from contextvars import ContextVar

from django.contrib.auth import HASH_SESSION_KEY
from django.db import transaction
from django.http import HttpRequest

from apps.accounts.models import User
from apps.accounts.services import sessions
from apps.core import events

# The admin's password view calls its form's save() without the request; it lends it here for that call.
admin_request: ContextVar[HttpRequest | None] = ContextVar("admin_request", default=None)


def _own_session_key(request: HttpRequest | None, user: User, by: User | None) -> str | None:
    """The session this change was made from, when it is `user`'s own: the one session that survives."""
    if request is None or by is None or by.pk != user.pk:
        return None
    request = getattr(request, "_request", request)
    session = getattr(request, "session", None)
    return session.session_key if session is not None else None


@transaction.atomic
def password_set(*, user: User, password: str | None, by: User | None, request: HttpRequest | None = None) -> dict:
    """Set (None: disable) `user`'s password and end every token and session of theirs but the changer's own.

    Returns how many live sessions and tokens were ended.
    """
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save(update_fields=["password"])
    keep = _own_session_key(request, user, by)
    ended_sessions, ended_tokens = sessions.credentials_end(user=user, keep_session=keep)
    if keep:
        # The new password changes the auth hash: re-sign the changer's own session so it stays signed in.
        getattr(request, "_request", request).session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    events.emit(
        "auth.password_changed",
        user_id=user.pk,
        username=user.get_username(),
        sessions=ended_sessions,
        tokens=ended_tokens,
        by_id=by.pk if by else None,
    )
    return {"sessions": ended_sessions, "tokens": ended_tokens}
