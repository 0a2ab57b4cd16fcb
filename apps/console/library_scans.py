"""The library page's scan box: "Scan now" / "Full scan" through the scanning services, and the latest scan's
progress, which htmx asks for again every second while a scan runs."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from apps.console.panels.work import scan_row
from apps.libraries import rules
from apps.libraries.models import Library, LibraryScan
from apps.libraries.selectors import libraries_visible_to
from apps.scanning import services as scanning
from apps.scanning.selectors import scans_visible_to

TEMPLATE = "admin/console/library_scan.html"


def may_scan(*, user, library: Library) -> bool:
    """As the library list's scan actions decide: the scan permission, or a manage grant on this library."""
    return user.has_perm("libraries.scan_library") or rules.may_manage_library(actor=user, library=library)


def scan_box_context(*, user, library: Library, notice: str = "", error: str = "") -> dict:
    scan = scans_visible_to(user=user).filter(library=library).order_by("-created_at").first()
    return {
        "library": library,
        "scan": scan,
        "row": scan_row(scan, timezone.now()) if scan is not None else None,
        "running": scan is not None and scan.status in LibraryScan.ACTIVE,
        "may_scan": may_scan(user=user, library=library),
        "notice": notice,
        "error": error,
    }


@require_http_methods(["GET", "POST"])
def library_scan(request: HttpRequest, library_id: int) -> HttpResponse:
    """GET: the scan box. POST (full=1 for a full scan): start a scan in the workers, then the box."""
    library = libraries_visible_to(user=request.user).filter(pk=library_id).first()
    if library is None:
        raise Http404("no such library")
    notice = error = ""
    if request.method == "POST":
        if not may_scan(user=request.user, library=library):
            raise PermissionDenied("you may not scan this library")
        full = request.POST.get("full") == "1"
        try:
            scan = scanning.library_scan_enqueue(library=library, full=full)
        except scanning.ScanAlreadyRunningError as exc:
            error = str(exc)
        else:
            notice = f"{'Full scan' if full else 'Scan'} {scan.pk} of {library} queued."
    context = scan_box_context(user=request.user, library=library, notice=notice, error=error)
    return TemplateResponse(request, TEMPLATE, context)
