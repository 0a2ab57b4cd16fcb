"""The playback plan: one audio track, one ladder, one audio rule, decided once and only read by what sends it."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from apps.core.testing.catalogue import library_of
from apps.core.testing.media import make_clip
from apps.playback.hls import serving, transcoding
from apps.playback.models import PlaybackSession

pytestmark = pytest.mark.django_db
SESSIONS = "/api/v1/playback/sessions/"


def clip_with_two_sounds(path: Path) -> Path:
    """English AAC stereo first, French AC-3 5.1 second and marked default (as many remuxed films are)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), "w") as out:
        video = out.add_stream("libx264", rate=10, options={"preset": "ultrafast"})
        video.width, video.height = 64, 48
        sounds = []
        for codec, layout, language, default in (("aac", "stereo", "eng", False), ("ac3", "5.1", "fra", True)):
            sound = out.add_stream(codec, rate=48_000)
            sound.layout, sound.metadata["language"] = layout, language
            sound.disposition = av.stream.Disposition.default if default else av.stream.Disposition(0)
            sounds.append(sound)
        for index in range(20):
            frame = av.VideoFrame(64, 48, "yuv420p")
            frame.pts, frame.time_base = index, Fraction(1, 10)
            out.mux(video.encode(frame))
        out.mux(video.encode())
        for sound in sounds:
            chunk = sound.codec_context.frame_size or 1024
            for start in range(0, 96_000, chunk):
                frame = av.AudioFrame(format=sound.format.name, layout=sound.layout.name, samples=chunk)
                for plane in frame.planes:
                    plane.update(bytes(plane.buffer_size))
                frame.sample_rate, frame.pts, frame.time_base = 48_000, start, Fraction(1, 48_000)
                out.mux(sound.encode(frame))
            out.mux(sound.encode())
    return path


@pytest.fixture
def two_sounds(tmp_path):
    clip_with_two_sounds(tmp_path / "movies" / "Babel (2006)" / "Babel (2006).mkv")
    return library_of(tmp_path / "movies")[0]


def client_of(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def sent_audio(session: PlaybackSession) -> tuple[str, int]:
    """Codec and channels of the sound the transcode wrote, read back from its first segment."""
    assert transcoding.transcode_run(session_id=str(session.pk), generation=session.transcode_generation) == "done"
    segment = transcoding.segment_path(session, session.profile, 0)
    with av.open(str(segment)) as written:
        (sound,) = written.streams.audio
        return sound.codec_context.name, sound.codec_context.channels


@pytest.mark.parametrize(
    ("device_profile", "method", "codec", "channels"),
    [("apple", "remux", "ac3", 6), ("browser", "remux", "aac", 2)],
)
def test_the_track_checked_is_the_track_sent_when_the_default_is_not_the_first(
    user, two_sounds, transcode_dir, device_profile, method, codec, channels
):
    body = {"file": two_sounds.pk, "device_profile": device_profile, "containers": "webm"}
    answer = client_of(user).post(SESSIONS, body, format="json").json()
    assert answer["method"] == method and answer["audio_codec"] == codec, answer
    session = PlaybackSession.objects.get(pk=answer["id"])
    assert sent_audio(session) == (codec, channels), "the default (French) track is checked and sent"
    master = client_of(user).get(reverse("hls-master", kwargs={"token": session.token})).content.decode()
    assert 'LANGUAGE="fr"' in master and 'LANGUAGE="en"' not in master


def test_a_track_asked_for_is_the_one_checked_sent_and_listed(user, two_sounds, transcode_dir):
    body = {"file": two_sounds.pk, "device_profile": "apple", "containers": "webm", "audio_stream": 1}
    answer = client_of(user).post(SESSIONS, body, format="json").json()
    assert (answer["method"], answer["audio_codec"], answer["audio_index"]) == ("remux", "aac", 1)
    session = PlaybackSession.objects.get(pk=answer["id"])
    assert sent_audio(session) == ("aac", 2)
    master = client_of(user).get(reverse("hls-master", kwargs={"token": session.token})).content.decode()
    assert 'LANGUAGE="en"' in master and "mp4a.40.2" in master and "ac-3" not in master


def test_the_session_names_the_track_it_plays_when_none_was_asked_for(user, two_sounds):
    answer = client_of(user).post(SESSIONS, {"file": two_sounds.pk, "device_profile": "kodi"}, format="json").json()
    assert (answer["method"], answer["audio_index"], answer["audio_codec"]) == ("direct", 2, "ac3")
    stored = PlaybackSession.objects.get(pk=answer["id"]).decision
    assert stored["audio_stream"] == 2


@pytest.mark.parametrize("index", [0, 3, 99])
def test_an_audio_stream_the_file_does_not_have_as_sound_is_400(user, two_sounds, index):
    body = {"file": two_sounds.pk, "audio_stream": index}
    answer = client_of(user).post(SESSIONS, body, format="json")
    assert answer.status_code == 400 and "audio_stream" in str(answer.json()), answer.json()
    assert PlaybackSession.objects.count() == 0


def test_a_downmix_is_planned_once_and_sent_as_planned(user, two_sounds, transcode_dir):
    body = {"file": two_sounds.pk, "device_profile": "apple", "downmix": True}
    answer = client_of(user).post(SESSIONS, body, format="json").json()
    assert (answer["method"], answer["audio_codec"]) == ("remux", "aac"), "6 channels for 2: not direct play"
    assert "6 audio channels: downmixed to 2" in answer["reasons"]
    assert sent_audio(PlaybackSession.objects.get(pk=answer["id"])) == ("aac", 2)


def test_a_transcode_plans_its_sound_as_aac_and_its_playlist_says_so(user, tmp_path, transcode_dir):
    make_clip(tmp_path / "movies" / "Old (1960)" / "Old (1960).mkv", audio_codec="mp2", seconds=1)
    (media_file,) = library_of(tmp_path / "movies")
    client = client_of(user)
    query = {"file": media_file.pk, "video_codecs": "vp9", "audio_codecs": "mp2", "containers": "webm"}
    decided = client.get("/api/v1/playback/decision/", query).json()
    assert decided["method"] == "transcode"
    assert decided["audio"] == {"action": "transcode", "codec": "aac", "channels": 2, "bitrate": 192_000}
    assert "the sound is encoded with the transcoded picture: AAC" in decided["reasons"]
    answer = client.post(SESSIONS, query, format="json").json()
    assert answer["audio_codec"] == "aac" and answer["reasons"] == decided["reasons"]
    session = PlaybackSession.objects.get(pk=answer["id"])
    master = client.get(reverse("hls-master", kwargs={"token": session.token})).content.decode()
    assert 'CODECS="avc1.640028,mp4a.40.2"' in master, master
    assert sent_audio(session) == ("aac", 2)


def test_a_transcode_stores_its_ladder_and_the_worker_reads_each_rung(user, tmp_path):
    make_clip(tmp_path / "movies" / "Wide (2000)" / "Wide (2000).mkv", width=1280, height=720, seconds=0.5)
    (media_file,) = library_of(tmp_path / "movies")
    body = {"file": media_file.pk, "video_codecs": "vp9", "containers": "webm"}
    session = PlaybackSession.objects.get(pk=client_of(user).post(SESSIONS, body, format="json").json()["id"])
    assert [(r["name"], r["width"], r["height"], r["bandwidth"]) for r in session.decision["ladder"]] == [
        ("720p", 1280, 720, 2_992_000),
        ("480p", 854, 480, 1_592_000),
    ]
    assert (transcoding.transcode_plan(session).height, transcoding.transcode_plan(session).video_bitrate) == (
        720,
        2_800_000,
    )
    session.profile = "480p"  # a player switched down (transcode_restart stores the variant)
    assert (transcoding.transcode_plan(session).height, transcoding.transcode_plan(session).video_bitrate) == (
        480,
        1_400_000,
    )
    session.profile = "1080p"  # not a rung of this plan: the decided one, never more
    assert transcoding.transcode_plan(session).height == 720


def test_a_session_planned_before_plans_held_tracks_and_ladders_plays_as_it_did(user, two_sounds, transcode_dir):
    body = {"file": two_sounds.pk, "device_profile": "apple", "containers": "webm"}
    session = PlaybackSession.objects.get(pk=client_of(user).post(SESSIONS, body, format="json").json()["id"])
    old = {key: session.decision[key] for key in ("method", "profile", "container", "video", "audio", "reasons")}
    PlaybackSession.objects.filter(pk=session.pk).update(decision=old)
    session.refresh_from_db()
    assert [v.name for v in serving.variants(session)] == ["original"]
    assert transcoding.transcode_plan(session).audio_stream is None, "the first audio stream, as hls_write sent then"
    master = client_of(user).get(reverse("hls-master", kwargs={"token": session.token})).content.decode()
    assert 'LANGUAGE="en"' in master


def test_a_file_that_lost_its_planned_sound_fails_the_transcode_with_why(user, two_sounds, transcode_dir):
    body = {"file": two_sounds.pk, "device_profile": "apple", "containers": "webm"}
    session = PlaybackSession.objects.get(pk=client_of(user).post(SESSIONS, body, format="json").json()["id"])
    make_clip(two_sounds.path, seconds=1)  # replaced since the scan: one audio stream, index 1
    assert transcoding.transcode_run(session_id=str(session.pk), generation=session.transcode_generation) == "failed"
    session.refresh_from_db()
    assert session.transcode_state == "failed" and "no audio stream 2" in session.transcode_error


def test_an_older_transcode_session_still_encodes_its_sound_with_the_picture(user, two_sounds):
    body = {"file": two_sounds.pk, "device_profile": "apple", "video_codecs": "vp9", "containers": "webm"}
    session = PlaybackSession.objects.get(pk=client_of(user).post(SESSIONS, body, format="json").json()["id"])
    old = {key: session.decision[key] for key in ("method", "profile", "container", "video", "reasons")}
    old["audio"] = {"action": "copy", "codec": "ac3"}  # as plan_decide() stored it when the sound could be copied
    PlaybackSession.objects.filter(pk=session.pk).update(decision=old)
    session.refresh_from_db()
    plan = transcoding.transcode_plan(session)
    assert (plan.transcode_video, plan.transcode_audio, plan.audio_channels, plan.height) == (True, True, 2, 48)


def test_a_probe_that_learnt_little_still_gets_a_plan_and_never_a_5xx(user, two_sounds):
    from apps.media.models import MediaFile, MediaStream

    # Every audio track default, no sizes, no channels, no codec names: what a half-broken file's probe leaves.
    MediaStream.objects.filter(file=two_sounds).update(codec="", width=None, height=None, channels=None, default=True)
    MediaFile.objects.filter(pk=two_sounds.pk).update(container="", bitrate=None)
    client = client_of(user)
    decided = client.get("/api/v1/playback/decision/", {"file": two_sounds.pk}).json()
    assert decided["method"] == "transcode" and decided["container"] == "hls" and decided["video"]["height"] == 1080
    answer = client.post(SESSIONS, {"file": two_sounds.pk}, format="json")
    assert answer.status_code == 201, answer.json()
    assert answer.json()["audio_index"] == 1, "of several default tracks, the first"
    stored = PlaybackSession.objects.get(pk=answer.json()["id"]).decision
    assert [rung["name"] for rung in stored["ladder"]] == ["1080p"] and stored["ladder"][0]["width"] is None
