"""Users: created, changed and deleted by someone who may manage them; the first superuser."""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction

from apps.accounts import role_settings, rules
from apps.accounts.models import Role, User
from apps.accounts.services.passwords import password_set
from apps.accounts.services.roles import _apply_role, _require_rank, role_default
from apps.core import events


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


def settings_overrides_clean(overrides: dict) -> dict:
    """Known settings of the right type and range only (apps/accounts/role_settings.py)."""
    return role_settings.settings_overrides_clean(overrides)


@transaction.atomic
def user_create(
    *, username: str, password: str, by: User | None, role: Role | None = None, email: str = "", **fields
) -> User:
    """Create a user with a role (the built-in "user" role by default) the creator may give."""
    role = role or role_default()
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
