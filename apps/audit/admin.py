"""The activity log in the admin: read-only, filtered like the API."""

from django.apps import apps
from django.contrib import admin
from django.utils.html import format_html_join

from apps.audit import selectors
from apps.audit.models import Activity

# django-auditlog registers its own admin for the log entry model; this one replaces it.
if admin.site.is_registered(Activity):
    admin.site.unregister(Activity)


# A short list of what happened, instead of every event name; anything else is "Other".
KINDS = {
    "changes": ("Changes to records", ("create", "update", "delete", "access")),
    "signin": ("Sign-ins and passwords", ("login", "logout", "login_failed", "password_changed")),
    "security": (
        "Security",
        ("lockout", "unlock", "ip_blocked", "private_network_allowed", "private_network_disallowed"),
    ),
    "operations": (
        "Operators' actions",
        ("stream_terminated", "file_deleted", "catalogue_deleted", "catalogue_changed", "metadata_identified"),
    ),
}


class KindFilter(admin.SimpleListFilter):
    title = "what happened"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _) in KINDS.items()] + [("other", "Other")]

    def queryset(self, request, queryset):
        if self.value() in KINDS:
            return queryset.filter(event__in=KINDS[self.value()][1])
        if self.value() == "other":
            return queryset.exclude(event__in=[name for _, names in KINDS.values() for name in names])
        return queryset


class AreaFilter(admin.SimpleListFilter):
    """The part of Revenge a record belongs to (its app), not one of sixty model names."""

    title = "area"
    parameter_name = "area"

    def lookups(self, request, model_admin):
        labels = model_admin.get_queryset(request).order_by().values_list("content_type__app_label", flat=True)
        found = {label for label in labels.distinct() if label}
        names = {config.label: str(config.verbose_name) for config in apps.get_app_configs()}
        return sorted(((label, names.get(label, label).capitalize()) for label in found), key=lambda pair: pair[1])

    def queryset(self, request, queryset):
        return queryset.filter(content_type__app_label=self.value()) if self.value() else queryset


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("timestamp", "event", "success", "actor_display", "object_type", "object_repr", "remote_addr")
    list_filter = (KindFilter, AreaFilter, "success", ("timestamp", admin.DateFieldListFilter))
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
