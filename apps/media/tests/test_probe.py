"""Tests for apps.media.probe and the `probe` management command, on real files made by the test kit."""

import io
import json
import os
import pwd
import shutil
import signal
import tempfile
import threading
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from apps.core.testing.media import SAMPLES, has_codec, hevc_codec, make_clip, make_corpus, make_sample
from apps.media.probe import ProbeError, ProbeResult, file_probe

HEVC = "hevc" if has_codec("libx265") else "h264"

# sample -> (container, codec per stream)
EXPECTED = {
    "h264_mp4": ("mp4", ["h264", "aac"]),
    "h264_mkv": ("mkv", ["h264", "aac"]),
    "hevc_mkv": ("mkv", [HEVC, "aac"]),
    "mpeg4_avi": ("avi", ["mpeg4", "mp2"]),
    "vp9_webm": ("webm", ["vp9", "opus"]),
    "mpeg2_ts": ("mpegts", ["mpeg2video", "mp2"]),
    "hdr10_mkv": ("mkv", [HEVC]),
    "multi_audio_mkv": ("mkv", ["h264", "aac", "aac", "subrip"]),
}

HDR10_CLIP = {
    "video_codec": hevc_codec(),
    "pix_fmt": "yuv420p10le",
    "color_transfer": "smpte2084",
    "color_primaries": "bt2020",
    "color_space": "bt2020nc",
    "audio_codec": None,
}


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("samples")
    return {name: make_sample(name, folder) for name in SAMPLES}


def reason(path, **kwargs) -> str:
    with pytest.raises(ProbeError) as caught:
        file_probe(path, **kwargs)
    return str(caught.value)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_sample_container_codecs_and_geometry(samples, name):
    container, codecs = EXPECTED[name]
    result = file_probe(samples[name])

    assert result.container == container
    assert [s.codec for s in result.streams] == codecs
    assert [s.index for s in result.streams] == list(range(len(codecs)))
    assert result.duration == pytest.approx(1.0, abs=0.1)
    assert result.bitrate and result.bitrate > 0
    video = result.streams[0]
    assert (video.type, video.width, video.height, video.frame_rate) == ("video", 64, 48, 10.0)
    for audio in (s for s in result.streams if s.type == "audio"):
        assert (audio.channels, audio.channel_layout, audio.sample_rate) == (2, "stereo", 48_000)
    json.dumps(result.as_dict())


@pytest.mark.parametrize("name", [n for n in EXPECTED if n != "hdr10_mkv"])
def test_sdr_samples_are_sdr_8_bit(samples, name):
    video = file_probe(samples[name]).streams[0]
    assert (video.hdr, video.bit_depth, video.pixel_format) == ("SDR", 8, "yuv420p")
    assert video.color_transfer == ""


def test_hdr10_sample(samples):
    video = file_probe(samples["hdr10_mkv"]).streams[0]
    assert video.hdr == "HDR10"
    assert (video.pixel_format, video.bit_depth) == ("yuv420p10le", 10)
    assert (video.color_transfer, video.color_primaries, video.color_space) == ("smpte2084", "bt2020", "bt2020nc")
    assert video.color_range == "tv"
    if HEVC == "hevc":
        assert video.profile == "Main 10"


def test_hlg_is_detected(tmp_path):
    clip = make_clip(tmp_path / "hlg.mkv", **{**HDR10_CLIP, "color_transfer": "arib-std-b67"})
    assert file_probe(clip).streams[0].hdr == "HLG"


@pytest.mark.skipif(not has_codec("libx265"), reason="needs libx265 in PyAV's FFmpeg")
@pytest.mark.parametrize("suffix", [".mkv", ".mp4", ".ts"])
@pytest.mark.parametrize("kind", ["HDR10+", "DV"])
def test_dynamic_hdr_markers_in_the_bitstream(tmp_path, suffix, kind):
    clip = make_clip(tmp_path / f"clip{suffix}", dynamic_hdr=kind, **HDR10_CLIP)
    assert file_probe(clip).streams[0].hdr == kind


def test_languages_titles_and_text_subtitles(samples):
    streams = file_probe(samples["multi_audio_mkv"]).streams
    assert [(s.type, s.language) for s in streams] == [
        ("video", ""),
        ("audio", "eng"),
        ("audio", "ger"),
        ("subtitle", "eng"),
    ]
    assert streams[3].title == "English"
    assert streams[3].width is None and streams[3].channels is None


def test_und_language_is_blank_and_mp4_dispositions(samples):
    streams = file_probe(samples["h264_mp4"]).streams
    assert [s.language for s in streams] == ["", ""]
    assert all(s.default and not s.forced for s in streams)
    assert all(s.bitrate for s in streams)


@pytest.mark.parametrize(("suffix", "codec", "container"), [(".mp4", "mov_text", "mp4"), (".webm", "webvtt", "webm")])
def test_text_subtitles_in_other_containers(tmp_path, suffix, codec, container):
    kwargs = {"video_codec": "libvpx-vp9", "audio_codec": "libopus"} if suffix == ".webm" else {}
    result = file_probe(make_clip(tmp_path / f"sub{suffix}", subtitle_text=True, **kwargs))
    assert result.container == container
    assert (result.streams[-1].type, result.streams[-1].codec, result.streams[-1].language) == (
        "subtitle",
        codec,
        "eng",
    )


def test_audio_only_file_is_accepted(tmp_path):
    result = file_probe(make_clip(tmp_path / "audio.mka", container="matroska", video_codec=None))
    assert result.container == "mka"
    assert [s.type for s in result.streams] == ["audio"]


def test_path_types_and_explicit_limits(samples):
    path = samples["h264_mkv"]
    for arg in (path, str(path), os.fsencode(path)):
        assert file_probe(arg, probesize=100_000, analyze_duration_ms=1_000, timeout=5).container == "mkv"


def test_non_utf8_file_name(samples, tmp_path):
    raw = os.fsencode(tmp_path) + b"/caf\xe9 \xff.mkv"
    shutil.copyfile(samples["h264_mkv"], raw)
    assert file_probe(raw).container == "mkv"
    assert file_probe(os.fsdecode(raw)).streams[0].codec == "h264"


def test_long_file_names(samples, tmp_path):
    longest = tmp_path / ("x" * 251 + ".mkv")
    shutil.copyfile(samples["h264_mkv"], longest)
    assert file_probe(longest).container == "mkv"
    assert reason(tmp_path / ("x" * 300 + ".mkv")) == "file name too long"


def test_missing_file(tmp_path):
    assert reason(tmp_path / "gone.mkv") == "file not found"


def test_directory(tmp_path):
    (tmp_path / "folder.mkv").mkdir()
    assert reason(tmp_path / "folder.mkv") == "not a regular file (directory)"


def test_fifo_is_rejected_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.mkv"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            file_probe(fifo)
        except ProbeError as exc:
            outcome.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=10)
    if worker.is_alive():
        # Release the blocked open() so the thread can finish.
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("file_probe blocked on a FIFO")
    assert [str(exc) for exc in outcome] == ["not a regular file (fifo)"]


def test_empty_file(tmp_path):
    (tmp_path / "empty.mkv").touch()
    assert reason(tmp_path / "empty.mkv") == "empty file"


def test_truncated_files(samples, tmp_path):
    mkv = tmp_path / "cut.mkv"
    mkv.write_bytes(samples["h264_mkv"].read_bytes()[:300])
    assert reason(mkv) == "invalid data: unexpected end of file (truncated?)"
    mp4 = tmp_path / "cut.mp4"
    data = samples["h264_mp4"].read_bytes()
    mp4.write_bytes(data[: data.index(b"moov") - 4])  # the muxer writes the index (moov) last
    assert reason(mp4).startswith("invalid data:")


MKV_CLUSTER = b"\x1f\x43\xb6\x75"


def test_a_header_without_packets_is_no_media_data(tmp_path):
    # A download cut short: the container's header is whole, but not one audio or video packet follows.
    video = make_clip(tmp_path / "video.mkv", audio_codec=None, width=320, height=240, pattern=1)
    first_1500 = tmp_path / "first_1500.mkv"
    first_1500.write_bytes(video.read_bytes()[:1500])
    assert reason(first_1500).startswith("no media data")
    both = make_clip(tmp_path / "both.mkv", width=320, height=240, pattern=1)
    data = both.read_bytes()
    header_only = tmp_path / "header_only.mkv"
    header_only.write_bytes(data[: data.index(MKV_CLUSTER) + 12])
    assert reason(header_only).startswith("no media data")
    # The first 1,500 bytes of a film with sound: a sliver of audio (AAC's first packet) but not one picture.
    film = make_clip(tmp_path / "film.mkv", width=640, height=480, seconds=2, pattern=1)
    sliver = tmp_path / "sliver.mkv"
    sliver.write_bytes(film.read_bytes()[:1500])
    assert reason(sliver).startswith("no media data")
    # One readable packet is enough: a file cut after its first cluster still probes.
    some = tmp_path / "some.mkv"
    some.write_bytes(data[: len(data) // 2])
    assert file_probe(some).container == "mkv"


def test_random_bytes_named_mkv(tmp_path):
    junk = tmp_path / "junk.mkv"
    junk.write_bytes(os.urandom(200_000))
    assert reason(junk).startswith("invalid data:")


def test_text_file_named_mp4(tmp_path):
    text = tmp_path / "readme.mp4"
    text.write_text("This is not a movie.\nJust some notes about a movie.\n" * 20)
    assert reason(text).startswith("invalid data:")


@pytest.mark.parametrize(
    ("sample", "wrong_name"),
    [("h264_mkv", "film.mp4"), ("h264_mp4", "film.mkv"), ("mpeg4_avi", "film.mkv"), ("mpeg2_ts", "film.mp4")],
)
def test_content_that_is_not_what_its_suffix_says_reads_as_under_its_own_name(samples, tmp_path, sample, wrong_name):
    # The demuxer the suffix names is tried first; it cannot read these, and the content is found by sniffing.
    renamed = tmp_path / wrong_name
    shutil.copyfile(samples[sample], renamed)
    expected = file_probe(samples[sample]).as_dict()
    found = file_probe(renamed).as_dict()
    assert found["streams"] == expected["streams"]
    assert (found["duration"], found["bitrate"]) == (expected["duration"], expected["bitrate"])


def test_file_without_audio_or_video(tmp_path):
    subs = make_clip(tmp_path / "subs.mkv", video_codec=None, audio_codec=None, subtitle_text=True)
    assert reason(subs) == "no audio or video streams"


def test_timeout_interrupts_the_read(samples):
    assert reason(samples["multi_audio_mkv"], timeout=1e-7).startswith("timed out")


def _probe_as_nobody(path: Path) -> str:
    """Probe in a forked child that dropped root to nobody (no exec: the interpreter may live under /root)."""
    nobody = pwd.getpwnam("nobody")
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        code = 1
        try:
            os.close(read_end)
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            try:
                file_probe(path)
                message = "probed"
            except ProbeError as exc:
                message = str(exc)
            os.write(write_end, message.encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    deadline = time.monotonic() + 30
    while os.waitpid(pid, os.WNOHANG) == (0, 0):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail("probe as nobody did not finish")
        time.sleep(0.01)
    with os.fdopen(read_end, "rb") as pipe:
        return pipe.read().decode()


def test_permission_denied(samples):
    folder = Path(tempfile.mkdtemp(prefix="revenge-perm-"))
    try:
        folder.chmod(0o755)
        locked = folder / "locked.mkv"
        shutil.copyfile(samples["h264_mkv"], locked)
        locked.chmod(0)
        if os.geteuid() != 0:
            assert reason(locked) == "permission denied"
        else:
            # root reads anything regardless of mode bits.
            try:
                pwd.getpwnam("nobody")
            except KeyError:
                pytest.skip("running as root and there is no 'nobody' user")
            assert _probe_as_nobody(locked) == "permission denied"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_corpus_files_are_distinct_and_probe(tmp_path):
    movies = make_corpus(tmp_path / "movies", 8)
    shows = make_corpus(tmp_path / "shows", 12, kind="shows")
    assert movies[0].relative_to(tmp_path / "movies").as_posix() == "Title 0001 (1951)/Title 0001 (1951).mkv"
    assert shows[11].relative_to(tmp_path / "shows").as_posix() == "Show 01/Season 02/Show 01 - S02E02.mkv"
    assert len({p.read_bytes() for p in movies + shows}) == 20
    for path in movies + shows:
        result = file_probe(path)
        assert isinstance(result, ProbeResult)
        assert result.container == "mkv"
        assert result.streams[0].type == "video"


def test_probe_command_prints_json(samples):
    out = io.StringIO()
    call_command("probe", str(samples["h264_mkv"]), stdout=out)
    info = json.loads(out.getvalue())
    assert info["path"] == str(samples["h264_mkv"])
    assert info["container"] == "mkv"
    assert [s["codec"] for s in info["streams"]] == ["h264", "aac"]


def test_probe_command_reports_errors_and_fails(samples, tmp_path):
    out = io.StringIO()
    missing = tmp_path / "missing.mkv"
    with pytest.raises(CommandError):
        call_command("probe", str(samples["vp9_webm"]), str(missing), stdout=out)
    good, bad = json.loads(out.getvalue())
    assert good["container"] == "webm"
    assert bad == {"path": str(missing), "error": "file not found"}


def _late_picture_file(path: Path, *, first_picture_at: float, seconds: float) -> Path:
    """Sound from 0 s, the first picture at `first_picture_at`: the muxer puts every earlier sound packet first."""
    import av

    from apps.core.testing.media import _fill_video_frame

    with av.open(str(path), "w") as out:
        video = out.add_stream("libx264", rate=10, options={"preset": "ultrafast"})
        video.width, video.height, video.pix_fmt = 64, 48, "yuv420p"
        audio = out.add_stream("aac", rate=48_000, layout="stereo")
        for index in range(int(seconds * 48_000 / 1024)):
            frame = av.AudioFrame(format=audio.format.name, layout="stereo", samples=1024)
            for plane in frame.planes:
                plane.update(bytes(plane.buffer_size))
            frame.sample_rate, frame.pts = 48_000, index * 1024
            out.mux(audio.encode(frame))
        for index in range(int(first_picture_at * 10), int(seconds * 10)):
            frame = av.VideoFrame(64, 48, "yuv420p")
            _fill_video_frame(frame, index)
            frame.pts = index
            out.mux(video.encode(frame))
        out.mux(video.encode())
        out.mux(audio.encode())
    return path


def _first_video_packet(path: Path) -> int:
    import av

    with av.open(str(path)) as container:
        for count, packet in enumerate(container.demux()):
            if packet.size and packet.stream.type == "video":
                return count
    return -1


def test_a_picture_after_many_sound_packets_is_found(tmp_path):
    from apps.media.probe import HDR_SCAN_PACKETS, MEDIA_DATA_PACKETS

    late = _late_picture_file(tmp_path / "late.mkv", first_picture_at=2.0, seconds=3.0)
    assert HDR_SCAN_PACKETS < _first_video_packet(late) < MEDIA_DATA_PACKETS
    result = file_probe(late)
    assert [s.type for s in result.streams] == ["video", "audio"]
    assert result.streams[0].hdr == "SDR" and result.streams[0].width == 64


def test_sound_without_a_picture_in_reach_is_no_media_data(tmp_path):
    from apps.media.probe import MEDIA_DATA_PACKETS

    # The picture stream is declared, but its first packet lies beyond what the probe reads.
    never = _late_picture_file(tmp_path / "never.mkv", first_picture_at=14.0, seconds=14.5)
    assert _first_video_packet(never) > MEDIA_DATA_PACKETS
    with pytest.raises(ProbeError, match="no media data"):
        file_probe(never)
