"""The admin app as the console: discovered lazily (apps/core/admin_app.py), with the console's site as its site."""

from __future__ import annotations

from apps.core.admin_app import LazyAdminConfig


class ConsoleAdminConfig(LazyAdminConfig):
    # A dotted path, imported when admin.site is first used (the URL map), not at start-up.
    default_site = "apps.console.site.ConsoleSite"
