"""Roles: the built-in ones, and custom roles created, changed and deleted within the rank rules (rules.py)."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from apps.accounts import rules
from apps.accounts.models import Role, User
from apps.accounts.rules import ADMIN_RANK, GUEST_RANK, MODERATOR_RANK, STAFF_RANK, USER_RANK

# Global (model-level) permissions of each built-in role; per-library grants come on top.
BUILTIN_ROLES: dict[str, dict] = {
    Role.ADMIN: {
        "rank": ADMIN_RANK,
        "description": "Everything.",
        "permissions": "__all__",
        "settings": {"may_download": True, "requests_auto_approved": True, "may_approve_requests": True},
    },
    Role.MODERATOR: {
        "rank": MODERATOR_RANK,
        "description": "Manages non-admin users, approves requests, scans libraries, reads the audit log and streams.",
        "permissions": [
            "accounts.view_user",
            "accounts.add_user",
            "accounts.change_user",
            "accounts.view_role",
            "libraries.view_library",
            "libraries.download_library",
            "libraries.scan_library",
            "libraries.view_libraryscan",
            "audit.view_activity",
            "playback.view_playbacksession",
            "playback.change_playbacksession",
            "requests.add_mediarequest",
            "requests.view_mediarequest",
            "requests.change_mediarequest",
        ],
        "settings": {"may_download": True, "requests_auto_approved": True, "may_approve_requests": True},
    },
    Role.USER: {
        "rank": USER_RANK,
        "description": "Browses and streams granted libraries, requests media, manages own settings.",
        "permissions": ["requests.add_mediarequest"],
        "settings": {"max_streams": 3, "request_quota_movies": 10, "request_quota_shows": 5},
    },
    Role.GUEST: {
        "rank": GUEST_RANK,
        "description": "Browses and streams granted libraries only.",
        "permissions": [],
        "settings": {"max_streams": 1, "max_transcode_height": 1080},
    },
}


def permissions_by_name(names: list[str]) -> list[Permission]:
    """Permission rows for "app_label.codename" names."""
    wanted = {tuple(name.split(".", 1)) for name in names}
    found = [
        p for p in Permission.objects.select_related("content_type") if (p.content_type.app_label, p.codename) in wanted
    ]
    missing = wanted - {(p.content_type.app_label, p.codename) for p in found}
    if missing:
        raise ValueError(f"unknown permissions: {sorted('.'.join(m) for m in missing)}")
    return found


@transaction.atomic
def roles_setup() -> list[Role]:
    """Create or repair the built-in roles; safe to run any number of times."""
    roles = []
    for name, spec in BUILTIN_ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        role = Role.objects.filter(group=group).first() or Role(group=group, rank=spec["rank"])
        role.rank, role.is_builtin = spec["rank"], True
        role.description = role.description or spec["description"]
        if role.pk is None:
            for field, value in spec["settings"].items():
                setattr(role, field, value)
        role.save()
        perms = (
            Permission.objects.all() if spec["permissions"] == "__all__" else permissions_by_name(spec["permissions"])
        )
        group.permissions.set(perms)
        roles.append(role)
    return roles


def role_default() -> Role | None:
    return Role.objects.filter(group__name=Role.USER).first()


def _require_rank(by: User | None, target: User | Role | int, what: str) -> None:
    """Nobody acts on a user or role of higher rank than their own."""
    if not rules.outranks(actor=by, target=target):
        raise PermissionDenied(f"you may not {what} of a higher rank than yours")


def _apply_role(user: User, role: Role | None) -> None:
    """The role decides group membership and admin-site access; admin is superuser."""
    user.role = role
    user.is_superuser = role is not None and role.name == Role.ADMIN
    user.is_staff = role is not None and role.rank >= STAFF_RANK
    if user.pk:
        user.groups.set([role.group] if role else [])


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
        fallback = role_default()
        for user in role.users.all():
            _apply_role(user, fallback)
            user.save()
        role.group.delete()
