"""Reads of a viewer's playback defaults."""

from __future__ import annotations

from apps.media.languages import language_normalize
from apps.playback.models import PlaybackPreference


def playback_preference_of(*, user) -> PlaybackPreference:
    """The saved defaults, or the defaults (unsaved) for someone who never changed them."""
    found = PlaybackPreference.objects.filter(user=user).first()
    return found or PlaybackPreference(user=user)


def tracks_preferred(*, user, audio: list[dict], subtitles: list[dict]) -> dict:
    """The viewer's defaults applied to one file's tracks, as a session's choices.

    `audio`: {"index", "language", "default"} per audio stream; `subtitles`: {"key", "language", "burn"} per
    subtitle. Returns what to ask for: `audio_stream`, `subtitle` (+ `burn_subtitles` for a bitmap one); nothing
    where the file's own default stands.
    """
    preference = playback_preference_of(user=user)
    choices: dict = {}
    playing = next((track for track in audio if track.get("default")), audio[0] if audio else None)
    if preference.audio_language:
        wanted = next((track for track in audio if _code(track["language"]) == preference.audio_language), None)
        if wanted is not None:
            choices["audio_stream"] = wanted["index"]
            playing = wanted
    mode = preference.subtitles
    heard = _code(playing["language"]) if playing else ""
    want_subtitles = mode == PlaybackPreference.Subtitles.ALWAYS or (
        mode == PlaybackPreference.Subtitles.FOREIGN and heard != preference.subtitle_language
    )
    if want_subtitles and preference.subtitle_language:
        shown = next((t for t in subtitles if _code(t["language"]) == preference.subtitle_language), None)
        if shown is not None:
            choices["subtitle"] = shown["key"]
            if shown["burn"]:
                choices["burn_subtitles"] = True
    return choices


def _code(language: str | None) -> str:
    return language_normalize(language or "")
