"""HLS sessions end to end: a live server, a real transcode worker on Redis, and Debian's ffmpeg as the player."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core.testing.catalogue import library_of
from apps.core.testing.clients import Http
from apps.core.testing.media import has_codec, make_clip
from apps.core.testing.workers import queues_purge, running_worker
from apps.playback import services
from apps.playback.models import PlaybackSession

FFMPEG, FFPROBE = shutil.which("ffmpeg"), shutil.which("ffprobe")
pytestmark = pytest.mark.skipif(not FFMPEG, reason="Debian's ffmpeg is the reference client (.ci/run installs it)")
SECONDS = 13.0
SOURCES = [
    ("h264-mkv", "Heat (1995).mkv", {"video_codec": "libx264", "audio_codec": "aac"}),
    ("h264-mp4", "Heat (1995).mp4", {"video_codec": "libx264", "audio_codec": "aac"}),
    ("mpeg4-avi", "Heat (1995).avi", {"video_codec": "mpeg4", "audio_codec": "mp2"}),
    ("hevc-mkv", "Heat (1995).mkv", {"video_codec": "libx265", "audio_codec": "aac"}),
]
# A client that plays none of the sources' video codecs (transcode), or all of them but not their container (remux).
CLIENTS = {
    "transcode": {"video_codecs": "vp9", "containers": "webm"},
    "remux": {"video_codecs": "h264,hevc,mpeg4", "audio_codecs": "aac,mp2", "containers": "webm"},
}


def ffmpeg_plays(url: str) -> None:
    result = subprocess.run([FFMPEG, "-v", "error", "-i", url, "-f", "null", "-"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr == "", result.stderr


def ffprobe(url: str) -> dict:
    out = subprocess.run(
        [FFPROBE, "-v", "error", "-show_format", "-show_streams", "-of", "json", url],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


@pytest.mark.parametrize(("name", "filename", "codecs"), SOURCES, ids=[s[0] for s in SOURCES])
@pytest.mark.parametrize("method", ["transcode", "remux"])
def test_the_reference_client_plays_a_session_from_its_master_playlist(
    tmp_path, live_server, transcoder, user, name, filename, codecs, method
):
    if not has_codec(codecs["video_codec"]):
        pytest.skip(f"{codecs['video_codec']} is not in this PyAV build")
    make_clip(tmp_path / "movies" / "Heat (1995)" / filename, width=320, height=240, seconds=SECONDS, fps=24, **codecs)
    (media_file,) = library_of(tmp_path / "movies")
    http = Http(live_server.url, user)

    status, session = http.json("POST", "/api/v1/playback/sessions/", {"file": media_file.pk, **CLIENTS[method]})

    assert status == 201, session
    assert session["method"] == method and session["direct_url"] is None
    ffmpeg_plays(session["master_url"])
    info = ffprobe(session["master_url"])
    assert abs(float(info["format"]["duration"]) - SECONDS) <= 1.0
    video = next(s for s in info["streams"] if s["codec_type"] == "video")
    source_codec = {"libx264": "h264", "libx265": "hevc", "mpeg4": "mpeg4"}[codecs["video_codec"]]
    assert video["codec_name"] == ("h264" if method == "transcode" else source_codec)
    stored = PlaybackSession.objects.get(pk=session["id"])
    assert stored.bytes_sent > 0 and stored.client and stored.ip == "127.0.0.1"
    status, again = http.json("GET", f"/api/v1/playback/sessions/{session['id']}/")
    assert again["transcode"]["state"] == "done" and again["transcode"]["progress"] == 1.0


SRT = """1
00:00:01,000 --> 00:00:03,500
Hello <i>there</i>

2
00:00:05,000 --> 00:00:07,250
Second line & more
with two lines

not a cue at all
"""


def test_a_webvtt_rendition_is_listed_and_valid_for_an_srt_sidecar(tmp_path, live_server, transcoder, user):
    folder = tmp_path / "movies" / "Heat (1995)"
    make_clip(folder / "Heat (1995).mkv", width=160, height=120, seconds=8, fps=24)
    (folder / "Heat (1995).en.srt").write_text(SRT)
    (media_file,) = library_of(tmp_path / "movies")
    http = Http(live_server.url, user)

    status, session = http.json("POST", "/api/v1/playback/sessions/", {"file": media_file.pk, **CLIENTS["remux"]})
    assert status == 201
    master = http.call("GET", session["master_url"]).body.decode()

    assert '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="English",LANGUAGE="en"' in master
    assert 'SUBTITLES="subs"' in master
    base = session["master_url"].rsplit("/", 1)[0]
    key = master.split('URI="subtitles/')[1].split(".m3u8")[0]
    playlist = http.call("GET", f"{base}/subtitles/{key}.m3u8")
    assert playlist.status == 200 and f"{key}.vtt" in playlist.body.decode()
    vtt = http.call("GET", f"{base}/subtitles/{key}.vtt")
    assert vtt.headers["Content-Type"].startswith("text/vtt")
    text = vtt.body.decode()
    assert text.startswith("WEBVTT\n")
    assert "00:00:01.000 --> 00:00:03.500\nHello there" in text
    assert "00:00:05.000 --> 00:00:07.250\nSecond line &amp; more\nwith two lines" in text
    # The reference client reads it as a subtitle track with both cues.
    result = subprocess.run(
        [FFMPEG, "-v", "error", "-i", f"{base}/subtitles/{key}.vtt", "-f", "srt", "-"], capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.count("-->") == 2
    ffmpeg_plays(session["master_url"])


def _wait_for(condition, *, seconds: float = 30.0, what: str = "condition"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _segment_start(http: Http, url: str, tmp_path) -> float:
    answer = http.call("GET", url)
    assert answer.status == 200, answer.body[:200]
    (tmp_path / "segment.ts").write_bytes(answer.body)
    return float(ffprobe(str(tmp_path / "segment.ts"))["format"]["start_time"])


def test_seeking_far_ahead_restarts_the_transcode_at_that_segment(tmp_path, live_server, transcoder, user):
    make_clip(tmp_path / "movies" / "Long (2000)" / "Long (2000).mkv", width=64, height=48, seconds=120, fps=24)
    (media_file,) = library_of(tmp_path / "movies")
    http = Http(live_server.url, user)
    status, session = http.json("POST", "/api/v1/playback/sessions/", {"file": media_file.pk, **CLIENTS["transcode"]})
    base = session["master_url"].rsplit("/", 1)[0] + "/" + session["profile"]
    playlist = http.call("GET", f"{base}/index.m3u8").body.decode()
    assert "#EXT-X-PLAYLIST-TYPE:VOD" in playlist and playlist.count("#EXTINF:2.000000,") == 3
    assert playlist.count("#EXTINF:6.000000,") == 18, "2, 4, 6, then every 6 s up to 114 s"

    start = _segment_start(http, f"{base}/segment_00018.ts", tmp_path)

    assert abs(start - 96.0) < 0.5
    stored = PlaybackSession.objects.get(pk=session["id"])
    assert stored.transcode_generation >= 2 and stored.transcode_start_segment == 18
    # Back to the start: segment 0 is whole, from the first run or, when the seek stopped that run inside it, from a
    # restart there; and the stream still plays to its end.
    assert abs(_segment_start(http, f"{base}/segment_00000.ts", tmp_path)) < 0.5
    ffmpeg_plays(session["master_url"])


def test_a_transcode_whose_worker_died_is_restarted_by_the_next_segment_request(
    tmp_path, live_server, transcode_dir, user, monkeypatch
):
    """A real worker process is killed (SIGKILL) mid-transcode; the player's next request brings it back."""
    from django.db import connection

    from apps.playback.hls import transcoding

    monkeypatch.setattr(transcoding, "STALE_SECONDS", 2)
    make_clip(tmp_path / "movies" / "Long (2000)" / "Long (2000).mkv", width=640, height=480, seconds=90, fps=24)
    (media_file,) = library_of(tmp_path / "movies")
    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env.update(
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        REVENGE_TRANSCODE_DIR=str(transcode_dir),
    )
    queues_purge("transcode")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "revenge", "worker", "-Q", "transcode", "-P", "solo", "-n", "doomed@%h"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        http = Http(live_server.url, user)
        status, session = http.json(
            "POST", "/api/v1/playback/sessions/", {"file": media_file.pk, **CLIENTS["transcode"]}
        )
        assert status == 201
        running = _wait_for(
            lambda: PlaybackSession.objects.filter(pk=session["id"], transcode_state="running").first(),
            what="the doomed worker to start transcoding",
        )
        worker.kill()
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert running.transcode_generation == 1
    with running_worker("transcode", concurrency=1):
        base = session["master_url"].rsplit("/", 1)[0] + "/" + session["profile"]
        # The next segment the dead worker did not write: no seek, only the silent heartbeat calls for a restart.
        left = PlaybackSession.objects.get(pk=session["id"])
        following = left.transcode_start_segment + left.transcode_segments
        assert following < len(transcoding.segment_durations(media_file.duration)) - 1
        start = _segment_start(http, f"{base}/segment_{following:05d}.ts", tmp_path)
        assert abs(start - transcoding.GRID.segment_start(following)) < 0.5
        recovered = PlaybackSession.objects.get(pk=session["id"])
        assert recovered.transcode_generation == 2 and recovered.transcode_start_segment == following
    queues_purge("transcode")


def test_a_session_stopped_while_transcoding_stops_its_transcode(tmp_path, live_server, transcoder, user):
    make_clip(tmp_path / "movies" / "Long (2000)" / "Long (2000).mkv", width=640, height=480, seconds=90, fps=24)
    (media_file,) = library_of(tmp_path / "movies")
    http = Http(live_server.url, user)
    status, session = http.json("POST", "/api/v1/playback/sessions/", {"file": media_file.pk, **CLIENTS["transcode"]})
    _wait_for(
        lambda: PlaybackSession.objects.filter(pk=session["id"], transcode_segments__gte=1).exists(), what="a segment"
    )
    PlaybackSession.objects.filter(pk=session["id"]).update(last_seen_at=timezone.now() - timedelta(hours=1))

    assert services.sessions_idle_stop() == 1

    stored = PlaybackSession.objects.get(pk=session["id"])
    assert stored.transcode_state == "stopped"
    folder = services.session_dir(stored)
    # The worker notices within its heartbeat and writes nothing more; the folder is gone.
    time.sleep(2.5)
    assert not folder.exists()
    assert http.call("GET", session["master_url"]).status == 410


def test_multichannel_audio_is_downmixed_to_stereo_on_request(tmp_path, live_server, transcoder, user):
    make_clip(tmp_path / "movies" / "Loud (2000)" / "Loud (2000).mkv", width=64, height=48, seconds=4, audio_channels=6)
    (media_file,) = library_of(tmp_path / "movies")
    http = Http(live_server.url, user)
    body = {"file": media_file.pk, "device_profile": "kodi", "containers": "webm", "downmix": True}
    status, session = http.json("POST", "/api/v1/playback/sessions/", body)
    assert status == 201 and session["method"] == "remux" and session["downmix"]
    audio = next(s for s in ffprobe(session["master_url"])["streams"] if s["codec_type"] == "audio")
    assert (audio["codec_name"], audio["channels"]) == ("aac", 2)


def test_a_transcode_lists_smaller_variants_and_serves_the_one_a_player_switches_to(
    tmp_path, live_server, transcoder, user
):
    make_clip(tmp_path / "movies" / "Wide (2000)" / "Wide (2000).mkv", width=1280, height=720, seconds=5, fps=24)
    (media_file,) = library_of(tmp_path / "movies")
    http = Http(live_server.url, user)
    status, session = http.json("POST", "/api/v1/playback/sessions/", {"file": media_file.pk, **CLIENTS["transcode"]})
    master = http.call("GET", session["master_url"]).body.decode()

    variants = [line for line in master.splitlines() if not line.startswith("#") and line]
    assert variants == ["720p/index.m3u8", "480p/index.m3u8"]
    assert "BANDWIDTH=2992000,RESOLUTION=1280x720" in master and "BANDWIDTH=1592000,RESOLUTION=854x480" in master
    base = session["master_url"].rsplit("/", 1)[0]
    ffmpeg_plays(f"{base}/480p/index.m3u8")
    video = next(s for s in ffprobe(f"{base}/480p/index.m3u8")["streams"] if s["codec_type"] == "video")
    assert (video["width"], video["height"]) == (854, 480)
    assert http.call("GET", f"{base}/1080p/index.m3u8").status == 404, "never a variant above the decided one"
    ffmpeg_plays(session["master_url"])


def test_a_bitmap_subtitle_is_burned_into_the_stream_a_player_gets(tmp_path, live_server, transcoder, user):
    from apps.core.testing.subtitles import brightness, clip_with_bitmap_subtitles

    folder = tmp_path / "movies" / "Subbed (2000)"
    folder.mkdir(parents=True)
    clip_with_bitmap_subtitles(folder / "Subbed (2000).mkv", kind="pgs", box=(100, 180, 64, 16))
    (media_file,) = library_of(tmp_path / "movies")
    http = Http(live_server.url, user)
    body = {"file": media_file.pk, "device_profile": "kodi", "subtitle": "e2"}

    status, session = http.json("POST", "/api/v1/playback/sessions/", body)

    assert status == 201, session
    assert session["method"] == "transcode" and session["burn_subtitles"] is True
    assert "subtitles are burned into the picture" in session["reasons"]
    ffmpeg_plays(session["master_url"])
    variant = session["master_url"].rsplit("/", 1)[0] + f"/{session['profile']}/index.m3u8"
    (tmp_path / "copy").mkdir()
    for line in http.call("GET", variant).body.decode().splitlines():
        target = tmp_path / "copy" / (line if line.endswith(".ts") else "index.m3u8")
        source = variant.rsplit("/", 1)[0] + "/" + line if line.endswith(".ts") else variant
        target.write_bytes(http.call("GET", source).body)
    assert brightness(tmp_path / "copy" / "index.m3u8", at=1.5, box=(104, 184, 56, 8)) > 100
    assert brightness(tmp_path / "copy" / "index.m3u8", at=3.0, box=(104, 184, 56, 8)) < 30
    text_only = http.json("POST", "/api/v1/playback/sessions/", {**body, "subtitle": "e9"})
    assert text_only[0] == 400 and "no subtitle 'e9'" in str(text_only[1])
