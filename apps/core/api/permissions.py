"""Permission classes shared by the API: model permissions from the role, object permissions from grants."""

from rest_framework.permissions import BasePermission


def can_see_paths(user) -> bool:
    """Server paths are for those who manage libraries."""
    return bool(user and user.is_authenticated and user.has_perm("libraries.change_library"))


class ActionPermissions(BasePermission):
    """Maps each viewset action to the model permission it needs, and optionally an object permission.

    `view.action_permissions = {"create": "app.add_x", "update": "app.change_x", ...}`; an action not listed
    needs only a signed-in user (its queryset, from the selector, already limits what can be reached).
    `view.object_permissions` lists actions where a per-object grant may stand in for the model permission.
    On detail routes the check waits for the object, so invisible objects answer 404, never 403.
    """

    message = "You do not have permission to do this."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if getattr(view, "detail", False):
            # The object is looked up first, through the selector: one the user may not see answers 404,
            # and only a visible one can answer 403.
            return True
        needed = getattr(view, "action_permissions", {}).get(view.action)
        return needed is None or user.has_perm(needed)

    def has_object_permission(self, request, view, obj) -> bool:
        user = request.user
        needed = getattr(view, "action_permissions", {}).get(view.action)
        if needed is None or user.has_perm(needed):
            return True
        object_perm = getattr(view, "object_permissions", {}).get(view.action)
        return bool(object_perm and user.has_perm(object_perm, obj))
