"""Writes of the accounts app."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from apps.accounts import role_settings, rules
from apps.accounts.devices import user_agent_clean
from apps.accounts.models import ApiToken, Role, User
from apps.accounts.passwords import password_set
from apps.accounts.roles import STAFF_RANK, default_role
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
    from django.contrib.auth import authenticate
    from django.contrib.auth.signals import user_logged_in

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


def admin_ensure(*, username: str = "admin", password: str = "") -> tuple[User | None, str]:
    """Create the first superuser when there is none; returns (user, password) or (None, "") if one exists."""
    with transaction.atomic():
        if User.objects.filter(is_superuser=True).exists():
            return None, ""
        password = password or secrets.token_urlsafe(12)
        user = User.objects.create_superuser(username=username, email="", password=password)
        admin_role = Role.objects.filter(group__name=Role.ADMIN).first()
        if admin_role is not None:
            _apply_role(user, admin_role)
            user.save()
        events.emit("user.created", user_id=user.pk, username=user.username)
    return user, password


# --- users and roles, with the rank rules (apps/accounts/rules.py) -------------------------------------


def _require_rank(by: User | None, target: User | Role | int, what: str) -> None:
    """Nobody acts on a user or role of higher rank than their own."""
    if not rules.outranks(actor=by, target=target):
        raise PermissionDenied(f"you may not {what} of a higher rank than yours")


def _require_may_manage(by: User | None, user: User, what: str) -> None:
    _require_rank(by, user, what)
    if not rules.may_manage_user(actor=by, user=user):
        raise PermissionDenied(f"you may not {what} whose role holds permissions you do not hold")


def _require_may_assign(by: User | None, role: Role | None) -> None:
    """The same check as editing a role: the giver ranks at least as high and holds every permission of it."""
    if role is None or by is None:
        return
    _require_rank(by, role, "give a role")
    missing = rules.role_permissions_missing(actor=by, role=role)
    if missing:
        raise PermissionDenied(
            f"you may not give the role {role.name!r}: it holds permissions you do not hold: {', '.join(missing)}"
        )


def _apply_role(user: User, role: Role | None) -> None:
    """The role decides group membership and admin-site access; admin is superuser."""
    user.role = role
    user.is_superuser = role is not None and role.name == Role.ADMIN
    user.is_staff = role is not None and role.rank >= STAFF_RANK
    if user.pk:
        user.groups.set([role.group] if role else [])


def settings_overrides_clean(overrides: dict) -> dict:
    """Known settings of the right type and range only (apps/accounts/role_settings.py)."""
    return role_settings.settings_overrides_clean(overrides)


@transaction.atomic
def user_create(
    *, username: str, password: str, by: User | None, role: Role | None = None, email: str = "", **fields
) -> User:
    """Create a user with a role (the built-in "user" role by default) the creator may give."""
    role = role or default_role()
    _require_may_assign(by, role)
    user = User(username=username, email=email, **fields)
    user.settings_overrides = settings_overrides_clean(user.settings_overrides or {})
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()  # not the empty string as a password: no password signs in
    user.full_clean(exclude=["password"])
    user.save()
    _apply_role(user, role)
    user.save()
    events.emit("user.created", user_id=user.pk, username=user.username)
    return user


@transaction.atomic
def user_update(
    *, user: User, by: User | None, role: Role | None = None, password: str = "", request=None, **fields
) -> User:
    """Change a user; the editor must be allowed to manage the user and to give any new role.

    A new password ends the user's tokens and sessions but `request`'s own (passwords.password_set)."""
    _require_may_manage(by, user, "change a user")
    if "settings_overrides" in fields:
        fields["settings_overrides"] = settings_overrides_clean(fields["settings_overrides"] or {})
    for name, value in fields.items():
        setattr(user, name, value)
    if role is not None and role != user.role:
        _require_may_assign(by, role)
        _apply_role(user, role)
    user.full_clean(exclude=["password"])
    user.save()
    if password:
        password_set(user=user, password=password, by=by, request=request)
    return user


def user_delete(*, user: User, by: User | None) -> None:
    _require_may_manage(by, user, "delete a user")
    if by is not None and user.pk == by.pk:
        raise PermissionDenied("you may not delete yourself")
    user.delete()


def _check_grantable(by: User | None, permissions: list[Permission]) -> None:
    """Nobody grants a permission they do not hold themselves."""
    missing = rules.permissions_missing(actor=by, permissions=permissions)
    if missing:
        raise PermissionDenied(f"you may not grant permissions you do not hold: {', '.join(missing)}")


def role_name_clean(*, name: str, role: Role | None = None) -> str:
    """A role's name: not empty, and not the name of another role or group (a 400, not a database error)."""
    name = str(name or "").strip()
    if role is not None and role.is_builtin and name != role.group.name:
        raise ValidationError({"name": ["built-in roles cannot be renamed"]})
    if not name:
        raise ValidationError({"name": ["a role needs a name"]})
    if len(name) > 150:
        raise ValidationError({"name": ["at most 150 characters"]})
    taken = Group.objects.filter(name=name)
    if role is not None:
        taken = taken.exclude(pk=role.group_id)
    if taken.exists():
        raise ValidationError({"name": ["a role or group with this name exists"]})
    return name


@transaction.atomic
def role_create(*, name: str, rank: int, by: User | None, permissions: list[Permission] = (), **settings) -> Role:
    """A custom role: a group with a rank, model permissions and settings."""
    _require_rank(by, rank, "create a role")
    _check_grantable(by, list(permissions))
    name = role_name_clean(name=name)
    group = Group.objects.create(name=name)
    group.permissions.set(permissions)
    role = Role(group=group, rank=rank, **settings)
    role.full_clean()
    role.save()
    return role


@transaction.atomic
def role_update(
    *, role: Role, by: User | None, name: str | None = None, permissions: list[Permission] | None = None, **fields
) -> Role:
    _require_rank(by, role, "change a role")
    if "rank" in fields:
        _require_rank(by, fields["rank"], "raise a role to a rank")
        if role.is_builtin and fields["rank"] != role.rank:
            raise ValidationError({"rank": ["the rank of a built-in role is fixed"]})
    if name is not None and name != role.group.name:
        role.group.name = role_name_clean(name=name, role=role)
        role.group.save()
    if permissions is not None:
        _check_grantable(by, list(permissions))
        role.group.permissions.set(permissions)
    for field, value in fields.items():
        setattr(role, field, value)
    role.full_clean()
    role.save()
    return role


def role_delete(*, role: Role, by: User | None) -> None:
    if role.is_builtin:
        raise ValidationError({"role": ["built-in roles cannot be deleted"]})
    _require_rank(by, role, "delete a role")
    with transaction.atomic():
        fallback = default_role()
        for user in role.users.all():
            _apply_role(user, fallback)
            user.save()
        role.group.delete()
