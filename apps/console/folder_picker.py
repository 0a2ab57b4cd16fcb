"""The library form's folder picker: admins browse the server's folders (apps/libraries/folder_browse.py) and
pick one into the folders box; htmx swaps the listing in place."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.views.decorators.http import require_GET

from apps.libraries.folder_browse import browse_roots, folder_listing

TEMPLATE = "admin/console/libraries/folder_picker.html"


def may_browse(user) -> bool:
    """Admins only: the listing shows the machine's folder names."""
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


@require_GET
def folders(request: HttpRequest) -> HttpResponse:
    if not may_browse(request.user):
        raise PermissionDenied("only admins may browse the server's folders")
    listing = folder_listing(path=request.GET.get("path"))
    context = {"listing": listing, "roots": browse_roots()}
    # A refusal is 200 to htmx, which swaps in only successful answers; a plain request hears 400.
    status = 400 if listing.problem and not request.headers.get("HX-Request") else 200
    return TemplateResponse(request, TEMPLATE, context, status=status)


def urls(site) -> list:
    return [path("console/folders/", site.console_view(folders), name="console_folders")]
