"""The activity log in the admin: read-only, filtered like the API."""

from django.contrib import admin
from django.utils.html import format_html_join

from apps.audit import selectors
from apps.audit.models import Activity

# django-auditlog registers its own admin for the log entry model; this one replaces it.
if admin.site.is_registered(Activity):
    admin.site.unregister(Activity)


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("timestamp", "event", "success", "actor_display", "object_type", "object_repr", "remote_addr")
    list_filter = ("event", "success", "content_type", ("timestamp", admin.DateFieldListFilter))
    search_fields = ("object_repr", "actor_name", "actor__username", "remote_addr", "message", "object_pk")
    date_hierarchy = "timestamp"
    list_select_related = ("actor", "content_type")
    fields = (
        "timestamp",
        "event",
        "success",
        "actor_display",
        "content_type",
        "object_pk",
        "object_repr",
        "message",
        "changes_table",
        "remote_addr",
        "user_agent",
        "additional_data",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return selectors.activity_visible_to(user=request.user)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="actor", ordering="actor_name")
    def actor_display(self, entry: Activity) -> str:
        return entry.actor.get_username() if entry.actor_id else entry.actor_name or "—"

    @admin.display(description="changes")
    def changes_table(self, entry: Activity) -> str:
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        rows = [(field, *(v if isinstance(v, list) and len(v) == 2 else ("", v))) for field, v in changes.items()]
        return format_html_join("", "<div><b>{}</b>: {} → {}</div>", rows) or "—"
