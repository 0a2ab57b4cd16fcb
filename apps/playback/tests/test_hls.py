"""HLS written with PyAV and played by a real client: Debian's ffmpeg decodes every segment, end to end."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from apps.core.testing.media import has_codec, make_clip, make_film
from apps.playback.hls.writer import HlsPlan, TranscodeStopped, hls_write

FFMPEG, FFPROBE = shutil.which("ffmpeg"), shutil.which("ffprobe")
pytestmark = pytest.mark.skipif(not FFMPEG, reason="Debian's ffmpeg is the reference client (.ci/run installs it)")
SECONDS = 13.0
SOURCES = [
    ("h264-mkv", "src.mkv", {"video_codec": "libx264", "audio_codec": "aac"}),
    ("h264-mp4", "src.mp4", {"video_codec": "libx264", "audio_codec": "aac"}),
    ("mpeg4-avi", "src.avi", {"video_codec": "mpeg4", "audio_codec": "mp2"}),
    ("hevc-mkv", "src.mkv", {"video_codec": "libx265", "audio_codec": "aac"}),
]


def probe(path: Path) -> dict:
    out = subprocess.run(
        [FFPROBE, "-v", "error", "-show_format", "-show_streams", "-of", "json", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def decodes_cleanly(playlist: Path) -> None:
    command = [FFMPEG, "-v", "error", "-i", str(playlist), "-f", "null", "-"]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr == "", result.stderr


@pytest.mark.parametrize(("name", "filename", "codecs"), SOURCES, ids=[s[0] for s in SOURCES])
@pytest.mark.parametrize("mode", ["transcode", "remux"])
def test_the_reference_client_plays_the_whole_stream(tmp_path, name, filename, codecs, mode):
    if not has_codec(codecs["video_codec"]):
        pytest.skip(f"{codecs['video_codec']} is not in this PyAV build")
    source = make_clip(tmp_path / filename, width=320, height=240, seconds=SECONDS, fps=24, **codecs)
    plan = HlsPlan(height=180) if mode == "transcode" else HlsPlan(transcode_video=False, transcode_audio=False)
    playlist = hls_write(source=source, out_dir=tmp_path / "out", plan=plan)
    decodes_cleanly(playlist)
    info = probe(playlist)
    assert abs(float(info["format"]["duration"]) - SECONDS) <= 1.0
    video = next(s for s in info["streams"] if s["codec_type"] == "video")
    audio = next(s for s in info["streams"] if s["codec_type"] == "audio")
    if mode == "transcode":
        assert (video["codec_name"], video["height"], audio["codec_name"]) == ("h264", 180, "aac")
    else:
        assert video["codec_name"] == {"libx264": "h264", "libx265": "hevc", "mpeg4": "mpeg4"}[codecs["video_codec"]]
    assert "#EXT-X-ENDLIST" in playlist.read_text()


def test_segments_start_on_the_segment_grid_so_a_seek_can_restart_there(tmp_path):
    source = make_clip(tmp_path / "src.mkv", width=320, height=240, seconds=20, fps=24)
    first = hls_write(source=source, out_dir=tmp_path / "from-start", plan=HlsPlan())
    lines = first.read_text().splitlines()
    durations = [float(line.split(":")[1].rstrip(",")) for line in lines if line.startswith("#EXTINF")]
    assert durations[:2] == [6.0, 6.0], "a keyframe exactly every 6 s"
    restarted = hls_write(source=source, out_dir=tmp_path / "from-two", plan=HlsPlan(), start_segment=2)
    text = restarted.read_text()
    assert "#EXT-X-MEDIA-SEQUENCE:2" in text and "segment_00002.ts" in text and "segment_00000.ts" not in text
    original = float(probe(tmp_path / "from-start" / "segment_00002.ts")["format"]["start_time"])
    again = float(probe(tmp_path / "from-two" / "segment_00002.ts")["format"]["start_time"])
    assert abs(original - again) < 0.1, "the restarted segment 2 lines up with the original one"
    decodes_cleanly(restarted)


@pytest.mark.parametrize("suffix", [".mkv", ".mp4"])
def test_a_restart_reads_the_source_from_the_keyframe_before_it_not_from_the_start(tmp_path, suffix):
    # Keyframes every 2 s, as films have every 2-10 s: a restart at 42 s reads from 42 s on. Reading from the
    # start instead (decoding and dropping 40 s of pictures) cost a far seek seconds in a 1080p film.
    source = make_film(tmp_path / f"src{suffix}", width=64, height=48, seconds=60, fps=10, keyframe_seconds=2)
    asked = {"run": 0}

    def counted() -> bool:
        asked["run"] += 1
        return False

    hls_write(source=source, out_dir=tmp_path / "whole", plan=HlsPlan(), should_stop=counted)
    whole, asked["run"] = asked["run"], 0
    hls_write(source=source, out_dir=tmp_path / "late", plan=HlsPlan(), start_segment=7, should_stop=counted)

    assert asked["run"] < whole * 0.4, f"{asked['run']} packets read of the {whole} a run from the start reads"
    start = float(probe(tmp_path / "late" / "segment_00007.ts")["format"]["start_time"])
    assert abs(start - 42) < 0.1
    decodes_cleanly(tmp_path / "late" / "index.m3u8")


def test_a_stop_request_ends_the_transcode(tmp_path):
    source = make_clip(tmp_path / "src.mkv", width=320, height=240, seconds=10, fps=24)
    asked = iter(range(1000))
    with pytest.raises(TranscodeStopped):
        hls_write(source=source, out_dir=tmp_path / "out", plan=HlsPlan(), should_stop=lambda: next(asked) > 20)


@pytest.mark.parametrize("start_segment", [0, 4])
def test_a_stopped_run_leaves_only_whole_segments_under_their_grid_names(tmp_path, start_segment):
    # A seek stops the run that was writing: its muxer closes the segment it was in, cut short. Served under the
    # grid's name, a player asking for that segment later (a seek back) got a stump, or an empty file.
    source = make_film(tmp_path / "src.mkv", width=64, height=48, seconds=40, fps=24)
    plan = HlsPlan(lead_segments=3, lead_seconds=2)
    out = tmp_path / "out"
    asked = iter(range(100_000))
    with pytest.raises(TranscodeStopped):
        hls_write(
            source=source, out_dir=out, plan=plan, start_segment=start_segment, should_stop=lambda: next(asked) > 1500
        )

    written = sorted(out.glob("segment_*.ts"))
    assert written, "the run wrote segments before it was stopped"
    for path in written:
        number = int(path.stem.split("_")[1])
        length = plan.segment_start(number + 1) - plan.segment_start(number)
        assert abs(float(probe(path)["format"]["duration"]) - length) < 0.1, path.name
    assert not [p for p in out.iterdir() if not p.name.startswith("segment_")], sorted(p.name for p in out.iterdir())


@pytest.mark.parametrize("content", [b"", b"\x00" * 5000, b"not a video at all" * 100])
def test_a_broken_source_is_a_clear_error(tmp_path, content):
    import av

    broken = tmp_path / "broken.mkv"
    broken.write_bytes(content)
    with pytest.raises(av.error.FFmpegError):
        hls_write(source=broken, out_dir=tmp_path / "out", plan=HlsPlan())


def test_short_lead_segments_then_the_six_second_grid_and_a_restart_lines_up(tmp_path):
    source = make_clip(tmp_path / "src.mkv", width=320, height=240, seconds=20, fps=24)
    plan = HlsPlan(lead_segments=3, lead_seconds=2)
    playlist = hls_write(source=source, out_dir=tmp_path / "from-start", plan=plan)
    durations = [
        float(line.split(":")[1].rstrip(",")) for line in playlist.read_text().splitlines() if "EXTINF" in line
    ]
    assert durations[:4] == [2.0, 2.0, 2.0, 6.0] and abs(sum(durations) - 20) < 0.2
    starts = [float(probe(tmp_path / "from-start" / f"segment_{n:05d}.ts")["format"]["start_time"]) for n in range(5)]
    assert [round(start) for start in starts] == [0, 2, 4, 6, 12]
    hls_write(source=source, out_dir=tmp_path / "from-four", plan=plan, start_segment=4)
    again = float(probe(tmp_path / "from-four" / "segment_00004.ts")["format"]["start_time"])
    assert abs(again - starts[4]) < 0.1
    decodes_cleanly(tmp_path / "from-four" / "index.m3u8")


def test_segments_of_a_first_run_and_a_restart_follow_on_in_picture_and_sound(tmp_path):
    # A player's playlist mixes runs: the first run's segments up to a seek, then the restart's. Their timestamps
    # must agree to the millisecond and never go back, or strict players (ffmpeg) see time jump.
    source = make_film(tmp_path / "src.mkv", width=64, height=48, seconds=40, fps=24)
    plan = HlsPlan(lead_segments=3, lead_seconds=2)
    first = hls_write(source=source, out_dir=tmp_path / "first", plan=plan)
    hls_write(source=source, out_dir=tmp_path / "again", plan=plan, start_segment=4)
    starts = {
        run: {s["codec_type"]: float(s["start_time"]) for s in probe(tmp_path / run / "segment_00004.ts")["streams"]}
        for run in ("first", "again")
    }
    assert abs(starts["first"]["video"] - starts["again"]["video"]) < 0.001
    assert abs(starts["again"]["audio"] - starts["again"]["video"]) < 0.001, "the restart's sound starts with it"
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    shutil.copy(first, mixed / "index.m3u8")
    for number in range(len(list((tmp_path / "first").glob("segment_*.ts")))):
        run = "first" if number < 4 or number > 5 else "again"  # first, then the restart, then the first again
        shutil.copy(tmp_path / run / f"segment_{number:05d}.ts", mixed / f"segment_{number:05d}.ts")
    decodes_cleanly(mixed / "index.m3u8")


def test_a_run_never_publishes_files_a_stopped_run_left_in_the_folder(tmp_path):
    # A seek stops one run (its muxer closes the file it was writing) and starts another in the same folder: the
    # new run's parts and segments are its own, each where the grid says, and nothing of the old one is left.
    source = make_film(tmp_path / "src.mkv", width=64, height=48, seconds=60, fps=24)
    plan = HlsPlan(lead_segments=3, lead_seconds=2, parts=6, part_seconds=1)
    out = tmp_path / "out"
    asked = iter(range(100_000))
    with pytest.raises(TranscodeStopped):
        stopping = dataclasses.replace(plan, split_segment=5)
        hls_write(source=source, out_dir=out, plan=stopping, start_segment=5, should_stop=lambda: next(asked) > 700)
    seeked = dataclasses.replace(plan, split_segment=7, split_part=2)

    hls_write(source=source, out_dir=out, plan=seeked, start_segment=7)

    for part in range(2, 6):
        info = probe(out / f"segment_00007_{part}.ts")["format"]
        assert abs(float(info["start_time"]) - (30 + part)) < 0.05 and abs(float(info["duration"]) - 1) < 0.1
    for number in range(8, 11):
        start = float(probe(out / f"segment_{number:05d}.ts")["format"]["start_time"])
        assert abs(start - plan.segment_start(number)) < 0.05, number
    assert not list(out.glob("run_*")) and not list(out.glob("index_*")), sorted(p.name for p in out.iterdir())


def _hdr10_clip(path: Path, *, code: int, seconds: float = 1.0) -> Path:
    """A 10-bit HEVC clip tagged PQ/BT.2020 whose every pixel is luma `code` (limited range), neutral chroma."""
    import av

    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx265", rate=24, options={"x265-params": "log-level=error", "preset": "ultrafast"})
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p10le"
        context = stream.codec_context
        context.color_primaries, context.color_trc, context.colorspace = 9, 16, 9  # BT.2020, PQ, BT.2020 NCL
        for index in range(round(seconds * 24)):
            frame = av.VideoFrame(64, 48, "yuv420p10le")
            for plane, value in zip(frame.planes, (code, 512, 512), strict=True):
                plane.update(value.to_bytes(2, "little") * (plane.buffer_size // 2))
            frame.pts = index
            out.mux(stream.encode(frame))
        out.mux(stream.encode())
    return path


def _mean_luma(path: Path) -> float:
    import av

    with av.open(str(path)) as container:
        frame = next(container.decode(video=0))
        plane = frame.planes[0]
        data = bytes(plane)
    rows = [data[row * plane.line_size : row * plane.line_size + frame.width] for row in range(frame.height)]
    return sum(map(sum, rows)) / (frame.width * frame.height)


@pytest.mark.skipif(not has_codec("libx265"), reason="no HEVC encoder in this PyAV build")
def test_hdr_is_tone_mapped_to_sdr_with_a_real_curve(tmp_path):
    # PQ code 509 (10-bit, limited range) is about 100 nits, SDR reference white.
    source = _hdr10_clip(tmp_path / "hdr.mkv", code=509)
    mapped = hls_write(source=source, out_dir=tmp_path / "mapped", plan=HlsPlan(tone_map="pq"))
    plain = hls_write(source=source, out_dir=tmp_path / "plain", plan=HlsPlan())
    decodes_cleanly(mapped)
    video = next(s for s in probe(tmp_path / "mapped" / "segment_00000.ts")["streams"] if s["codec_type"] == "video")
    assert (video["codec_name"], video["pix_fmt"], video.get("color_transfer")) == ("h264", "yuv420p", "bt709")
    toned, untouched = (
        _mean_luma(tmp_path / "mapped" / "segment_00000.ts"),
        _mean_luma(plain.parent / "segment_00000.ts"),
    )
    # Reinhard with white at 1,000 nits puts 100 nits at about 75 % of SDR (8-bit luma ~181); without the curve
    # the PQ code is shown as it is (~127), grey and flat.
    assert 170 <= toned <= 195 and 120 <= untouched <= 135
