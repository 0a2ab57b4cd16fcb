"""Operator views: libraries with a "Scan now" action, and the scan history with progress and errors."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html_join
from guardian.admin import GuardedModelAdmin

from apps.libraries import rules, services
from apps.libraries.models import Library, LibraryScan, ScanError, WatcherStatus
from apps.libraries.selectors import libraries_visible_to, watcher_alive


class LibraryForm(forms.ModelForm):
    """A library with its folders, one per line; checked by the services, as in the API."""

    paths = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text="Absolute folders, one per line. Changing them needs the global permission to change libraries.",
    )
    actor = None  # the signed-in operator, set by LibraryAdmin.get_form

    class Meta:
        model = Library
        fields = ["name", "kind", "paths", "enabled", "realtime_monitoring", "scan_interval_minutes"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["paths"].initial = "\n".join(self.instance.paths)

    def clean_paths(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["paths"].splitlines() if line.strip()]
        try:
            return services.library_folders_clean(lines)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict.get("paths", exc.messages)) from exc

    def clean(self) -> dict:
        data = super().clean()
        if self.instance.pk and "paths" in data:
            try:
                services.library_change_check(
                    library=self.instance, by=self.actor, kind=data.get("kind"), paths=data["paths"]
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    self.add_error(field if field in self.fields else None, errors)
        return data


@admin.register(Library)
class LibraryAdmin(GuardedModelAdmin):
    """Libraries, written through the services (folders checked, default grants, kind fixed).

    The "Object permissions" pages write grants without the rank rules of library_grants_set, so they are
    kept to superusers; everyone else changes grants through the API.
    """

    form = LibraryForm
    list_display = ("name", "kind", "enabled", "realtime_monitoring", "scan_interval_minutes", "last_scanned_at")
    list_filter = ("kind", "enabled")
    search_fields = ("name", "folders__path")
    actions = ["scan_now", "full_scan_now"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Library]:
        return libraries_visible_to(request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def has_add_permission(self, request: HttpRequest) -> bool:
        return rules.may_create_library(actor=request.user)

    def has_change_permission(self, request: HttpRequest, obj: Library | None = None) -> bool:
        if obj is None:
            return rules.may_change_library_setup(actor=request.user)
        return rules.may_manage_library(actor=request.user, library=obj)

    def save_model(self, request: HttpRequest, obj: Library, form, change: bool) -> None:
        fields = {name: form.cleaned_data[name] for name in LibraryForm.Meta.fields if name in form.cleaned_data}
        paths = fields.pop("paths")
        if change:
            stored = Library.objects.get(pk=obj.pk)
            services.library_update(library=stored, by=request.user, paths=paths, **fields)
        else:
            library = services.library_create(by=request.user, paths=paths, **fields)
            obj.pk, obj.created_at, obj.updated_at = library.pk, library.created_at, library.updated_at
            obj._state.adding, obj._state.db = False, library._state.db

    def _superusers_only(self, request: HttpRequest) -> None:
        if not request.user.is_superuser:
            raise PermissionDenied("grants are changed through the API, where the rank rules apply")

    def obj_perms_manage_view(self, request, object_pk):
        self._superusers_only(request)
        return super().obj_perms_manage_view(request, object_pk)

    def obj_perms_manage_user_view(self, request, object_pk, user_id):
        self._superusers_only(request)
        return super().obj_perms_manage_user_view(request, object_pk, user_id)

    def obj_perms_manage_group_view(self, request, object_pk, group_id):
        self._superusers_only(request)
        return super().obj_perms_manage_group_view(request, object_pk, group_id)

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
        # Like the API: scans of the libraries one may scan (the changelist shows every scan to viewers).
        scannable = libraries_visible_to(request.user, perm="libraries.scan_library")
        cancelled = sum(services.scan_cancel(scan=scan) for scan in queryset.filter(library__in=scannable))
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
