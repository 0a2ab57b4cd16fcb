"""Operator views of the core app: the task-run record."""

from django.contrib import admin

from apps.core.models import TaskRun


@admin.register(TaskRun)
class TaskRunAdmin(admin.ModelAdmin):
    list_display = ("name", "state", "args_summary", "worker", "queued_at", "started_at", "finished_at", "duration")
    list_filter = ("state", "name")
    search_fields = ("name", "task_id", "args_summary", "error")
    date_hierarchy = "started_at"
    readonly_fields = [field.name for field in TaskRun._meta.fields] + ["duration"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
