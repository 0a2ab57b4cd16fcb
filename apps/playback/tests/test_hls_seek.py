"""A transcode (re)started past the lead writes its first segment also as 2 s parts: a playlist asked from that
moment names them, so a player has a picture after 2 s are encoded; playlists without them still get the whole."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from apps.core.testing.catalogue import library_of
from apps.core.testing.clients import Http
from apps.core.testing.media import make_clip
from apps.playback.hls import transcoding
from apps.playback.hls.playlists import playlist_transcode
from apps.playback.models import PlaybackSession

FFMPEG, FFPROBE = shutil.which("ffmpeg"), shutil.which("ffprobe")
pytestmark = pytest.mark.skipif(not FFMPEG, reason="Debian's ffmpeg is the reference client (.ci/run installs it)")
TRANSCODE = {"video_codecs": "vp9", "containers": "webm"}


def probe(path) -> tuple[float, float]:
    out = subprocess.run(
        [FFPROBE, "-v", "error", "-show_entries", "format=start_time,duration", "-of", "json", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(out.stdout)["format"]
    return float(found["start_time"]), float(found["duration"])


def fetch(http: Http, url: str, target) -> tuple[float, float]:
    answer = http.call("GET", url)
    assert answer.status == 200, answer.body[:200]
    target.write_bytes(answer.body)
    return probe(target)


def test_the_playlist_names_the_parts_of_the_split_segment_only():
    whole = playlist_transcode(120)
    split = playlist_transcode(120, split=12)

    assert "segment_00012.ts" in whole and "_0.ts" not in whole
    assert "segment_00012.ts" not in split
    assert [f"segment_00012_{p}.ts" in split for p in range(3)] == [True] * 3
    assert split.count("#EXTINF:2.000000,") == 6, "the lead's three and the split segment's three"
    assert split.count("#EXTINF:") == whole.count("#EXTINF:") + 2
    assert transcoding.split_segment(2, 120) is None, "the lead is short already"
    assert transcoding.split_segment(21, 120) is None, "never the last segment"
    assert transcoding.split_segment(12, 120) == 12


def test_a_session_started_at_a_minute_writes_short_parts_there(tmp_path, live_server, transcoder, user):
    make_clip(tmp_path / "movies" / "Long (2000)" / "Long (2000).mkv", width=64, height=48, seconds=120, fps=24)
    (media_file,) = library_of(tmp_path / "movies")
    http = Http(live_server.url, user)
    body = {"file": media_file.pk, "start_position": 61, **TRANSCODE}

    status, session = http.json("POST", "/api/v1/playback/sessions/", body)

    assert status == 201, session
    base = session["master_url"].rsplit("/", 1)[0] + "/" + session["profile"]
    playlist = http.call("GET", f"{base}/index.m3u8").body.decode()
    assert "segment_00012_0.ts" in playlist and "segment_00012.ts" not in playlist
    for part in range(3):
        start, seconds = fetch(http, f"{base}/segment_00012_{part}.ts", tmp_path / f"part{part}.ts")
        assert abs(start - (60 + 2 * part)) < 0.2 and abs(seconds - 2) < 0.3
    # A player without the parts in its playlist gets the whole segment, joined from them, then the next ones.
    start, seconds = fetch(http, f"{base}/segment_00012.ts", tmp_path / "whole.ts")
    assert abs(start - 60) < 0.2 and abs(seconds - 6) < 0.3
    start, _ = fetch(http, f"{base}/segment_00013.ts", tmp_path / "next.ts")
    assert abs(start - 66) < 0.2
    result = subprocess.run(
        [FFMPEG, "-v", "error", "-i", f"{base}/index.m3u8", "-f", "null", "-"], capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stderr == "", result.stderr


def test_a_far_seek_with_a_playlist_from_there_restarts_into_parts(tmp_path, live_server, transcoder, user):
    make_clip(tmp_path / "movies" / "Long (2000)" / "Long (2000).mkv", width=64, height=48, seconds=120, fps=24)
    (media_file,) = library_of(tmp_path / "movies")
    http = Http(live_server.url, user)
    status, session = http.json("POST", "/api/v1/playback/sessions/", {"file": media_file.pk, **TRANSCODE})
    master = http.call("GET", session["master_url"] + "?from=90.5").body.decode()
    assert f"{session['profile']}/index.m3u8?from=90.500" in master
    base = session["master_url"].rsplit("/", 1)[0] + "/" + session["profile"]
    playlist = http.call("GET", f"{base}/index.m3u8?from=90.5").body.decode()
    assert "segment_00017_0.ts" in playlist and "segment_00017.ts" not in playlist

    start, seconds = fetch(http, f"{base}/segment_00017_1.ts", tmp_path / "part.ts")

    assert abs(start - 92) < 0.2 and abs(seconds - 2) < 0.3
    stored = PlaybackSession.objects.get(pk=session["id"])
    assert stored.transcode_start_segment == 17 and stored.transcode_generation >= 2


@pytest.mark.parametrize("bad", ["nan", "-1", "inf", "1e400", "abc", "9" * 30])
def test_a_broken_start_answers_400_and_unknown_parts_are_refused(tmp_path, live_server, transcoder, user, bad):
    make_clip(tmp_path / "movies" / "Long (2000)" / "Long (2000).mkv", width=64, height=48, seconds=40, fps=10)
    (media_file,) = library_of(tmp_path / "movies")
    http = Http(live_server.url, user)
    status, session = http.json("POST", "/api/v1/playback/sessions/", {"file": media_file.pk, **TRANSCODE})
    base = session["master_url"].rsplit("/", 1)[0] + "/" + session["profile"]

    assert http.call("GET", f"{base}/index.m3u8?from={bad}").status == 400
    assert http.call("GET", session["master_url"] + f"?from={bad}").status == 400
    assert http.call("GET", f"{base}/segment_00001_0.ts").status == 503, "the lead has no parts"
    assert http.call("GET", f"{base}/segment_00004_3.ts").status == 503, "three parts, not four"
