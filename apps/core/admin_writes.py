"""Console writes through services: a ModelAdmin says which service saves and which deletes, and every way the
admin writes (the form, the delete page, the "delete selected" action) goes through them."""

from __future__ import annotations


class ServiceWrites:
    """Mix into a ModelAdmin (before admin.ModelAdmin) and define `service_save` and/or `service_delete`."""

    def service_save(self, obj, *, by) -> None:
        raise NotImplementedError("this console page does not save")

    def service_delete(self, obj, *, by) -> None:
        raise NotImplementedError("this console page does not delete")

    def save_model(self, request, obj, form, change: bool) -> None:
        self.service_save(obj, by=request.user)

    def delete_model(self, request, obj) -> None:
        self.service_delete(obj, by=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            self.service_delete(obj, by=request.user)


class NotDeletable:
    """Logs and records pruned by their own retention: the console shows them and never deletes one by hand."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
