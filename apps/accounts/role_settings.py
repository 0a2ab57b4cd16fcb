"""The one check of role settings and per-user overrides: each value's type and range, wherever it is written.

Effective settings are read by every request (limits, quotas, transcoding), so a stored value of the wrong
type would fail them all later; it is refused here, with the field it belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError

SMALL, LARGE = 32767, 2147483647
LIBRARY_KINDS = ("movies", "shows")
MAX_NAMES, MAX_NAME_LENGTH = 500, 100


def _count(maximum: int, *, nullable: bool = False):
    def check(value):
        if value is None and nullable:
            return None
        # bool is an int in Python: true/false for a number is a mistake, not 1/0.
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= maximum:
            empty = " or empty" if nullable else ""
            raise ValidationError(f"a whole number from 0 to {maximum}{empty}")
        return value

    return check


def _flag(value):
    if not isinstance(value, bool):
        raise ValidationError("true or false")
    return value


def _kinds(value):
    if not isinstance(value, list) or any(kind not in LIBRARY_KINDS for kind in value):
        raise ValidationError('a list of "movies" and "shows"')
    return list(dict.fromkeys(value))


def _names(value):
    if (
        not isinstance(value, list)
        or len(value) > MAX_NAMES
        or not all(isinstance(v, str) and 0 < len(v.strip()) <= MAX_NAME_LENGTH for v in value)
    ):
        raise ValidationError(f"a list of names (at most {MAX_NAMES}, each 1 to {MAX_NAME_LENGTH} characters)")
    return [v.strip() for v in value]


def _flags(value):
    if (
        not isinstance(value, dict)
        or len(value) > MAX_NAMES
        or not all(isinstance(k, str) and 0 < len(k) <= MAX_NAME_LENGTH for k in value)
        or not all(isinstance(v, bool) for v in value.values())
    ):
        raise ValidationError("an object of flag names to true/false")
    return value


@dataclass(frozen=True)
class Setting:
    """One role setting as forms show it: its kind decides both its check and its field (console/access)."""

    kind: str  # count, age (a count or empty), flag, kinds, names, flags
    label: str
    group: str
    maximum: int = 0
    help: str = ""


STREAMING, REQUESTS, CONTENT, OTHER = "Streaming", "Requests", "What they see", "Other"

# The schema of role settings: a setting added here is checked everywhere and appears in the console's forms.
SETTINGS: dict[str, Setting] = {
    "max_streams": Setting("count", "Concurrent streams", STREAMING, SMALL, "0 is unlimited."),
    "max_transcode_height": Setting("count", "Highest transcode height (pixels)", STREAMING, SMALL, "0 is unlimited."),
    "max_transcode_bitrate_kbps": Setting(
        "count", "Highest transcode bitrate (kbit/s)", STREAMING, LARGE, "0 is unlimited."
    ),
    "may_download": Setting("flag", "May download files", STREAMING),
    "request_quota_movies": Setting("count", "Movie requests per period", REQUESTS, SMALL, "0 is unlimited."),
    "request_quota_shows": Setting("count", "Show requests per period", REQUESTS, SMALL, "0 is unlimited."),
    "request_quota_days": Setting("count", "Quota period (days)", REQUESTS, SMALL),
    "requests_auto_approved": Setting("flag", "Requests approved at once", REQUESTS),
    "may_approve_requests": Setting("flag", "May approve others' requests", REQUESTS),
    "allowed_library_kinds": Setting("kinds", "Kinds of library", CONTENT, help="None ticked allows every kind."),
    "max_parental_age": Setting("age", "Highest certification", CONTENT, 99, "Empty is no limit."),
    "block_unrated": Setting("flag", "Hide items without a certification", CONTENT),
    "allowed_genres": Setting("names", "Only these genres", CONTENT, help="Comma-separated; empty allows all."),
    "blocked_genres": Setting("names", "Never these genres", CONTENT, help="Comma-separated."),
    "feature_flags": Setting("flags", "Feature flags", OTHER, help='One a line: "name: on" or "name: off".'),
}

_CHECK_OF_KIND = {
    "count": lambda setting: _count(setting.maximum),
    "age": lambda setting: _count(setting.maximum, nullable=True),
    "flag": lambda setting: _flag,
    "kinds": lambda setting: _kinds,
    "names": lambda setting: _names,
    "flags": lambda setting: _flags,
}
CHECKS = {name: _CHECK_OF_KIND[setting.kind](setting) for name, setting in SETTINGS.items()}


def setting_values_clean(values: dict) -> dict:
    """Checked (and tidied) setting values by field name; a ValidationError names every bad one."""
    cleaned, problems = {}, {}
    for name, value in values.items():
        check = CHECKS.get(name)
        if check is None:
            problems[name] = ["not a setting"]
            continue
        try:
            cleaned[name] = check(value)
        except ValidationError as exc:
            problems[name] = exc.messages
    if problems:
        raise ValidationError(problems)
    return cleaned


def setting_values_valid(values) -> dict:
    """Only the values that pass their check: what is read back from storage written before these checks."""
    if not isinstance(values, dict):
        return {}
    valid = {}
    for name, value in values.items():
        try:
            valid.update(setting_values_clean({name: value}))
        except ValidationError:
            continue
    return valid


def settings_overrides_clean(overrides) -> dict:
    """A user's overrides: an object of known settings; null values mean "as the role says" and are dropped."""
    if not isinstance(overrides, dict):
        raise ValidationError({"settings_overrides": ["an object of setting names to values"]})
    unknown = sorted(name for name in overrides if name not in CHECKS)
    if unknown:
        raise ValidationError({"settings_overrides": [f"unknown settings: {', '.join(unknown)}"]})
    kept = {name: value for name, value in overrides.items() if value is not None}
    try:
        return setting_values_clean(kept)
    except ValidationError as exc:
        messages = [f"{name}: {'; '.join(errors)}" for name, errors in exc.message_dict.items()]
        raise ValidationError({"settings_overrides": messages}) from exc
