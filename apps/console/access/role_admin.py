"""The console's role page: permissions as labelled checkboxes grouped by app, a typed field for every role
setting (made from the schema), the rank and permission rules told next to their fields; saved, as before,
through accounts.services.roles (the accounts app's RoleAdmin.save_model)."""

from __future__ import annotations

import contextlib

from django import forms
from django.apps import apps as django_apps
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError

from apps.accounts import rules
from apps.accounts.admin import RoleAdmin, RoleForm
from apps.accounts.models import Role
from apps.accounts.role_settings import SETTINGS
from apps.console.access.setting_fields import setting_field, setting_groups


class PermissionGroups(forms.CheckboxSelectMultiple):
    """Checkboxes in one fold per app, each with its readable name; apps with a ticked permission start open."""

    template_name = "admin/console/access/permission_groups.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["groups"] = [
            (group, options, sum(1 for option in options if option["selected"]))
            for group, options, _ in context["widget"]["optgroups"]
        ]
        return context


def permission_label(permission: Permission) -> str:
    name = permission.name
    return name[4:].capitalize() if name.startswith("Can ") else name


def permission_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """Every permission, grouped under its app's name, apps and permissions in a readable order."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for permission in Permission.objects.select_related("content_type").order_by(
        "content_type__app_label", "content_type__model", "codename"
    ):
        label = permission.content_type.app_label
        with contextlib.suppress(LookupError):  # a table left behind by an uninstalled app keeps its label
            label = str(django_apps.get_app_config(label).verbose_name)
        groups.setdefault(label.capitalize(), []).append((permission.pk, permission_label(permission)))
    return sorted(groups.items())


class ConsoleRoleForm(RoleForm):
    actor = None  # the signed-in operator, set by ConsoleRoleAdmin.get_form

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["permissions"] = forms.TypedMultipleChoiceField(
            choices=permission_choices(),
            coerce=int,
            required=False,
            widget=PermissionGroups,
            help_text="Model permissions of the whole server; libraries are granted on the role's Libraries page.",
        )
        if self.instance.pk:
            self.fields["permissions"].initial = list(self.instance.group.permissions.values_list("pk", flat=True))
        for name in SETTINGS:
            self.fields[name] = setting_field(name, current=getattr(self.instance, name, None))

    def clean_rank(self) -> int:
        rank = self.cleaned_data["rank"]
        if not rules.outranks(actor=self.actor, target=rank):
            raise ValidationError(f"At most your own rank ({rules.rank_of(self.actor)}).")
        if self.instance.pk and self.instance.is_builtin and rank != Role.objects.get(pk=self.instance.pk).rank:
            raise ValidationError("The rank of a built-in role is fixed.")
        return rank

    def clean_permissions(self) -> list[Permission]:
        chosen = list(Permission.objects.filter(pk__in=self.cleaned_data["permissions"]).select_related("content_type"))
        missing = rules.permissions_missing(actor=self.actor, permissions=chosen)
        if missing:
            raise ValidationError(f"You may not grant permissions you do not hold: {', '.join(missing)}.")
        return chosen


admin.site.unregister(Role)


@admin.register(Role)
class ConsoleRoleAdmin(RoleAdmin):
    form = ConsoleRoleForm
    change_form_template = "admin/console/access/role_change_form.html"

    def get_fieldsets(self, request, obj: Role | None = None):
        return [
            (None, {"fields": ["name", "rank", "description"]}),
            ("Permissions", {"fields": ["permissions"]}),
            *((group, {"fields": names}) for group, names in setting_groups().items()),
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})
