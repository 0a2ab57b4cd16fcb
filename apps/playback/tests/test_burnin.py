"""Subtitles burned into the picture: text cues drawn, PGS and VobSub pictures laid over the frames they cover."""

from __future__ import annotations

import shutil
import subprocess

import av
import pytest

from apps.core.testing.subtitles import brightness, clip_with_bitmap_subtitles, dark_clip
from apps.playback.hls.writer import HlsPlan, hls_write
from apps.playback.subtitles.bitmap import pictures_read
from apps.playback.subtitles.text import BurnIn

FFMPEG = shutil.which("ffmpeg")
SRT = "1\n00:00:01,000 --> 00:00:02,000\nBURNED IN\n\n2\n00:00:02,500 --> bad timing\nnever shown\n"


def test_a_text_cue_is_drawn_while_it_shows_and_only_then(tmp_path):
    source = dark_clip(tmp_path / "dark.mkv")
    (tmp_path / "dark.srt").write_text(SRT)
    plan = HlsPlan(burn=BurnIn(path=str(tmp_path / "dark.srt"), format="srt"))
    playlist = hls_write(source=source, out_dir=tmp_path / "out", plan=plan)
    bottom = (0, 150, 320, 90)
    assert brightness(playlist, at=1.5, box=bottom, peak=True) > 200, "white letters near the bottom"
    assert brightness(playlist, at=1.5, box=bottom) > 17, "a line of them, not a dot"
    for quiet in (0.5, 3.0):
        assert brightness(playlist, at=quiet, box=bottom, peak=True) < 40, f"nothing at {quiet} s"
    assert brightness(playlist, at=1.5, box=(0, 0, 320, 100), peak=True) < 40, "nothing drawn elsewhere"


@pytest.mark.parametrize("kind", ["pgs", "vobsub"])
def test_bitmap_subtitles_are_read_and_laid_over_their_place(tmp_path, kind):
    source = clip_with_bitmap_subtitles(tmp_path / f"{kind}.mkv", kind=kind, box=(100, 180, 64, 16))
    (picture,) = pictures_read(str(source), 2)
    assert (picture.x, picture.y, picture.width, picture.height) == (100, 180, 64, 16)
    assert abs(picture.start - 1.0) < 0.01 and abs(picture.end - 2.0) < 0.01
    plan = HlsPlan(burn=BurnIn(path=str(source), stream_index=2, format=kind, bitmap=True))
    playlist = hls_write(source=source, out_dir=tmp_path / "out", plan=plan)
    box = (104, 184, 56, 8)
    assert brightness(playlist, at=1.5, box=box) > 100, "the box shows at 1.5 s"
    assert brightness(playlist, at=2.5, box=box) < 30, "and is gone after 2 s"
    assert brightness(playlist, at=1.5, box=(0, 0, 90, 90)) < 30


@pytest.mark.parametrize(
    "payload",
    [b"", b"\x16\xff\xff", b"\x15\x00\x05garbage", bytes(range(256)) * 4, b"\x00\x08\x00\x04\xff\xff\xff\xff"],
)
def test_broken_bitmap_packets_show_nothing_and_break_nothing(tmp_path, payload):
    from fractions import Fraction

    source = dark_clip(tmp_path / "dark.mkv", seconds=1.0)
    broken = tmp_path / "broken.mkv"
    with av.open(str(source)) as src, av.open(str(broken), "w", format="matroska") as out:
        streams = {s.index: out.add_stream_from_template(s) for s in src.streams}
        pgs, dvd = out.add_mux_stream("hdmv_pgs_subtitle"), out.add_mux_stream("dvd_subtitle")
        for packet in src.demux():
            if packet.dts is not None:
                packet.stream = streams[packet.stream_index]
                out.mux(packet)
        for stream in (pgs, dvd):
            stream.time_base = Fraction(1, 1000)
            packet = av.Packet(payload or b"\x00")
            packet.stream, packet.time_base, packet.pts, packet.dts, packet.duration = (
                stream,
                stream.time_base,
                200,
                200,
                500,
            )
            out.mux(packet)
    for index in (2, 3):
        assert pictures_read(str(broken), index) == []
        plan = HlsPlan(burn=BurnIn(path=str(broken), stream_index=index, bitmap=True))
        playlist = hls_write(source=broken, out_dir=tmp_path / f"out{index}", plan=plan)
        if FFMPEG:
            result = subprocess.run(
                [FFMPEG, "-v", "error", "-i", str(playlist), "-f", "null", "-"], capture_output=True
            )
            assert result.returncode == 0


@pytest.mark.django_db
def test_a_pgs_file_beside_the_video_is_burned_in(tmp_path, user):
    """A .sup sidecar (PGS segments with their "PG" headers) is found by the scan and burned through its demuxer."""
    from rest_framework.test import APIClient

    from apps.core.testing.catalogue import library_of
    from apps.core.testing.subtitles import pgs_clear, pgs_display_set

    folder = tmp_path / "movies" / "Sup (2000)"
    folder.mkdir(parents=True)
    dark_clip(folder / "Sup (2000).mkv")

    def segments(data: bytes, pts: int) -> bytes:
        out, offset = b"", 0
        while offset < len(data):
            size = int.from_bytes(data[offset + 1 : offset + 3], "big")
            out += b"PG" + pts.to_bytes(4, "big") + b"\0\0\0\0" + data[offset : offset + 3 + size]
            offset += 3 + size
        return out

    shown = pgs_display_set(x=100, y=180, width=64, height=16, frame=(320, 240))
    (folder / "Sup (2000).en.sup").write_bytes(segments(shown, 90_000) + segments(pgs_clear((320, 240)), 180_000))
    (media_file,) = library_of(tmp_path / "movies")
    sidecar = media_file.subtitles.get()
    assert sidecar.format == "sup"
    (picture,) = pictures_read(sidecar.path, 0)
    assert (picture.x, picture.y, round(picture.start, 2), round(picture.end, 2)) == (100, 180, 1.0, 2.0)
    api = APIClient()
    api.force_authenticate(user)
    body = {"file": media_file.pk, "device_profile": "kodi", "subtitle": f"s{sidecar.pk}"}
    session = api.post("/api/v1/playback/sessions/", body, format="json").json()
    assert session["method"] == "transcode" and session["burn_subtitles"] is True
