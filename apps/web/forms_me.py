"""Forms of the "me" pages: they check the shape of the input; the services decide and save."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from apps.notifications.kinds import PERSONAL_KINDS
from apps.notifications.models import NotificationPreference
from apps.playback.models import PlaybackPreference

PATTERNS_HELP = 'Event names, categories or patterns, one a line or comma separated: "request.available", "media".'
MAX_PATTERNS = 200


def patterns_of(text: str) -> list[str]:
    """A list of patterns from what was typed: split on commas and new lines, blanks dropped."""
    return [part.strip() for part in re.split(r"[,\n]", text or "") if part.strip()]


def service_errors_to(form: forms.Form, exc: ValidationError) -> None:
    """A service's refusal told next to the form's field it names; the rest above the form."""
    named = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for field, messages in named.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message[:1].upper() + message[1:])


class PatternsField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs) -> None:
        super().__init__(required=False, max_length=10_000, help_text=PATTERNS_HELP, **kwargs)

    def clean(self, value) -> list[str]:
        patterns = patterns_of(super().clean(value))
        if len(patterns) > MAX_PATTERNS:
            raise ValidationError(f"At most {MAX_PATTERNS} patterns.")
        return patterns


class PreferenceForm(forms.Form):
    events = PatternsField(label="Also tell me about")
    muted = PatternsField(label="Never tell me about")
    in_app = forms.BooleanField(required=False, label="Show notifications in the app")
    digest = forms.ChoiceField(choices=NotificationPreference.Digest.choices, label="Digest")


class ChannelForm(forms.Form):
    kind = forms.ChoiceField(choices=[(k.value, k.label) for k in PERSONAL_KINDS], label="Kind")
    name = forms.CharField(max_length=100, required=False, label="Name")
    url = forms.CharField(
        max_length=2000,
        required=False,
        label="URL",
        help_text="ntfy://, gotify://, a Discord webhook or any Apprise URL. Never shown again: it may hold a token.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    events = PatternsField(label="Events (empty: as my preferences)")


def password_input(label: str, *, autocomplete: str, **options) -> forms.CharField:
    options.setdefault("max_length", 4096)
    return forms.CharField(
        label=label, strip=False, widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}), **options
    )


class OwnPasswordForm(forms.Form):
    """A form of the signed-in person whose `password` field must be their current password."""

    password = password_input("Your password", autocomplete="current-password")
    refusal = "That is not your password."

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(self.refusal)
        return password


class TokenForm(OwnPasswordForm):
    """A token outlives this session: like the API's (which asks for credentials), it takes the password."""

    name = forms.CharField(max_length=100, label="Name", help_text="Shown in your list of sessions and tokens.")
    expires_in_days = forms.IntegerField(
        min_value=1, max_value=3650, required=False, label="Expires after (days)", help_text="Empty: never."
    )
    field_order = ["name", "expires_in_days", "password"]


class PasswordForm(OwnPasswordForm):
    password = password_input("Current password", autocomplete="current-password")
    new = password_input("New password", autocomplete="new-password", min_length=8, max_length=128)
    again = password_input("New password again", autocomplete="new-password", max_length=128)
    refusal = "That is not your current password."

    def clean(self) -> dict:
        data = super().clean()
        new, again = data.get("new"), data.get("again")
        if new and again is not None and new != again:
            self.add_error("again", "The two new passwords differ.")
        elif new:
            try:
                validate_password(new, self.user)
            except ValidationError as exc:
                self.add_error("new", exc)
        return data


class PlaybackForm(forms.Form):
    audio_language = forms.CharField(
        max_length=64,
        required=False,
        label="Audio language",
        help_text="A name or code: English, de, fre. Empty: the file's default.",
    )
    subtitle_language = forms.CharField(
        max_length=64, required=False, label="Subtitle language", help_text="A name or code. Empty: none chosen."
    )
    subtitles = forms.ChoiceField(choices=PlaybackPreference.Subtitles.choices, label="Show subtitles")
