"""GET /api/v1/playback/decision/: direct play, remux or transcode for real probed files, and why."""

from __future__ import annotations

import pytest

from apps.accounts.services import users
from apps.core.testing.clients import client_for
from apps.core.testing.media import make_clip
from apps.libraries import services
from apps.media.models import MediaFile
from apps.scanning import services as scanning

pytestmark = pytest.mark.django_db
URL = "/api/v1/playback/decision/"


@pytest.fixture
def root(tmp_path):
    folder = tmp_path / "movies"
    folder.mkdir()
    return folder


def indexed(root, user, *clips: tuple[str, dict]) -> dict[str, MediaFile]:
    for relative, options in clips:
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        make_clip(target, **options)
    library = services.library_create(name=f"L{len(clips)}", kind="movies", paths=[str(root)])
    scanning.scan_run(scan=scanning.scan_begin(library=library))
    return {f.path.rsplit("/", 1)[1]: f for f in MediaFile.objects.filter(library=library)}


@pytest.fixture
def client(user):
    return client_for(user)


def decision(client, media_file, **query):
    response = client.get(URL, {"file": media_file.pk, **query})
    assert response.status_code == 200, response.content
    return response.json()


def test_direct_remux_and_transcode(client, root, user):
    files = indexed(
        root,
        user,
        ("A (2001)/A (2001).mp4", {}),
        ("B (2002)/B (2002).mkv", {}),
        ("C (2003)/C (2003).avi", {"video_codec": "mpeg4", "audio_codec": "mp2"}),
    )
    direct = decision(client, files["A (2001).mp4"], profile="browser")
    assert (direct["method"], direct["container"]) == ("direct", "mp4")
    assert direct["reasons"] == ["the client plays the file as it is"]
    remux = decision(client, files["B (2002).mkv"], profile="browser")
    assert (remux["method"], remux["container"], remux["video"]["action"]) == ("remux", "hls", "copy")
    assert "container mkv" in remux["reasons"][0]
    transcode = decision(client, files["C (2003).avi"], profile="browser")
    assert transcode["method"] == "transcode" and transcode["video"]["codec"] == "h264"
    assert transcode["audio"] == {"action": "transcode", "codec": "aac", "channels": 2, "bitrate": 192000}
    assert any("video codec mpeg4" in reason for reason in transcode["reasons"])
    assert decision(client, files["C (2003).avi"], profile="kodi")["method"] == "direct"


def test_limits_of_the_client_and_the_role_and_no_upscaling(client, root, user):
    files = indexed(
        root,
        user,
        ("Big (2001)/Big (2001).mp4", {"width": 1920, "height": 1080, "seconds": 0.5}),
        ("Tiny (2002)/Tiny (2002).mkv", {}),
    )
    big = files["Big (2001).mp4"]
    capped = decision(client, big, profile="browser", max_height=720)
    assert (capped["method"], capped["profile"], capped["video"]["height"]) == ("transcode", "720p", 720)
    users.user_update(user=user, by=None, settings_overrides={"max_transcode_height": 480})
    by_role = decision(client, big, profile="browser")
    assert (by_role["profile"], by_role["video"]["height"]) == ("480p", 480)
    tiny = decision(client, files["Tiny (2002).mkv"], video_codecs="hevc", containers="mp4")
    assert tiny["method"] == "transcode" and tiny["video"]["height"] == 48, "never upscaled"
    squeezed = decision(client, files["Tiny (2002).mkv"], video_codecs="hevc", max_bitrate=500_000)
    assert squeezed["video"]["bitrate"] <= 500_000 - 192_000


def test_hdr_is_tone_mapped_for_sdr_clients_and_audio_downmixed(client, root, user):
    hdr10 = {
        "pix_fmt": "yuv420p10le",
        "color_transfer": "smpte2084",
        "color_primaries": "bt2020",
        "color_space": "bt2020nc",
    }
    files = indexed(
        root,
        user,
        ("Hdr (2001)/Hdr (2001).mp4", hdr10),
        ("Surround (2002)/Surround (2002).mp4", {"audio_channels": 6}),
    )
    sdr_client = decision(client, files["Hdr (2001).mp4"], profile="browser")
    assert sdr_client["method"] == "transcode" and sdr_client["video"]["tone_map"] is True
    assert any("HDR10" in reason for reason in sdr_client["reasons"])
    hdr_client = decision(client, files["Hdr (2001).mp4"], profile="apple")
    assert hdr_client["method"] == "direct", hdr_client["reasons"]
    stereo = decision(client, files["Surround (2002).mp4"], profile="browser")
    assert stereo["method"] == "remux" and stereo["audio"]["channels"] == 2
    assert any("downmixed" in reason for reason in stereo["reasons"])


@pytest.mark.parametrize(
    "query",
    [
        {"file": "abc"},
        {},
        {"file": 1, "profile": "toaster"},
        {"file": 1, "video_codecs": "h264;rm -rf /"},
        {"file": 1, "max_height": 10},
        {"file": 1, "hdr": "perhaps"},
    ],
)
def test_bad_queries_are_400(client, query):
    response = client.get(URL, query)
    assert response.status_code == 400 and "errors" in response.json()


def test_invisible_files_are_404(client, root, user):
    files = indexed(root, user, ("A (2001)/A (2001).mp4", {}))
    library = files["A (2001).mp4"].library
    boss = users.user_create(
        username="boss", password="x" * 12, by=None, role=user.role.__class__.objects.get(group__name="admin")
    )
    services.library_grants_set(library=library, roles={}, users={}, by=boss)
    assert client.get(URL, {"file": files["A (2001).mp4"].pk}).status_code == 404
    assert client.get(URL, {"file": 999999}).status_code == 404
