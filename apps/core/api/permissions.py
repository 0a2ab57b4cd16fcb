"""Permission classes shared by the API; roles refine what a manager is."""

from rest_framework.permissions import SAFE_METHODS, BasePermission


def is_manager(user) -> bool:
    """Managers run the server: libraries, scans, users. Staff until roles arrive."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


class IsManager(BasePermission):
    message = "Only managers may do this."

    def has_permission(self, request, view) -> bool:
        return is_manager(request.user)


class IsManagerOrReadOnly(BasePermission):
    """Anyone signed in may read what their selector shows them; managers may change it."""

    message = "Only managers may change this."

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return bool(request.user and request.user.is_authenticated)
        return is_manager(request.user)
