"""Operator views of scans: "Scan now" on libraries, the scan history with progress and errors, the watchers."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from apps.core.admin_writes import NotDeletable
from apps.libraries import rules
from apps.libraries.models import Library, LibraryScan, ScanError, WatcherStatus
from apps.libraries.selectors import libraries_visible_to
from apps.metadata.admin import LibraryAdmin as BaseLibraryAdmin
from apps.scanning import services
from apps.scanning.scan_errors import REASON_KINDS, scan_errors_of_kind, scan_errors_visible_to
from apps.scanning.selectors import watcher_alive

# The library admin gains its scan actions here: libraries sits below scanning and cannot start a scan.
admin.site.unregister(Library)


@admin.register(Library)
class LibraryAdmin(BaseLibraryAdmin):
    actions = [*BaseLibraryAdmin.actions, "scan_now", "full_scan_now"]

    def _scan(self, request: HttpRequest, queryset: QuerySet[Library], *, full: bool) -> None:
        for library in queryset:
            if not (
                request.user.has_perm("libraries.scan_library")
                or rules.may_manage_library(actor=request.user, library=library)
            ):
                self.message_user(request, f"You may not scan {library}.", messages.ERROR)
                continue
            try:
                scan = services.library_scan_enqueue(library=library, full=full)
            except services.ScanAlreadyRunningError as exc:
                self.message_user(request, str(exc), messages.WARNING)
            else:
                self.message_user(request, f"Scan {scan.pk} of {library} queued.", messages.SUCCESS)

    @admin.action(description="Scan now (new and changed files)")
    def scan_now(self, request: HttpRequest, queryset: QuerySet[Library]) -> None:
        self._scan(request, queryset, full=False)

    @admin.action(description="Full scan now (re-read every file)")
    def full_scan_now(self, request: HttpRequest, queryset: QuerySet[Library]) -> None:
        self._scan(request, queryset, full=True)


class ScanErrorInline(admin.TabularInline):
    model = ScanError
    fields = ("path", "reason", "created_at")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[ScanError]:
        return super().get_queryset(request).order_by("id")


@admin.register(LibraryScan)
class LibraryScanAdmin(NotDeletable, admin.ModelAdmin):
    list_display = (
        "id",
        "library",
        "kind",
        "status",
        "progress_percent",
        "seen",
        "added",
        "updated",
        "moved",
        "removed",
        "unchanged",
        "errors",
        "created_at",
        "duration",
    )
    list_filter = ("status", "kind", "library")
    list_select_related = ("library",)
    readonly_fields = [f.name for f in LibraryScan._meta.fields] + ["progress_percent", "duration"]
    inlines = [ScanErrorInline]
    actions = ["cancel"]

    @admin.display(description="progress")
    def progress_percent(self, scan: LibraryScan) -> str:
        return f"{scan.progress * 100:.0f} %"

    @admin.action(description="Cancel the selected scans")
    def cancel(self, request: HttpRequest, queryset: QuerySet[LibraryScan]) -> None:
        # Like the API: scans of the libraries one may scan (the changelist shows every scan to viewers).
        scannable = libraries_visible_to(user=request.user, perm="libraries.scan_library")
        cancelled = sum(services.scan_cancel(scan=scan) for scan in queryset.filter(library__in=scannable))
        self.message_user(request, f"{cancelled} scan(s) cancelled.")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ReasonFilter(admin.SimpleListFilter):
    title = "reason"
    parameter_name = "reason"

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _) in REASON_KINDS.items()] + [("media", "Files that would not probe")]

    def queryset(self, request, queryset):
        return scan_errors_of_kind(errors=queryset, kind=self.value()) if self.value() else queryset


@admin.register(ScanError)
class ScanErrorAdmin(NotDeletable, admin.ModelAdmin):
    """Every file scans could not read, across scans, by reason and library."""

    list_display = ("created_at", "library", "scan_link", "path", "reason")
    list_filter = (ReasonFilter, ("scan__library", admin.RelatedOnlyFieldListFilter), "scan__kind")
    search_fields = ("path", "reason")
    date_hierarchy = "created_at"
    readonly_fields = ("scan", "path", "reason", "created_at")

    def get_queryset(self, request: HttpRequest) -> QuerySet[ScanError]:
        return scan_errors_visible_to(user=request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm("libraries.view_libraryscan")

    @admin.display(description="library", ordering="scan__library__name")
    def library(self, error: ScanError) -> str:
        return error.scan.library.name

    @admin.display(description="scan", ordering="scan_id")
    def scan_link(self, error: ScanError) -> str:
        url = reverse("admin:libraries_libraryscan_change", args=[error.scan_id])
        return format_html('<a href="{}">{} scan {}</a>', url, error.scan.get_kind_display(), error.scan_id)


@admin.register(WatcherStatus)
class WatcherStatusAdmin(NotDeletable, admin.ModelAdmin):
    """What each running watcher watches, and what went wrong lately (overflows, watch limits, lost roots)."""

    list_display = ("name", "state", "watches", "events_seen", "last_event_at", "heartbeat_at", "latest_warning")
    readonly_fields = (
        "name",
        "state",
        "started_at",
        "heartbeat_at",
        "watched_libraries",
        "watches",
        "events_seen",
        "last_event_at",
        "last_event",
        "warning_list",
    )
    fields = readonly_fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="state")
    def state(self, status: WatcherStatus) -> str:
        return "running" if watcher_alive(status=status) else "not answering (stopped?)"

    @admin.display(description="latest warning")
    def latest_warning(self, status: WatcherStatus) -> str:
        return status.warnings[0]["message"] if status.warnings else "—"

    @admin.display(description="libraries")
    def watched_libraries(self, status: WatcherStatus) -> str:
        rows = [
            (lib.get("name"), lib.get("state"), lib.get("watches"), ", ".join(lib.get("roots", [])))
            for lib in status.libraries
        ]
        return format_html_join("", "<div><b>{}</b>: {} ({} watches) — {}</div>", rows) or "—"

    @admin.display(description="warnings")
    def warning_list(self, status: WatcherStatus) -> str:
        rows = [(w.get("at", ""), w.get("message", "")) for w in status.warnings]
        return format_html_join("", "<div>{}: {}</div>", rows) or "—"
