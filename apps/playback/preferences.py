"""Writes of a viewer's playback defaults: languages are stored as ISO 639-2/B codes, anything unknown refused."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from apps.media.languages import language_normalize
from apps.playback.models import PlaybackPreference

UNSET = None


def _language(value: str, field: str, errors: dict) -> str:
    """The code for a language code or name ("en", "Deutsch"); empty stays empty; unknown is an error."""
    text = (value or "").strip()
    if not text:
        return ""
    code = language_normalize(text[:64])
    if not code:
        errors[field] = [f"{text[:64]!r} is not a language this server knows (try a name like English, or en)"]
    return code


def playback_preference_update(
    *,
    user,
    audio_language: str | None = UNSET,
    subtitle_language: str | None = UNSET,
    subtitles: str | None = UNSET,
) -> PlaybackPreference:
    """Change what is given (all or nothing); a ValidationError names each field that is wrong."""
    errors: dict[str, list[str]] = {}
    changes: dict[str, str] = {}
    if audio_language is not UNSET:
        changes["audio_language"] = _language(audio_language, "audio_language", errors)
    if subtitle_language is not UNSET:
        changes["subtitle_language"] = _language(subtitle_language, "subtitle_language", errors)
    if subtitles is not UNSET:
        if subtitles not in PlaybackPreference.Subtitles.values:
            errors["subtitles"] = [f"use one of {', '.join(PlaybackPreference.Subtitles.values)}"]
        changes["subtitles"] = subtitles
    if errors:
        raise ValidationError(errors)
    preference, _ = PlaybackPreference.objects.get_or_create(user=user)
    for field, value in changes.items():
        setattr(preference, field, value)
    preference.save()
    return preference
