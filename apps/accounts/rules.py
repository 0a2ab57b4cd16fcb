"""Who may act on whom: the rank and permission rules between users and roles, one function per rule.

`actor=None` is the system (commands, migrations, tests that set things up): it may do anything.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Permission
from django.db.models import QuerySet

from apps.accounts.models import Role, User

ADMIN_RANK, MODERATOR_RANK, USER_RANK, GUEST_RANK = 100, 50, 20, 10
STAFF_RANK = MODERATOR_RANK


def rank_of(user: User) -> int:
    """A user's rank: superusers outrank everyone, users without a role rank lowest."""
    if user.is_superuser:
        return 10_000
    return user.role.rank if user.role_id else 0


def _rank(target: User | Role | int | None) -> int:
    if target is None:
        return 0
    if isinstance(target, int):
        return target
    return target.rank if isinstance(target, Role) else rank_of(target)


def outranks(*, actor: User | None, target: User | Role | int | None) -> bool:
    """Whether `actor` ranks at least as high as `target` (a user, a role or a rank): one acts on equals."""
    return actor is None or rank_of(actor) >= _rank(target)


def ranks_above(*, actor: User | None, target: User | Role | int | None) -> bool:
    """Whether `actor` ranks strictly higher than `target`: what one hands out goes only downwards."""
    return actor is None or rank_of(actor) > _rank(target)


def permissions_missing(*, actor: User | None, permissions: Iterable[Permission]) -> list[str]:
    """The "app_label.codename" names among `permissions` that `actor` does not hold (model-wide)."""
    if actor is None or actor.is_superuser:
        return []
    held = actor.get_all_permissions()
    names = {f"{p.content_type.app_label}.{p.codename}" for p in permissions}
    return sorted(name for name in names if name not in held)


def _role_permissions(role: Role) -> QuerySet[Permission]:
    return Permission.objects.filter(group__role=role).select_related("content_type")


def role_permissions_missing(*, actor: User | None, role: Role) -> list[str]:
    return permissions_missing(actor=actor, permissions=_role_permissions(role))


def may_assign_role(*, actor: User | None, role: Role | None) -> bool:
    """Giving a role: only one the actor ranks at least as high as, and whose every permission they hold."""
    if actor is None or role is None:
        return True
    return outranks(actor=actor, target=role) and not role_permissions_missing(actor=actor, role=role)


def may_manage_user(*, actor: User | None, user: User) -> bool:
    """Changing, deleting, unlocking a user: rank at least theirs and hold what their role lets them do.

    The second half stops a moderator from taking over (say, by a new password) a lower-ranked account
    whose role holds permissions the moderator lacks.
    """
    if actor is None or actor.pk == user.pk:
        return True
    if not outranks(actor=actor, target=user):
        return False
    own = Permission.objects.filter(user=user).select_related("content_type")
    missing = permissions_missing(actor=actor, permissions=own)
    return not missing and (user.role_id is None or not role_permissions_missing(actor=actor, role=user.role))


def roles_assignable_by(actor: User | None) -> QuerySet[Role]:
    """The roles `actor` may give to users (see may_assign_role)."""
    roles = Role.objects.select_related("group")
    if actor is None or actor.is_superuser:
        return roles
    allowed = [role.pk for role in roles.filter(rank__lte=rank_of(actor)) if may_assign_role(actor=actor, role=role)]
    return roles.filter(pk__in=allowed)
