"""A transcode (re)started past the lead writes its first segment also as 1 s parts, from the part holding the moment
asked for: a playlist asked from that moment names them, so a player has a picture once that second is encoded;
playlists without them still get the whole segment."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time

import pytest

from apps.core.testing.catalogue import library_of
from apps.core.testing.clients import Http
from apps.core.testing.media import make_film
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
    assert [f"segment_00012_{p}.ts" in split for p in range(7)] == [True] * 6 + [False]
    assert split.count("#EXTINF:2.000000,") == 3, "the lead's three"
    assert split.count("#EXTINF:1.000000,") == 6, "the split segment's six"
    assert split.count("#EXTINF:") == whole.count("#EXTINF:") + 5
    assert transcoding.split_segment(2, 120) is None, "the lead is short already"
    assert transcoding.split_segment(21, 120) is None, "never the last segment"
    assert transcoding.split_segment(12, 120) == 12
    assert transcoding.grid_position(63.5, 120) == (12, 3), "60-66 s is segment 12; 63-64 s its part 3"
    assert transcoding.grid_position(65.99, 120) == (12, 5)
    assert transcoding.grid_position(3, 120) == (1, 0), "the lead has no parts"
    assert transcoding.grid_position(119, 120) == (21, 0), "nor the last segment"


def test_a_session_started_at_a_minute_writes_short_parts_from_there(tmp_path, live_server, transcoder, user):
    make_film(tmp_path / "movies" / "Long (2000)" / "Long (2000).mkv", width=64, height=48, seconds=120)
    (media_file,) = library_of(tmp_path / "movies")
    http = Http(live_server.url, user)
    body = {"file": media_file.pk, "start_position": 61, **TRANSCODE}

    status, session = http.json("POST", "/api/v1/playback/sessions/", body)

    assert status == 201, session
    base = session["master_url"].rsplit("/", 1)[0] + "/" + session["profile"]
    playlist = http.call("GET", f"{base}/index.m3u8").body.decode()
    assert "segment_00012_0.ts" in playlist and "segment_00012.ts" not in playlist
    stored = PlaybackSession.objects.get(pk=session["id"])
    assert (stored.transcode_start_segment, stored.transcode_start_part) == (12, 1), "61 s is in 61-62 s, part 1"
    for part in range(1, 6):
        start, seconds = fetch(http, f"{base}/segment_00012_{part}.ts", tmp_path / f"part{part}.ts")
        assert abs(start - (60 + part)) < 0.2 and abs(seconds - 1) < 0.3
    start, _ = fetch(http, f"{base}/segment_00013.ts", tmp_path / "next.ts")
    assert abs(start - 66) < 0.2
    assert PlaybackSession.objects.get(pk=session["id"]).transcode_generation == stored.transcode_generation
    # A player without the parts in its playlist gets the whole segment (the transcode starts again at its start,
    # joining its parts into it), then the next ones.
    start, seconds = fetch(http, f"{base}/segment_00012.ts", tmp_path / "whole.ts")
    assert abs(start - 60) < 0.2 and abs(seconds - 6) < 0.3
    result = subprocess.run(
        [FFMPEG, "-v", "error", "-i", f"{base}/index.m3u8", "-f", "null", "-"], capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stderr == "", result.stderr


def test_a_far_seek_with_a_playlist_from_there_restarts_at_its_part(tmp_path, live_server, transcoder, user):
    make_film(tmp_path / "movies" / "Long (2000)" / "Long (2000).mkv", width=64, height=48, seconds=120)
    (media_file,) = library_of(tmp_path / "movies")
    http = Http(live_server.url, user)
    status, session = http.json("POST", "/api/v1/playback/sessions/", {"file": media_file.pk, **TRANSCODE})

    master = http.call("GET", session["master_url"] + "?from=93.5").body.decode()

    assert f"{session['profile']}/index.m3u8?from=93.500" in master
    # The master playlist asked from there restarted the transcode at 93 s already, before any part is asked for.
    stored = PlaybackSession.objects.get(pk=session["id"])
    assert (stored.transcode_start_segment, stored.transcode_start_part, stored.transcode_generation) == (17, 3, 2)
    base = session["master_url"].rsplit("/", 1)[0] + "/" + session["profile"]
    playlist = http.call("GET", f"{base}/index.m3u8?from=93.5").body.decode()
    assert "segment_00017_3.ts" in playlist and "segment_00017.ts" not in playlist
    start, seconds = fetch(http, f"{base}/segment_00017_3.ts", tmp_path / "part.ts")
    assert abs(start - 93) < 0.2 and abs(seconds - 1) < 0.3
    http.call("GET", f"{base}/index.m3u8?from=93.5")  # asked again (a player reloading it): no restart
    assert PlaybackSession.objects.get(pk=session["id"]).transcode_generation == 2
    # A part before the one the transcode began at starts it again there.
    start, seconds = fetch(http, f"{base}/segment_00017_2.ts", tmp_path / "before.ts")
    assert abs(start - 92) < 0.2 and abs(seconds - 1) < 0.3
    stored = PlaybackSession.objects.get(pk=session["id"])
    assert (stored.transcode_start_part, stored.transcode_generation) == (2, 3)


def test_a_request_left_waiting_by_a_seek_does_not_pull_the_transcode_back(tmp_path, live_server, transcode_dir, user):
    # No worker: the transcode stays queued at the start, so a request for its second segment waits for it.
    make_film(tmp_path / "movies" / "Long (2000)" / "Long (2000).mkv", width=64, height=48, seconds=120, fps=10)
    (media_file,) = library_of(tmp_path / "movies")
    status, session = Http(live_server.url, user).json(
        "POST", "/api/v1/playback/sessions/", {"file": media_file.pk, **TRANSCODE}
    )
    base = session["master_url"].rsplit("/", 1)[0] + "/" + session["profile"]
    left: dict = {}
    waiting = threading.Thread(
        target=lambda: left.update(answer=Http(live_server.url, user).call("GET", f"{base}/segment_00001.ts"))
    )
    waiting.start()
    time.sleep(1)  # only so the request is waiting when the player seeks; nothing timed is asserted

    Http(live_server.url, user).call("GET", f"{base}/index.m3u8?from=93.5")  # the player seeked, dropping it
    waiting.join(timeout=60)

    # The dropped request gives up instead of restarting the transcode back at 2 s, which undid the seek.
    assert left["answer"].status == 503
    stored = PlaybackSession.objects.get(pk=session["id"])
    assert (stored.transcode_start_segment, stored.transcode_start_part, stored.transcode_generation) == (17, 3, 2)


@pytest.mark.parametrize("bad", ["nan", "-1", "inf", "1e400", "abc", "9" * 30])
def test_a_broken_start_answers_400_and_unknown_parts_are_refused(tmp_path, live_server, transcoder, user, bad):
    make_film(tmp_path / "movies" / "Long (2000)" / "Long (2000).mkv", width=64, height=48, seconds=40, fps=10)
    (media_file,) = library_of(tmp_path / "movies")
    http = Http(live_server.url, user)
    status, session = http.json("POST", "/api/v1/playback/sessions/", {"file": media_file.pk, **TRANSCODE})
    base = session["master_url"].rsplit("/", 1)[0] + "/" + session["profile"]

    assert http.call("GET", f"{base}/index.m3u8?from={bad}").status == 400
    assert http.call("GET", session["master_url"] + f"?from={bad}").status == 400
    assert http.call("GET", f"{base}/segment_00001_0.ts").status == 503, "the lead has no parts"
    assert http.call("GET", f"{base}/segment_00004_6.ts").status == 503, "six parts, not seven"
