"""Stream labels of the console's media pages, from probed rows; what the probe left out is never guessed."""

from __future__ import annotations

import pytest

from apps.console.media_info import audio_label, picture_label, subtitle_file_label, subtitle_stream_label, video_label
from apps.media.models import MediaStream, Subtitle


def stream(**fields) -> MediaStream:
    return MediaStream(index=0, **fields)


@pytest.mark.parametrize(
    ("fields", "label"),
    [
        ({"codec": "hevc", "profile": "Main 10", "hdr": "HDR10"}, "HEVC Main 10 HDR10"),
        ({"codec": "hevc", "profile": "Main 10", "hdr": "DV"}, "HEVC Main 10 DV"),
        ({"codec": "h264", "profile": "High", "hdr": "SDR"}, "H.264 High"),
        ({"codec": "av1", "profile": "", "hdr": ""}, "AV1"),
        ({"codec": "weird_codec", "profile": "", "hdr": ""}, "WEIRD_CODEC"),
    ],
)
def test_video_labels(fields, label):
    assert video_label(stream(type="video", **fields)) == label


@pytest.mark.parametrize(
    ("fields", "label"),
    [
        ({"codec": "eac3", "channels": 6, "language": "eng"}, "5.1 E-AC-3 English"),
        ({"codec": "truehd", "channels": 8, "language": "ger"}, "7.1 TrueHD German"),
        ({"codec": "aac", "channels": 2, "language": ""}, "Stereo AAC"),
        ({"codec": "pcm_s16le", "channels": 1, "language": "xx-nonsense"}, "Mono PCM"),
        ({"codec": "opus", "channels": None, "language": "fre"}, "Opus French"),
        ({"codec": "dts", "channels": 5, "language": "jpn"}, "5 ch DTS Japanese"),
    ],
)
def test_audio_labels(fields, label):
    assert audio_label(stream(type="audio", **fields)) == label


def test_picture_and_subtitle_labels():
    assert picture_label(stream(type="video", width=3840, height=2160, frame_rate=23.976)) == "3840x2160 · 23.976 fps"
    assert picture_label(stream(type="video", width=None, height=None, frame_rate=25.0)) == "25 fps"
    assert picture_label(stream(type="video")) == ""
    embedded = stream(type="subtitle", codec="subrip", language="eng", forced=True, default=True)
    assert subtitle_stream_label(embedded) == "English (default, forced) · SubRip"
    assert subtitle_stream_label(stream(type="subtitle", codec="hdmv_pgs_subtitle")) == "Unknown language · PGS"
    beside = Subtitle(path="/m/a.en.sdh.srt", language="eng", sdh=True, format="srt")
    assert subtitle_file_label(beside) == "English (SDH) · SRT"
