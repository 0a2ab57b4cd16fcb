"""Who may call an API action: each view declares one rule per action, and an action without a rule is refused.

A view's `action_permissions` maps each action (a viewset's action, or an API view's handler: get, post, …,
options) to a rule. The base views (`apps.core.api.viewsets`) hand DRF the rule of the current action as
the permission, so DRF's own machinery answers 401/403 with the rule's message and checks objects.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rest_framework.permissions import BasePermission


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


class Rule(BasePermission):
    """A permission rule for one action: `has_permission` before the view runs, `has_object_permission` on lookup."""

    message = "You do not have permission to do this."


@dataclass(frozen=True)
class Public(Rule):
    """Anyone, signed in or not; `why` says what makes that safe (the view's own check, or nothing to protect)."""

    why: str

    def has_permission(self, request, view) -> bool:
        return True


@dataclass(frozen=True)
class TokenInUrl(Rule):
    """HLS URLs: a player sends no headers or cookies, so the session's token in the URL is checked by the view."""

    def has_permission(self, request, view) -> bool:
        return True


class SignedIn(Rule):
    """Any signed-in user; what they reach is limited by the view's selector."""

    def has_permission(self, request, view) -> bool:
        return _signed_in(request.user)


SIGNED_IN = SignedIn()


@dataclass(frozen=True)
class Perm(Rule):
    """A model permission of the user's role; `or_object` names a per-object grant that stands in for it.

    On detail routes the check waits for the object, found through the selector: one the user may not see
    answers 404, and only a visible one can answer 403.
    """

    perm: str
    or_object: str = ""

    def has_permission(self, request, view) -> bool:
        if not _signed_in(request.user):
            return False
        return bool(getattr(view, "detail", False)) or request.user.has_perm(self.perm)

    def has_object_permission(self, request, view, obj) -> bool:
        user = request.user
        return user.has_perm(self.perm) or bool(self.or_object and user.has_perm(self.or_object, obj))


@dataclass(frozen=True)
class UserTest(Rule):
    """`test(user)` must hold for a signed-in user, checked before the view runs.

    `lists_only`: detail routes rely on the selector instead, so an object the user may not see answers 404.
    """

    test: Callable[[Any], bool]
    message: str = Rule.message
    lists_only: bool = False

    def has_permission(self, request, view) -> bool:
        if not _signed_in(request.user):
            return False
        if self.lists_only and getattr(view, "detail", False):
            return True
        return bool(self.test(request.user))


class Refused(Rule):
    """What an action without a declared rule gets: nobody may call it (fail closed)."""

    message = "This action declares no permission rule, so nobody may call it."

    def has_permission(self, request, view) -> bool:
        return False


REFUSED = Refused()


class ActionPermissions(dict[str, Rule]):
    """One view's rules, action → rule; an action it does not list is refused."""

    def __init__(self, rules: dict[str, Rule] | None = None, /, **more: Rule) -> None:
        super().__init__(rules or {}, **more)
        wrong = {action: rule for action, rule in self.items() if not isinstance(rule, Rule)}
        if wrong:
            raise TypeError(f"permission rules must be Rule instances, not {wrong!r}")
