"""Typed form fields for role settings, made from the schema (accounts/role_settings.py SETTINGS): a setting
added there appears in the role and user forms by itself, with the field its kind asks for."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError

from apps.accounts.role_settings import LIBRARY_KINDS, SETTINGS, Setting
from apps.media.ratings import rating_choices

ON, OFF = ("on", "true", "yes", "1"), ("off", "false", "no", "0")


class NamesField(forms.CharField):
    """A list of names, typed comma-separated (genres)."""

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list) else value

    def to_python(self, value) -> list[str]:
        text = super().to_python(value)
        return [name.strip() for name in re.split(r"[,\n]", text) if name.strip()]


class FlagsField(forms.CharField):
    """Named on/off flags, one a line as "name: on"."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 40})

    def prepare_value(self, value):
        if isinstance(value, dict):
            return "\n".join(f"{name}: {'on' if on else 'off'}" for name, on in value.items())
        return value

    def to_python(self, value) -> dict[str, bool]:
        flags = {}
        for number, line in enumerate(super().to_python(value).splitlines(), start=1):
            if not line.strip():
                continue
            name, _, state = line.partition(":")
            state = state.strip().lower()
            if not name.strip() or state not in ON + OFF:
                raise ValidationError(f'Line {number}: write "name: on" or "name: off".')
            flags[name.strip()] = state in ON
        return flags


def age_choices(current: int | None = None) -> list[tuple[str, str]]:
    """No limit, then every certification age with examples; a stored age no system uses stays choosable."""
    choices = [("", "No limit"), *((str(age), label) for age, label in rating_choices())]
    if current is not None and str(current) not in dict(choices):
        choices.append((str(current), f"{current}+ (set through the API)"))
    return choices


def setting_field(name: str, *, required: bool = True, current=None) -> forms.Field:
    """The form field of one setting; `required=False` for overrides, whose empty answers are read elsewhere."""
    setting: Setting = SETTINGS[name]
    common = {"label": setting.label, "help_text": setting.help}
    if setting.kind == "count":
        return forms.IntegerField(min_value=0, max_value=setting.maximum, required=required, **common)
    if setting.kind == "age":
        return forms.TypedChoiceField(
            choices=age_choices(current),
            coerce=int,
            empty_value=None,
            required=False,
            error_messages={"invalid_choice": "Pick a certification from the list: %(value)s is not one of them."},
            **common,
        )
    if setting.kind == "flag":
        return forms.BooleanField(required=False, **common)
    if setting.kind == "kinds":
        choices = [(kind, kind.capitalize()) for kind in LIBRARY_KINDS]
        return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, required=False, **common)
    if setting.kind == "names":
        return NamesField(required=False, **common)
    if setting.kind == "flags":
        return FlagsField(required=False, **common)
    raise ValueError(f"setting {name!r} has a kind no form knows: {setting.kind!r}")


def setting_groups() -> dict[str, list[str]]:
    """Setting names by their group, in the schema's order."""
    groups: dict[str, list[str]] = {}
    for name, setting in SETTINGS.items():
        groups.setdefault(setting.group, []).append(name)
    return groups


def setting_display(name: str, value) -> str:
    """A setting's value in words, for "effective" and "role gives" columns."""
    kind = SETTINGS[name].kind
    if kind == "flag":
        return "yes" if value else "no"
    if kind == "age":
        return "no limit" if value is None else dict(age_choices(value)).get(str(value), f"{value}+")
    if kind == "count" and value == 0 and "0 is unlimited" in SETTINGS[name].help:
        return "unlimited"
    if kind in ("kinds", "names"):
        return ", ".join(value) or ("every kind" if kind == "kinds" else "none")
    if kind == "flags":
        return ", ".join(f"{k}: {'on' if v else 'off'}" for k, v in value.items()) or "none"
    return str(value)
