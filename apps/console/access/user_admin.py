"""The console's user page: the role-setting overrides as typed fields (no JSON), each inheriting from the
role unless told otherwise, with what the role gives and what applies now beside it; saved through
accounts.services.users.user_update like every other change of the user."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from apps.accounts.admin import UserAdmin
from apps.accounts.models import User
from apps.accounts.role_settings import SETTINGS, settings_overrides_clean
from apps.accounts.selectors import SERVER_DEFAULTS, effective_settings
from apps.console.access.setting_fields import setting_display, setting_field

INHERIT, OWN = "inherit", "own"
OVERRIDE_CHOICES = [(INHERIT, "Inherit from role"), (OWN, "Own value")]


@dataclass
class OverrideRow:
    label: str
    help: str
    choice: forms.BoundField
    value: forms.BoundField
    role_gives: str
    effective: str


class OverridesForm(forms.ModelForm):
    """Adds, per setting, an inherit-or-own choice and the own value; `settings_overrides` is made from them."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        stored = self.instance.settings_overrides or {}
        for name, setting in SETTINGS.items():
            self.fields[f"inherit_{name}"] = forms.ChoiceField(
                choices=OVERRIDE_CHOICES,
                widget=forms.RadioSelect(attrs={"class": "override-choice"}),
                required=False,
                initial=OWN if name in stored else INHERIT,
                label=setting.label,
            )
            value = setting_field(name, required=False, current=stored.get(name))
            value.initial = stored.get(name, self._role_value(name))
            value.widget.attrs["aria-label"] = f"{setting.label}: this user's own value"
            self.fields[f"override_{name}"] = value

    def _role_value(self, name: str):
        role = self.instance.role if self.instance.role_id else None
        return getattr(role, name) if role is not None else SERVER_DEFAULTS[name]

    def clean(self) -> dict:
        data = super().clean()
        overrides = {}
        for name, setting in SETTINGS.items():
            if data.get(f"inherit_{name}") != OWN or f"override_{name}" in self.errors:
                continue
            value = data.get(f"override_{name}")
            if value is None or (setting.kind == "count" and value == ""):
                message = "Give this user's own value, or inherit from the role."
                if setting.kind == "age":
                    message = "An own value is a certification; for no limit, give the user a role without one."
                self.add_error(f"override_{name}", message)
                continue
            overrides[name] = value
        try:
            data["settings_overrides"] = settings_overrides_clean(overrides)
        except ValidationError as exc:
            # The schema's own check, each message beside the value it names ("max_streams: …").
            for message in exc.message_dict.get("settings_overrides", exc.messages):
                name, _, text = message.partition(": ")
                self.add_error(f"override_{name}" if name in SETTINGS else None, text or message)
        return data

    def override_rows(self) -> list[OverrideRow]:
        effective = effective_settings(user=self.instance).as_dict() if self.instance.pk else SERVER_DEFAULTS
        return [
            OverrideRow(
                label=setting.label,
                help=setting.help,
                choice=self[f"inherit_{name}"],
                value=self[f"override_{name}"],
                role_gives=setting_display(name, self._role_value(name)),
                effective=setting_display(name, effective[name]),
            )
            for name, setting in SETTINGS.items()
        ]


admin.site.unregister(User)


@admin.register(User)
class ConsoleUserAdmin(UserAdmin):
    change_form_template = "admin/console/access/user_change_form.html"
    readonly_fields = ("last_login", "date_joined")  # records of what happened, not settings
    fieldsets = (
        *UserAdmin.fieldsets[:2],
        ("Role", {"fields": ("role", "is_active")}),  # the overrides come after, as typed fields
        *UserAdmin.fieldsets[3:],
    )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            return form
        combined = type(form.__name__, (OverridesForm, form), {})
        combined.base_fields = form.base_fields  # as the accounts app narrowed them (the roles one may give)
        return combined

    def service_fields(self, form) -> dict:
        fields = super().service_fields(form)
        overrides = form.cleaned_data.get("settings_overrides")
        if overrides is not None and overrides != (form.instance.settings_overrides or {}):
            fields["settings_overrides"] = overrides
        return fields
