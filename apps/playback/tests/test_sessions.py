"""Playback sessions through the API: decisions, limits (429), terminate, visibility, idle stop, broken input."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.accounts.models import Role
from apps.accounts.services import users
from apps.core.testing.catalogue import library_of
from apps.core.testing.media import make_clip
from apps.libraries import services as libraries
from apps.playback import services
from apps.playback.hls import encoders
from apps.playback.hls.writer import HlsPlan
from apps.playback.models import PlaybackSession

pytestmark = pytest.mark.django_db
URL = "/api/v1/playback/sessions/"
TRANSCODE = {"video_codecs": "vp9", "containers": "webm"}


@pytest.fixture
def movie_file(tmp_path):
    make_clip(tmp_path / "movies" / "Heat (1995)" / "Heat (1995).mkv", width=320, height=240, seconds=2)
    return library_of(tmp_path / "movies")[0]


@pytest.fixture
def roles():
    return {role.name: role for role in Role.objects.select_related("group")}


def client_of(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def start(user, media_file, **body):
    return client_of(user).post(URL, {"file": media_file.pk, **body}, format="json")


def test_direct_play_gives_the_file_url_and_hls_gives_a_master_playlist(user, movie_file):
    direct = start(user, movie_file, device_profile="kodi")
    assert direct.status_code == 201, direct.json()
    assert direct.json()["method"] == "direct" and direct.json()["master_url"] is None
    assert f"/api/v1/files/{movie_file.pk}/stream/?session=" in direct.json()["direct_url"]
    played = client_of(user).get(direct.json()["direct_url"], HTTP_RANGE="bytes=0-99")
    assert played.status_code == 206
    assert PlaybackSession.objects.get(pk=direct.json()["id"]).bytes_sent == 100
    assert client_of(user).get(f"/api/v1/files/{movie_file.pk}/stream/?session=junk").status_code == 200
    hls = start(user, movie_file, **TRANSCODE, profile="480p")
    body = hls.json()
    assert body["method"] == "transcode" and body["master_url"].endswith("/master.m3u8")
    assert "the client asked for 480p" in body["reasons"]
    assert body["transcode"]["state"] == "queued" and body["transcode"]["progress"] == 0.0


def test_starting_announces_playback_and_the_transcode(user, movie_file, received, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        start(user, movie_file, **TRANSCODE, device="Living room TV")
    names = [event.name for event in received]
    assert names[:2] == ["playback.started", "transcode.started"]
    assert received[0].payload["device"] == "Living room TV" and received[0].payload["item_kind"] == "movie"
    assert "video codec h264" in received[1].payload["reason"]


def test_role_stream_limit_answers_429_with_the_reason(user, movie_file, roles):
    role = roles[Role.USER]
    role.max_streams = 1
    role.save()
    assert start(user, movie_file).status_code == 201
    second = start(user, movie_file)
    assert second.status_code == 429
    assert "1 stream(s) at once" in second.json()["detail"]
    # A stopped (or idle) stream frees its place.
    PlaybackSession.objects.update(last_seen_at=timezone.now() - timedelta(hours=2))
    assert start(user, movie_file).status_code == 201


def test_server_transcode_limit_answers_429_but_direct_play_goes_on(user, movie_file, settings):
    settings.MAX_TRANSCODES = 1
    other = users.user_create(username="bob", password="x" * 12, by=None)
    assert start(other, movie_file, **TRANSCODE).status_code == 201
    refused = start(user, movie_file, **TRANSCODE)
    assert refused.status_code == 429 and "REVENGE_MAX_TRANSCODES" in refused.json()["detail"]
    assert start(user, movie_file, device_profile="kodi").status_code == 201


def test_a_manager_terminates_a_stream_with_a_message(user, movie_file, roles, django_capture_on_commit_callbacks):
    session = start(user, movie_file, **TRANSCODE).json()
    moderator = users.user_create(username="mod", password="x" * 12, by=None, role=roles[Role.MODERATOR])
    with django_capture_on_commit_callbacks(execute=True):
        ended = client_of(moderator).post(f"{URL}{session['id']}/terminate/", {"message": "Server maintenance"})
    assert ended.status_code == 200 and ended.json()["state"] == "stopped"
    assert ended.json()["stop_reason"] == "terminated"
    player = APIClient().get(session["master_url"])
    assert player.status_code == 410 and player.json()["detail"] == "Server maintenance"
    listed = client_of(moderator).get(URL, {"active": "1"}).json()
    assert listed["count"] == 0
    from apps.audit.models import Activity

    entry = Activity.objects.get(event="stream_terminated")
    assert entry.actor == moderator and entry.object_repr == "alice" and "Server maintenance" in entry.message


def test_only_managers_terminate_and_members_never_see_others(user, movie_file):
    session = start(user, movie_file).json()
    bob = users.user_create(username="bob", password="x" * 12, by=None)
    assert client_of(bob).post(f"{URL}{session['id']}/terminate/").status_code == 404
    assert client_of(bob).get(f"{URL}{session['id']}/").status_code == 404
    assert client_of(bob).get(URL).json()["count"] == 0
    assert client_of(user).post(f"{URL}{session['id']}/terminate/").status_code == 403


def test_a_file_without_a_grant_is_404_and_a_revoked_grant_ends_the_stream(user, movie_file, roles):
    session = start(user, movie_file, **TRANSCODE).json()
    boss = users.user_create(username="boss", password="x" * 12, by=None, role=roles[Role.ADMIN])
    libraries.library_grants_set(library=movie_file.library, roles={}, users={}, by=boss)
    assert start(user, movie_file).status_code == 404
    assert APIClient().get(session["master_url"]).status_code == 404


def test_managers_do_not_get_the_viewers_stream_urls(user, movie_file, roles):
    session = start(user, movie_file, **TRANSCODE).json()
    admin = users.user_create(username="boss", password="x" * 12, by=None, role=roles[Role.ADMIN])
    seen = client_of(admin).get(f"{URL}{session['id']}/").json()
    assert seen["username"] == "alice" and seen["master_url"] is None


def test_idle_sessions_are_stopped_and_their_files_removed(
    user, movie_file, transcode_dir, django_capture_on_commit_callbacks
):
    session = start(user, movie_file, **TRANSCODE).json()
    folder = transcode_dir / session["id"] / "480p"
    folder.mkdir(parents=True)
    (folder / "segment_00000.ts").write_bytes(b"\x47" * 188)
    assert services.sessions_idle_stop() == 0
    PlaybackSession.objects.update(last_seen_at=timezone.now() - timedelta(minutes=31))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.sessions_idle_stop() == 1
    stored = PlaybackSession.objects.get()
    assert stored.state == "stopped" and stored.stop_reason == "idle"
    assert not (transcode_dir / session["id"]).exists()
    gone = APIClient().get(session["master_url"])
    assert gone.status_code == 410 and "idle" in gone.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        {"file": "x"},
        {"file": -1},
        {"profile": "4320p"},
        {"device_profile": "toaster"},
        {"start_position": -5},
        {"start_position": "NaN"},
        {"start_position": 1e12},
        {"audio_stream": 99},
        {"subtitle": "s99"},
        {"subtitle": "../../etc/passwd"},
        {"video_codecs": "h264;rm -rf"},
        {"containers": ""},
        {"device": "x" * 500},
        {"burn_subtitles": True},
    ],
)
def test_broken_requests_are_400_with_a_message(user, movie_file, body):
    response = client_of(user).post(URL, {"file": movie_file.pk, **body}, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["errors"]
    assert PlaybackSession.objects.count() == 0


def test_unknown_files_and_tokens_are_404(user, movie_file):
    assert start(user, movie_file, file=987654).status_code == 404
    for path in ("master.m3u8", "480p/index.m3u8", "480p/segment_00000.ts", "subtitles/s1.vtt"):
        assert APIClient().get(f"/api/v1/playback/hls/not-a-token/{path}").status_code == 404


def test_a_hardware_encoder_that_does_not_open_falls_back_to_software_with_a_log(caplog):
    plan = HlsPlan(height=720)
    with caplog.at_level(logging.WARNING, logger="apps.playback.hls.encoders"):
        used, note = encoders.usable_plan(plan, hwaccel="nvenc")
    assert used.encoder == "libx264" and "fell back to libx264" in note
    assert "h264_nvenc does not open" in caplog.text
    assert encoders.usable_plan(plan, hwaccel="none") == (plan, "")
    assert encoders.usable_plan(HlsPlan(transcode_video=False), hwaccel="qsv")[0].encoder == "libx264"


def test_a_start_position_starts_the_transcode_at_its_segment(user, movie_file):
    from apps.playback.hls import transcoding

    assert [transcoding.segment_at(t) for t in (0, 1.9, 2, 5.99, 6, 11.9, 12, 100)] == [0, 0, 1, 2, 3, 3, 4, 18]
    session = start(user, movie_file, **TRANSCODE, start_position=1.5).json()
    assert session["transcode"]["start_segment"] == 0 and session["start_position"] == 1.5


def test_text_subtitles_are_burned_in_on_request_and_bitmap_ones_always(tmp_path, user):
    from apps.core.testing.subtitles import clip_with_bitmap_subtitles

    folder = tmp_path / "films" / "Subbed (2000)"
    folder.mkdir(parents=True)
    clip_with_bitmap_subtitles(folder / "Subbed (2000).mkv", kind="vobsub")
    (folder / "Subbed (2000).en.srt").write_text("1\n00:00:01,000 --> 00:00:02,000\nHi\n")
    (media_file,) = library_of(tmp_path / "films", name="Films")
    sidecar = f"s{media_file.subtitles.get().pk}"
    shown = start(user, media_file, device_profile="kodi", subtitle=sidecar).json()
    assert shown["method"] == "direct" and shown["burn_subtitles"] is False, "a WebVTT rendition will do"
    burned = start(user, media_file, device_profile="kodi", subtitle=sidecar, burn_subtitles=True).json()
    assert burned["method"] == "transcode" and burned["burn_subtitles"] is True
    bitmap = start(user, media_file, device_profile="kodi", subtitle="e2").json()
    assert bitmap["method"] == "transcode" and "subtitles are burned into the picture" in bitmap["reasons"]


def test_a_transcode_task_delivered_twice_runs_once_and_a_stale_one_is_taken_over(user, movie_file, transcode_dir):
    from apps.playback.hls import transcoding

    session = PlaybackSession.objects.get(pk=start(user, movie_file, **TRANSCODE).json()["id"])
    generation = session.transcode_generation
    assert transcoding.transcode_run(session_id=str(session.pk), generation=generation - 1) == "superseded"
    PlaybackSession.objects.filter(pk=session.pk).update(
        transcode_state="running", transcode_heartbeat_at=timezone.now()
    )
    assert transcoding.transcode_run(session_id=str(session.pk), generation=generation) == "superseded"
    silent = timezone.now() - timedelta(seconds=transcoding.STALE_SECONDS + 1)
    PlaybackSession.objects.filter(pk=session.pk).update(transcode_heartbeat_at=silent)
    assert transcoding.transcode_run(session_id=str(session.pk), generation=generation) == "done"
    session.refresh_from_db()
    assert session.transcode_state == "done" and (transcode_dir / str(session.pk) / session.profile).is_dir()


def test_folders_no_live_session_owns_are_removed_once_untouched(user, movie_file, transcode_dir):
    import os
    import uuid

    live = start(user, movie_file, **TRANSCODE).json()["id"]
    orphan, fresh, foreign = (
        transcode_dir / str(uuid.uuid4()),
        transcode_dir / str(uuid.uuid4()),
        transcode_dir / "mine",
    )
    for folder in (transcode_dir / live, orphan, fresh, foreign):
        (folder / "480p").mkdir(parents=True)
    hour_ago = (timezone.now() - timedelta(hours=1)).timestamp()
    for folder in (transcode_dir / live, orphan, foreign):
        os.utime(folder, (hour_ago, hour_ago))
    assert services.sessions_idle_stop() == 0
    assert not orphan.exists(), "an old folder of no session goes"
    assert (transcode_dir / live).exists() and fresh.exists(), "a live session's and a new one stay"
    assert foreign.exists(), "what Revenge did not name is never touched"
