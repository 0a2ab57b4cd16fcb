"""Playback defaults over the API: your own only, languages by code or name, anything unknown refused whole."""

from __future__ import annotations

import pytest

from apps.core.testing.people import user_make
from apps.playback.models import PlaybackPreference

pytestmark = pytest.mark.django_db
URL = "/api/v1/playback/preferences/"


def test_the_defaults_then_a_change_by_name_or_code(api):
    client = api(user_make("alice"))
    assert client.get(URL).json() == {
        "audio_language": "",
        "audio_language_name": "",
        "subtitle_language": "",
        "subtitle_language_name": "",
        "subtitles": "off",
    }
    saved = client.patch(URL, {"audio_language": "Deutsch", "subtitle_language": "en", "subtitles": "foreign"})
    assert saved.status_code == 200
    assert saved.json() == {
        "audio_language": "ger",
        "audio_language_name": "German",
        "subtitle_language": "eng",
        "subtitle_language_name": "English",
        "subtitles": "foreign",
    }
    assert client.patch(URL, {"subtitle_language": ""}).json()["subtitle_language"] == ""
    assert PlaybackPreference.objects.get().audio_language == "ger"


@pytest.mark.parametrize(
    "body",
    [
        {"audio_language": "klingon", "subtitles": "always"},
        {"audio_language": "en", "subtitles": "sometimes"},
        {"subtitle_language": "x" * 65},
        {"audio_language": ["en"]},
    ],
)
def test_broken_defaults_are_refused_and_nothing_is_saved(api, body):
    client = api(user_make("alice"))
    client.patch(URL, {"audio_language": "fr", "subtitles": "off"})
    refused = client.patch(URL, body, format="json")
    assert refused.status_code == 400
    assert set(refused.json()["errors"]) & {"audio_language", "subtitle_language", "subtitles"}
    assert client.get(URL).json()["audio_language"] == "fre" and client.get(URL).json()["subtitles"] == "off"


def test_signed_out_is_refused(api_client):
    assert api_client.get(URL).status_code in (401, 403)
