"""The one check of role settings and per-user overrides: each value's type and range, wherever it is written.

Effective settings are read by every request (limits, quotas, transcoding), so a stored value of the wrong
type would fail them all later; it is refused here, with the field it belongs to.
"""

from __future__ import annotations

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


CHECKS = {
    "max_streams": _count(SMALL),
    "max_transcode_height": _count(SMALL),
    "max_transcode_bitrate_kbps": _count(LARGE),
    "may_download": _flag,
    "request_quota_movies": _count(SMALL),
    "request_quota_shows": _count(SMALL),
    "request_quota_days": _count(SMALL),
    "requests_auto_approved": _flag,
    "may_approve_requests": _flag,
    "allowed_library_kinds": _kinds,
    "max_parental_age": _count(99, nullable=True),
    "block_unrated": _flag,
    "allowed_genres": _names,
    "blocked_genres": _names,
    "feature_flags": _flags,
}


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
