"""The console's admin site: the dashboard as its index, live panels, and a plain word for people who are not
operators. Every app's ModelAdmins register with it as `admin.site` (apps/console/admin_app.py)."""

from __future__ import annotations

from functools import update_wrapper
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from apps.console import library_scans, media_metadata, panels, views
from apps.console.access.urls import access_urls
from apps.console.forms import ConsoleLoginForm

VIEWERS_APP = "/"  # the viewers' web app (apps/web)


class ConsoleSite(admin.AdminSite):
    site_header = "Revenge console"
    site_title = "Revenge"
    index_title = "Dashboard"
    index_template = "admin/console/dashboard.html"
    login_form = ConsoleLoginForm

    def login(self, request, extra_context=None):
        """A signed-in member who is not staff learns where to go instead of seeing a sign-in form again."""
        user = request.user
        if request.method == "GET" and user.is_authenticated and not self.has_permission(request):
            context = {
                **self.each_context(request),
                "title": "This is the operator console",
                "viewers_app": VIEWERS_APP,
                "next": request.GET.get(REDIRECT_FIELD_NAME, ""),
            }
            return TemplateResponse(request, "admin/console/not_operator.html", context, status=403)
        return super().login(request, extra_context)

    def index(self, request, extra_context=None):
        context = {
            "panels": panels.all_panels(user=request.user),
            "poll_seconds": panels.POLL_SECONDS,
            **(extra_context or {}),
        }
        return super().index(request, context)

    def console_view(self, view):
        """admin_view, except that a refresh from a page whose sign-in ended sends the whole page to sign in
        (htmx would otherwise swap the sign-in form into the panel)."""
        inner = self.admin_view(view)

        def wrapper(request, *args, **kwargs):
            if HtmxDetails(request) and not self.has_permission(request):
                index = reverse("admin:index", current_app=self.name)
                login = reverse("admin:login", current_app=self.name)
                return HttpResponseClientRedirect(f"{login}?{urlencode({REDIRECT_FIELD_NAME: index})}")
            return inner(request, *args, **kwargs)

        return update_wrapper(wrapper, view)

    def get_urls(self):
        console = [
            path("console/panels/<slug:name>/", self.console_view(views.panel), name="console_panel"),
            path(
                "console/sessions/<uuid:session_id>/end/",
                self.console_view(views.session_end),
                name="console_session_end",
            ),
            path(
                "console/libraries/<int:library_id>/scan/",
                self.console_view(library_scans.library_scan),
                name="console_library_scan",
            ),
            path(
                "console/requests/<int:request_id>/<slug:action>/",
                self.console_view(views.request_act),
                name="console_request_act",
            ),
            path(
                "console/media/<slug:kind>/<int:pk>/metadata/",
                self.console_view(media_metadata.media_metadata),
                name="console_media_metadata",
            ),
        ]
        return console + access_urls(self) + super().get_urls()
