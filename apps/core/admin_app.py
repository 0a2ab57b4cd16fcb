"""The admin app, discovered when the URL map loads instead of at every start-up.

Django's AdminConfig imports every app's admin.py in ready(), and with them most services, PyAV and Apprise:
a third of the start-up of a management command or worker that never shows a page. The URL map discovers
them (revenge/urls.py), and the admin's system check does so before it looks, so `manage.py check` still
checks every ModelAdmin.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import SimpleAdminConfig
from django.contrib.admin.checks import check_admin_app, check_dependencies
from django.core import checks


def admin_app_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Django's admin check, over every app's ModelAdmins (discovered first, as the URL map would)."""
    admin.autodiscover()
    return check_admin_app(app_configs, **kwargs)


class LazyAdminConfig(SimpleAdminConfig):
    def ready(self) -> None:
        checks.register(check_dependencies, checks.Tags.admin)
        checks.register(admin_app_check, checks.Tags.admin)
