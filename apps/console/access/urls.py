"""The access pages' URLs, added to the console site's (site.py get_urls)."""

from __future__ import annotations

from django.urls import path

from apps.console.access import grants


def access_urls(site) -> list:
    return [
        path(
            "console/libraries/<int:library_id>/grants/",
            site.console_view(grants.library_grants),
            name="console_library_grants",
        ),
        path("console/roles/<int:role_id>/grants/", site.console_view(grants.role_grants), name="console_role_grants"),
    ]
