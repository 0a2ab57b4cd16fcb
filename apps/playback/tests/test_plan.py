"""The playback plan: one audio track, one ladder, one audio rule, decided once and only read by what sends it."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from apps.playback import transcoding
from apps.playback.models import PlaybackSession
from apps.playback.tests.conftest import library_of

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
