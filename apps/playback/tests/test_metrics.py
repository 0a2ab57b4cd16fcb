"""Playback metrics under a real transcode: live sessions by method, transcodes running, and their speed."""

from __future__ import annotations

from apps.core.testing.catalogue import library_of
from apps.core.testing.clients import Http
from apps.core.testing.media import make_clip
from apps.core.testing.scrape import scrape, value
from apps.core.testing.servers import wait_until
from apps.playback.models import PlaybackSession

TRANSCODING_CLIENT = {"video_codecs": "vp9", "containers": "webm"}


def test_a_transcode_shows_as_a_live_session_and_moves_the_speed_counters(
    client, tmp_path, live_server, transcoder, user
):
    make_clip(tmp_path / "movies" / "Heat (1995)" / "Heat (1995).mkv", width=320, height=240, seconds=8, fps=24)
    (media_file,) = library_of(tmp_path / "movies")
    before = scrape(client)

    status, session = Http(live_server.url, user).json(
        "POST", "/api/v1/playback/sessions/", {"file": media_file.pk, **TRANSCODING_CLIENT}
    )
    assert status == 201, session
    live = scrape(client)
    assert value(live, "revenge_playback_sessions", method="transcode", state="playing") == 1
    assert value(live, "revenge_transcodes", state="queued") + value(live, "revenge_transcodes", state="running") == 1
    assert wait_until(lambda: PlaybackSession.objects.get(pk=session["id"]).transcode_state == "done", timeout=60), (
        "the transcode never finished"
    )
    after = scrape(client)
    assert value(after, "revenge_transcodes", state="queued") + value(after, "revenge_transcodes", state="running") == 0

    media = value(after, "revenge_transcode_media_seconds_total", method="transcode") - value(
        before, "revenge_transcode_media_seconds_total", method="transcode"
    )
    wall = value(after, "revenge_transcode_wall_seconds_total", method="transcode") - value(
        before, "revenge_transcode_wall_seconds_total", method="transcode"
    )
    assert 8.0 <= media <= 8.0 + 6  # the whole clip, counted by segments written (the last one as a whole)
    assert wall > 0 and media / wall > 0.1  # a speed, as a multiple of real time
    # Counted when the task returns, just after it marked the session done.
    assert wait_until(
        lambda: value(scrape(client), "revenge_task_runs_total", task="playback.transcode", state="success")
    )
