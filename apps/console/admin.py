"""The console's own ModelAdmins: its access pages take the place of the accounts app's role and user pages."""

from apps.console.access import role_admin, user_admin  # noqa: F401 (they register on import)
