"""Built-in roles and the rank rules between users and roles."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from apps.accounts.models import Role, User

ADMIN_RANK, MODERATOR_RANK, USER_RANK, GUEST_RANK = 100, 50, 20, 10
STAFF_RANK = MODERATOR_RANK

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


def rank_of(user: User) -> int:
    """A user's rank: superusers outrank everyone, users without a role rank lowest."""
    if user.is_superuser:
        return 10_000
    return user.role.rank if user.role_id else 0


def default_role() -> Role | None:
    return Role.objects.filter(group__name=Role.USER).first()
