"""Operator views: libraries with a "Scan now" action, and the scan history with progress and errors."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html_join
from guardian.admin import GuardedModelAdmin

from apps.libraries import services
from apps.libraries.models import Library, LibraryFolder, LibraryScan, ScanError, WatcherStatus
from apps.libraries.selectors import watcher_alive


class LibraryFolderInline(admin.TabularInline):
    model = LibraryFolder
    extra = 1


@admin.register(Library)
class LibraryAdmin(GuardedModelAdmin):
    """Libraries; "Object permissions" grants view, download and manage per role (group) or user."""

    list_display = ("name", "kind", "enabled", "realtime_monitoring", "scan_interval_minutes", "last_scanned_at")
    list_filter = ("kind", "enabled")
    search_fields = ("name", "folders__path")
    inlines = [LibraryFolderInline]
    actions = ["scan_now", "full_scan_now"]

    def _scan(self, request: HttpRequest, queryset: QuerySet[Library], *, full: bool) -> None:
        for library in queryset:
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
class LibraryScanAdmin(admin.ModelAdmin):
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
        cancelled = sum(services.scan_cancel(scan=scan) for scan in queryset)
        self.message_user(request, f"{cancelled} scan(s) cancelled.")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(WatcherStatus)
class WatcherStatusAdmin(admin.ModelAdmin):
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
        return "running" if watcher_alive(status) else "not answering (stopped?)"

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
