"""The access pages' URLs, added to the console site's (site.py get_urls)."""

from __future__ import annotations

from django.urls import path

from apps.console.access import grants, view_as


def access_urls(site) -> list:
    return [
        path(
            "console/libraries/<int:library_id>/grants/",
            site.console_view(grants.library_grants),
            name="console_library_grants",
        ),
        path("console/roles/<int:role_id>/grants/", site.console_view(grants.role_grants), name="console_role_grants"),
        path("console/users/<int:user_id>/view-as/", site.console_view(view_as.view_as), name="console_view_as"),
    ]
