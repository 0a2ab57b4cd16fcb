"""Operator views of the core app: the task-run record, with housekeeping apart and "Retry" for a failed run."""

from django.contrib import admin, messages

from apps.core.admin_writes import NotDeletable
from apps.core.models import TaskRun
from apps.core.task_runs import RetryRefused, housekeeping_names, retry_refusal, task_area, task_run_retry


class AreaFilter(admin.SimpleListFilter):
    """Tasks by the app they belong to: a dozen areas instead of every task name."""

    title = "area"
    parameter_name = "area"

    def lookups(self, request, model_admin):
        names = TaskRun.objects.order_by().values_list("name", flat=True).distinct()
        return [(area, area.capitalize()) for area in sorted({task_area(name) for name in names})]

    def queryset(self, request, queryset):
        return queryset.filter(name__startswith=f"{self.value()}.") if self.value() else queryset


class HousekeepingFilter(admin.SimpleListFilter):
    """The beat's periodic work (pruning, sweeps, polls) runs every minute or so: hidden unless asked for."""

    title = "housekeeping"
    parameter_name = "housekeeping"

    def lookups(self, request, model_admin):
        return [("show", "Shown"), ("only", "Only housekeeping")]

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "Hidden",
        }
        for value, label in self.lookup_choices:
            yield {
                "selected": self.value() == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        if self.value() == "show":
            return queryset
        if self.value() == "only":
            return queryset.filter(name__in=housekeeping_names())
        return queryset.exclude(name__in=housekeeping_names())


@admin.register(TaskRun)
class TaskRunAdmin(NotDeletable, admin.ModelAdmin):
    list_display = ("name", "state", "args_summary", "worker", "queued_at", "started_at", "finished_at", "duration")
    list_filter = ("state", AreaFilter, HousekeepingFilter)
    search_fields = ("name", "task_id", "args_summary", "error")
    date_hierarchy = "started_at"
    readonly_fields = [field.name for field in TaskRun._meta.fields] + ["duration"]
    actions = ("retry",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_retry_permission(self, request) -> bool:
        # Queueing work again is more than reading the log: the change permission of task runs (admins).
        return request.user.has_perm("core.change_taskrun")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        run = self.get_object(request, object_id)
        extra = (
            {"retry_refusal": retry_refusal(run=run), "may_retry": self.has_retry_permission(request)} if run else {}
        )
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    @admin.action(description="Retry the selected failed runs", permissions=["retry"])
    def retry(self, request, queryset) -> None:
        queued = 0
        for run in queryset:
            try:
                task_run_retry(run=run)
                queued += 1
            except RetryRefused as refused:
                self.message_user(request, f"{run.name} ({run.pk}) not retried: {refused}", messages.ERROR)
        if queued:
            self.message_user(request, f"{queued} run(s) queued again.", messages.SUCCESS)
