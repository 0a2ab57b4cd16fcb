"""People for tests: a user in any role (built-in or custom) and the kids role, made through the services."""

from __future__ import annotations

from apps.accounts.models import Role, User
from apps.accounts.services import roles, users

PASSWORD = "correct horse battery staple"
ROLES = (Role.GUEST, Role.USER, Role.MODERATOR, Role.ADMIN)


def roles_by_name() -> dict[str, Role]:
    """Every role by its name: the built-in ones, and any custom one made so far."""
    return {role.name: role for role in Role.objects.select_related("group")}


def user_make(username: str, *, role: Role | str | None = None, password: str = PASSWORD, **fields) -> User:
    """A user made as an operator would (no creator); `role` is a Role or a role's name, "user" by default."""
    if isinstance(role, str):
        role = Role.objects.get(group__name=role)
    return users.user_create(username=username, password=password, by=None, role=role, **fields)


def kids_role_make(*, name: str = "kids", max_parental_age: int = 10) -> Role:
    """A custom role below members with an age limit: what a family server gives its children."""
    return roles.role_create(name=name, rank=15, by=None, max_parental_age=max_parental_age)
