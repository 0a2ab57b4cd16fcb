"""A viewer's audio and subtitle defaults applied to a file's tracks: what the player asks the session for."""

from __future__ import annotations

import pytest

from apps.core.testing.people import user_make
from apps.playback.preference_selectors import tracks_preferred
from apps.playback.preferences import playback_preference_update

pytestmark = pytest.mark.django_db

AUDIO = [
    {"index": 1, "language": "eng", "default": True},
    {"index": 2, "language": "fre", "default": False},
]
SUBTITLES = [
    {"key": "s7", "language": "en", "burn": False},
    {"key": "s8", "language": "fr", "burn": False},
    {"key": "e4", "language": "ger", "burn": True},
]


@pytest.fixture
def alice():
    return user_make("alice")


def test_without_defaults_the_file_decides(alice):
    assert tracks_preferred(user=alice, audio=AUDIO, subtitles=SUBTITLES) == {}


def test_the_preferred_audio_language_picks_its_track_by_any_spelling(alice):
    playback_preference_update(user=alice, audio_language="French")
    assert tracks_preferred(user=alice, audio=AUDIO, subtitles=SUBTITLES) == {"audio_stream": 2}


def test_a_missing_language_keeps_the_files_default(alice):
    playback_preference_update(user=alice, audio_language="jpn", subtitle_language="jpn", subtitles="always")
    assert tracks_preferred(user=alice, audio=AUDIO, subtitles=SUBTITLES) == {}


def test_subtitles_always_shows_the_preferred_text_track(alice):
    playback_preference_update(user=alice, subtitle_language="fr", subtitles="always")
    assert tracks_preferred(user=alice, audio=AUDIO, subtitles=SUBTITLES) == {"subtitle": "s8"}


def test_foreign_only_shows_subtitles_when_the_audio_is_not_in_the_viewers_language(alice):
    playback_preference_update(user=alice, subtitle_language="eng", subtitles="foreign")
    assert tracks_preferred(user=alice, audio=AUDIO, subtitles=SUBTITLES) == {}  # English audio: none needed
    playback_preference_update(user=alice, audio_language="fre")
    assert tracks_preferred(user=alice, audio=AUDIO, subtitles=SUBTITLES) == {"audio_stream": 2, "subtitle": "s7"}


def test_a_bitmap_track_is_burned_in(alice):
    playback_preference_update(user=alice, subtitle_language="de", subtitles="always")
    assert tracks_preferred(user=alice, audio=AUDIO, subtitles=SUBTITLES) == {"subtitle": "e4", "burn_subtitles": True}


def test_off_means_off(alice):
    playback_preference_update(user=alice, subtitle_language="eng", subtitles="off")
    assert tracks_preferred(user=alice, audio=[], subtitles=SUBTITLES) == {}


def test_tracks_with_broken_languages_are_passed_over(alice):
    playback_preference_update(user=alice, audio_language="eng", subtitle_language="eng", subtitles="always")
    broken = [{"index": 3, "language": None, "default": False}, {"index": 4, "language": "\x00zz", "default": False}]
    assert tracks_preferred(user=alice, audio=broken, subtitles=[{"key": "s1", "language": "", "burn": False}]) == {}
