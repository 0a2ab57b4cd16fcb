"""The activity log's view of accounts: which of its models are audited, and auth and security events as entries.

Audit sits below accounts, so accounts hands it its models and facts (calls downwards).
"""

from __future__ import annotations

from django.contrib.auth.models import Group

from apps.accounts.models import ApiToken, IPRule, Role, User
from apps.audit.registry import model_register
from apps.audit.services import activity_record
from apps.core import events


def models_register() -> None:
    """Changes of roles, users, tokens and IP rules are recorded; never a password or a token's hash."""
    model_register(Role)
    model_register(Group, include_fields=["name"], m2m_fields={"permissions"})
    model_register(User, exclude_fields=["password", "last_login"])
    model_register(ApiToken, exclude_fields=["key_hash", "last_used_at", "last_ip"])
    model_register(IPRule)


# event name -> (activity name, success)
ENTRY_OF_EVENT = {
    "auth.login": ("login", True),
    "auth.logout": ("logout", True),
    "auth.token_created": ("token_created", True),
    "auth.token_revoked": ("token_revoked", True),
    "auth.session_revoked": ("session_revoked", True),
    "auth.logout_all": ("logout_all", True),
    "security.login_failed": ("login_failed", False),
    "security.lockout": ("lockout", False),
    "security.unlocked": ("unlock", True),
    "security.ip_blocked": ("ip_blocked", False),
}


def _describe(event: events.Event) -> str:
    p = event.payload
    if event.name == "security.login_failed":
        return f"failed login as {p.get('username')!r}" + (" (locked out)" if p.get("locked") else "")
    if event.name == "security.lockout":
        until = "until unlocked" if p.get("permanent") else f"until {p.get('locked_until')}"
        return f"{p.get('scope')} {p.get('key')!r} locked after {p.get('failures')} failures, {until}"
    if event.name == "security.unlocked":
        return f"unlocked {p.get('scope') or 'username'} {p.get('key') or p.get('username')!r}"
    if event.name == "security.ip_blocked":
        return f"{p.get('method')} {p.get('path')} refused by {p.get('rule')} rule"
    if event.name == "auth.password_changed":
        return f"password changed; ended {p.get('sessions', 0)} other sessions and {p.get('tokens', 0)} tokens"
    if event.name == "auth.logout_all":
        return f"ended {p.get('sessions', 0)} sessions and {p.get('tokens', 0)} tokens"
    if event.name in ("auth.login", "auth.logout"):
        return f"{event.name.split('.')[1]} by {p.get('method', 'session')}"
    return p.get("name") or p.get("device") or ""


@events.subscribe("auth.*")
@events.subscribe("security.*")
def activity_of_event(event: events.Event) -> None:
    name, success = ENTRY_OF_EVENT.get(event.name, (event.name.split(".", 1)[1], True))
    payload = event.payload
    target_pk = payload.get("token_id") if event.name.startswith("auth.token_") else payload.get("user_id")
    target_type = ApiToken if event.name.startswith("auth.token_") else (User if target_pk else None)
    username = payload.get("username") or ""
    actor = payload.get("by_id") or (payload.get("user_id") if event.name in ("auth.login", "auth.logout") else None)
    activity_record(
        event=name,
        success=success,
        actor=actor,
        ip=payload.get("ip"),
        user_agent=payload.get("user_agent") or "",
        target_type=target_type,
        target_pk=target_pk,
        object_repr=payload.get("name") if target_type is ApiToken else username,
        message=_describe(event),
        data={"event": event.name, **payload},
    )
