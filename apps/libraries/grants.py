"""Per-library grants (django-guardian): who holds view, download and manage on a library, and who may change that."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from guardian.models import GroupObjectPermission
from guardian.shortcuts import assign_perm, get_groups_with_perms, get_users_with_perms, remove_perm

from apps.accounts.models import Role, User
from apps.accounts.rules import ranks_above
from apps.libraries import rules
from apps.libraries.models import Library

# Like Jellyfin's "access to all libraries" default: a new library is open to users and guests.
DEFAULT_GRANTS = {"user": ("view_library", "download_library"), "guest": ("view_library",)}
GRANT_PERMISSIONS = ("view_library", "download_library", "manage_library")


def library_grants(*, library: Library) -> dict[str, dict[str, list[str]]]:
    """Who holds which per-library permission: {"roles": {name: [...]}, "users": {username: [...]}}."""
    roles: dict[str, list[str]] = {}
    for group, perms in get_groups_with_perms(library, attach_perms=True).items():
        kept = sorted(p for p in perms if p in GRANT_PERMISSIONS)
        if kept:
            roles[group.name] = kept
    users: dict[str, list[str]] = {}
    for user, perms in get_users_with_perms(library, attach_perms=True, with_group_users=False).items():
        kept = sorted(p for p in perms if p in GRANT_PERMISSIONS)
        if kept:
            users[user.username] = kept
    return {"roles": roles, "users": users}


def grants_of_role(*, role: Role) -> dict[int, list[str]]:
    """The per-library permissions the role holds, by library id (one query for every library)."""
    rows = GroupObjectPermission.objects.filter(
        group_id=role.group_id,
        content_type=ContentType.objects.get_for_model(Library),
        permission__codename__in=GRANT_PERMISSIONS,
    ).values_list("object_pk", "permission__codename")
    held: dict[int, list[str]] = {}
    for object_pk, codename in rows:
        held.setdefault(int(object_pk), []).append(codename)
    return {pk: sorted(perms) for pk, perms in held.items()}


def grants_editable_by(*, by, target: Role | User) -> bool:
    """Whether `by` may change the grants of a role or user: only of those ranked strictly below them."""
    return ranks_above(actor=by, target=target)


def permissions_grantable_by(*, by, library: Library) -> tuple[str, ...]:
    """The per-library permissions `by` may hand out on `library`: those they hold there or everywhere."""
    if by is None:
        return GRANT_PERMISSIONS
    return tuple(
        p for p in GRANT_PERMISSIONS if by.has_perm(f"libraries.{p}", library) or by.has_perm(f"libraries.{p}")
    )


def _grants_changed(current: dict[str, list[str]], wanted: dict[str, list[str]]) -> dict[str, set[str]]:
    """Per name, the permissions given or taken away; names left as they are do not appear."""
    changed = {}
    for name in set(current) | set(wanted):
        diff = set(current.get(name, ())) ^ set(wanted.get(name, ()))
        if diff:
            changed[name] = diff
    return changed


@transaction.atomic
def library_grants_set(*, library: Library, roles: dict[str, list[str]], users: dict[str, list[str]], by) -> dict:
    """Replace the library's grants. Only grants that change are checked: each goes to a role or user ranked
    strictly below the giver (so nobody hands their own role more), and only for permissions the giver holds
    on this library. Superusers outrank every role, the built-in admin role included."""
    problems = []
    for perms in [*roles.values(), *users.values()]:
        problems += [f"unknown permission {p!r}" for p in perms if p not in GRANT_PERMISSIONS]
    role_rows = {r.group.name: r for r in Role.objects.select_related("group").filter(group__name__in=roles)}
    problems += [f"unknown role {name!r}" for name in roles if name not in role_rows]
    user_rows = {u.username: u for u in User.objects.filter(username__in=users)}
    problems += [f"unknown user {name!r}" for name in users if name not in user_rows]
    if problems:
        raise ValidationError({"grants": problems})
    if by is not None and not rules.may_manage_library(actor=by, library=library):
        raise PermissionDenied("you may not change the grants of this library")
    current = library_grants(library=library)
    changed_roles = _grants_changed(current["roles"], roles)
    changed_users = _grants_changed(current["users"], users)
    for name in changed_roles:
        role = role_rows.get(name) or Role.objects.filter(group__name=name).first()
        if role is not None and not grants_editable_by(by=by, target=role):
            raise PermissionDenied(f"you may not change the grants of role {name!r}: grants go to lower ranks only")
    for name in changed_users:
        user = user_rows.get(name) or User.objects.filter(username=name).first()
        if user is not None and not grants_editable_by(by=by, target=user):
            raise PermissionDenied(f"you may not change the grants of user {name!r}: grants go to lower ranks only")
    grantable = permissions_grantable_by(by=by, library=library)
    for perm in sorted({p for perms in [*changed_roles.values(), *changed_users.values()] for p in perms}):
        if perm not in grantable:
            raise PermissionDenied(f"you may not grant {perm!r}, which you do not hold")
    for name in changed_roles:
        group = Group.objects.get(name=name)
        for perm in GRANT_PERMISSIONS:
            if perm in roles.get(name, ()):
                assign_perm(f"libraries.{perm}", group, library)
            else:
                remove_perm(f"libraries.{perm}", group, library)
    for name in changed_users:
        user = user_rows.get(name) or User.objects.get(username=name)
        for perm in GRANT_PERMISSIONS:
            if perm in users.get(name, ()):
                assign_perm(f"libraries.{perm}", user, library)
            else:
                remove_perm(f"libraries.{perm}", user, library)
    return library_grants(library=library)
