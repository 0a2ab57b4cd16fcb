"""Files never leave the library at read time: a file or subtitle swapped for a link after the scan is refused by
the stream, the HLS source and the WebVTT rendition; unplayable orphans are not served; downloads need both keys."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from apps.accounts.models import Role
from apps.accounts.services import roles, users
from apps.libraries import services as libraries
from apps.libraries.containment import PathRefused, open_contained
from apps.media.models import MediaFile, Subtitle
from apps.playback.hls import transcoding
from apps.playback.models import PlaybackSession
from apps.scanning import services as scanning

pytestmark = pytest.mark.django_db

SRT = "1\n00:00:01,000 --> 00:00:03,500\nHello there\n"
TRANSCODE = {"video_codecs": "vp9", "containers": "webm"}
REMUX = {"video_codecs": "h264", "audio_codecs": "aac", "containers": "webm"}


@pytest.fixture
def outside(tmp_path, clips) -> Path:
    """A fake data folder: a "database" that even plays as a video, and a copy of a password file."""
    data = tmp_path / "elsewhere" / "data"
    data.mkdir(parents=True)
    (data / "revenge.sqlite3").write_bytes(clips["mkv"].read_bytes())
    (data / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\n")
    return data


@pytest.fixture
def heat(tmp_path, place, transcode_dir) -> MediaFile:
    root = tmp_path / "movies"
    place(root, "Heat (1995)/Heat (1995).mkv")
    (root / "Heat (1995)" / "Heat (1995).en.srt").write_text(SRT)
    library = libraries.library_create(name="Movies", kind="movies", paths=[str(root)])
    scanning.scan_run(scan=scanning.scan_begin(library=library))
    return MediaFile.objects.get(movie__title="Heat")


@pytest.fixture
def admin(db):
    return users.user_create(username="boss", password="x" * 12, by=None, role=Role.objects.get(group__name="admin"))


def client_of(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def stream(user, media_file, query: str = "", **headers):
    return client_of(user).get(f"/api/v1/files/{media_file.pk}/stream/{query}", **headers)


def swap_for_link(path: str, target: Path) -> None:
    os.unlink(path)
    os.symlink(target, path)


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_file_swapped_for_a_link_out_after_the_scan_is_not_streamed(heat, admin, outside):
    assert stream(admin, heat).status_code == 200
    swap_for_link(heat.path, outside / "revenge.sqlite3")
    for query, headers in (("", {}), ("?download=1", {}), ("", {"HTTP_RANGE": "bytes=0-99"})):
        response = stream(admin, heat, query, **headers)
        assert response.status_code == 404
        assert b"link" not in content(response) and b"elsewhere" not in content(response)


def test_a_link_that_stays_inside_the_library_still_streams(heat, admin, tmp_path):
    real = Path(heat.path).with_name("Heat.real.mkv")
    os.rename(heat.path, real)
    os.symlink(real, heat.path)
    response = stream(admin, heat)
    assert response.status_code == 200 and content(response) == real.read_bytes()


def test_a_link_into_an_allowed_link_target_streams(heat, admin, tmp_path, settings, clips):
    debrid = tmp_path / "debrid"
    debrid.mkdir()
    shutil.copyfile(clips["mkv"], debrid / "Heat.mkv")
    swap_for_link(heat.path, debrid / "Heat.mkv")
    assert stream(admin, heat).status_code == 404
    settings.LINK_TARGETS = [str(debrid)]
    assert stream(admin, heat).status_code == 200


def test_the_containment_door_checks_the_file_it_opened(heat, outside):
    with open_contained(path=heat.path, library=heat.library) as handle:
        assert handle.read(4) == b"\x1a\x45\xdf\xa3"  # Matroska
    swap_for_link(heat.path, outside / "revenge.sqlite3")
    with pytest.raises(PathRefused):
        open_contained(path=heat.path, library=heat.library)
    os.unlink(heat.path)
    os.mkfifo(heat.path)  # a FIFO must be refused, not waited on
    with pytest.raises(PathRefused):
        open_contained(path=heat.path, library=heat.library)


def test_the_transcode_of_a_file_swapped_for_a_link_out_fails_cleanly(heat, admin, outside, transcode_dir):
    created = client_of(admin).post("/api/v1/playback/sessions/", {"file": heat.pk, **TRANSCODE}, format="json")
    assert created.status_code == 201, created.content
    session = PlaybackSession.objects.get(pk=created.json()["id"])
    assert session.method == PlaybackSession.Method.TRANSCODE
    swap_for_link(heat.path, outside / "revenge.sqlite3")

    assert transcoding.transcode_run(session_id=str(session.pk), generation=session.transcode_generation) == "failed"

    session.refresh_from_db()
    assert session.transcode_state == PlaybackSession.TranscodeState.FAILED
    assert session.transcode_error == "the source file cannot be read"
    assert not list(Path(transcode_dir).rglob("*.ts"))


def test_a_subtitle_swapped_for_a_link_out_is_never_served_as_webvtt(heat, admin, outside):
    created = client_of(admin).post("/api/v1/playback/sessions/", {"file": heat.pk, **REMUX}, format="json")
    master_url = created.json()["master_url"]
    base = master_url.rsplit("/", 1)[0]
    key = f"s{Subtitle.objects.get(file=heat).pk}"
    anonymous = APIClient()
    assert "Hello there" in anonymous.get(f"{base}/subtitles/{key}.vtt").content.decode()

    swap_for_link(Subtitle.objects.get(file=heat).path, outside / "passwd")

    assert key not in anonymous.get(master_url).content.decode()
    for suffix in ("vtt", "m3u8"):
        response = anonymous.get(f"{base}/subtitles/{key}.{suffix}")
        assert response.status_code == 404 and b"root:" not in response.content


def test_a_file_whose_probe_failed_and_that_belongs_to_nothing_is_not_served(tmp_path, place, admin):
    root = tmp_path / "movies"
    place(root, "Broken (2001).mkv", content=b"SQLite format 3\x00" + os.urandom(4096))
    library = libraries.library_create(name="Movies", kind="movies", paths=[str(root)])
    scanning.scan_run(scan=scanning.scan_begin(library=library))
    broken = MediaFile.objects.get()
    assert broken.probe_status == MediaFile.ProbeStatus.FAILED and broken.movie is None
    assert client_of(admin).get(f"/api/v1/files/{broken.pk}/").status_code == 200  # listed, for the operator
    assert stream(admin, broken).status_code == 404
    created = client_of(admin).post("/api/v1/playback/sessions/", {"file": broken.pk, **REMUX}, format="json")
    assert created.status_code == 404


def test_a_download_needs_the_library_grant_and_the_role_setting(heat, admin, user):
    boss = admin
    guest = users.user_create(username="g", password="x" * 12, by=None, role=Role.objects.get(group__name="guest"))
    user_role, guest_role = (Role.objects.get(group__name=name) for name in ("user", "guest"))
    library = heat.library

    assert stream(user, heat).status_code == 200
    assert stream(user, heat, "?download=1").status_code == 403  # granted, but the role may not download
    roles.role_update(role=user_role, by=None, may_download=True)
    assert stream(user, heat, "?download=1").status_code == 200
    viewing = {"user": ["view_library"], "guest": ["view_library"]}  # the grants replace the defaults
    libraries.library_grants_set(library=library, roles=viewing, users={}, by=boss)
    assert stream(user, heat, "?download=1").status_code == 403  # the role may, but not from this library
    assert stream(user, heat).status_code == 200

    roles.role_update(role=guest_role, by=None, may_download=True)
    assert stream(guest, heat, "?download=1").status_code == 403  # guests are granted viewing only
    libraries.library_grants_set(
        library=library, roles={**viewing, "guest": ["view_library", "download_library"]}, users={}, by=boss
    )
    assert stream(guest, heat, "?download=1").status_code == 200
    libraries.library_grants_set(library=library, roles={}, users={}, by=boss)
    assert stream(guest, heat).status_code == 404  # not granted at all: not even the plain stream
    assert stream(boss, heat, "?download=1").status_code == 200
