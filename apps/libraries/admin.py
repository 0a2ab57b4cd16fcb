"""Operator views of libraries: folders, settings and grants (scans and their actions are the scanning app's)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from guardian.admin import GuardedModelAdmin

from apps.libraries import rules, services
from apps.libraries.models import Library
from apps.libraries.selectors import libraries_visible_to


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
    # Guardian's page with the console's scan box on top (apps/console/templates/admin/libraries/library/).
    change_form_template = "admin/libraries/library/change_form.html"
    list_display = ("name", "kind", "enabled", "realtime_monitoring", "scan_interval_minutes", "last_scanned_at")
    list_filter = ("kind", "enabled")
    search_fields = ("name", "folders__path")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Library]:
        return libraries_visible_to(user=request.user)

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

    def delete_model(self, request: HttpRequest, obj: Library) -> None:
        services.library_delete(library=obj, by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Library]) -> None:
        for library in queryset:
            services.library_delete(library=library, by=request.user)

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
