"""Generate tiny real media files with PyAV for tests and benchmarks."""

from __future__ import annotations

import math
import random
import shutil
import tempfile
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

import av
from av.video.reformatter import ColorPrimaries, ColorTrc

from apps.core.testing.patterns import Pattern

# Suffix -> ffmpeg muxer name.
MUXERS = {
    ".mkv": "matroska",
    ".mp4": "mp4",
    ".m4v": "mp4",
    ".mov": "mov",
    ".avi": "avi",
    ".webm": "webm",
    ".ts": "mpegts",
    ".m2ts": "mpegts",
    ".mpg": "mpeg",
    ".ogv": "ogg",
    ".flv": "flv",
}

# AVColorSpace values (ITU-T H.273 matrix coefficients); PyAV has no enum for them.
COLORSPACES = {"bt709": 1, "bt470bg": 5, "smpte170m": 6, "bt2020nc": 9, "bt2020c": 10}

# Text subtitle codec each muxer accepts.
TEXT_SUBTITLE_CODECS = {"matroska": "subrip", "mp4": "mov_text", "mov": "mov_text", "webm": "webvtt"}

SUBTITLE_LINES = ("Hello there.", "General Kenobi!")

_HAS_X265 = "libx265" in av.codecs_available


def has_codec(name: str) -> bool:
    """Whether PyAV's bundled ffmpeg has this codec (encoder or decoder)."""
    return name in av.codecs_available


def _color_value(enum: type | None, value: str | int) -> int:
    if isinstance(value, int):
        return value
    if enum is None:
        return COLORSPACES[value]
    return enum[value.upper().replace("-", "_")].value


def _fill_video_frame(frame: av.VideoFrame, index: int) -> None:
    # A changing flat colour keeps encoders fast while still producing distinct frames.
    high_depth = frame.format.components[0].bits > 8
    for plane in frame.planes:
        size = plane.buffer_size
        if high_depth:
            plane.update(bytes(((index * 24) & 0xFF, 1)) * (size // 2))
        else:
            plane.update(bytes(((index * 24 + 16) & 0xFF,)) * size)


def _add_subtitle_stream(out: av.container.OutputContainer, muxer: str) -> av.stream.Stream:
    codec = TEXT_SUBTITLE_CODECS.get(muxer)
    if codec is None:
        raise ValueError(f"no text subtitle codec for muxer {muxer!r}")
    stream = out.add_mux_stream(codec)
    stream.time_base = Fraction(1, 1000)
    stream.metadata["language"] = "eng"
    stream.metadata["title"] = "English"
    return stream


def _subtitle_packets(stream: av.stream.Stream, codec: str) -> list[av.Packet]:
    packets = []
    for i, line in enumerate(SUBTITLE_LINES):
        payload = line.encode()
        if codec == "mov_text":
            # tx3g samples are a 16-bit big-endian length followed by the text.
            payload = len(payload).to_bytes(2, "big") + payload
        packet = av.Packet(payload)
        packet.stream = stream
        packet.time_base = Fraction(1, 1000)
        packet.pts = packet.dts = 100 + i * 400
        packet.duration = 300
        packets.append(packet)
    return packets


class _BitWriter:
    def __init__(self) -> None:
        self.bits: list[int] = []

    def put(self, value: int, width: int) -> None:
        self.bits.extend((value >> shift) & 1 for shift in range(width - 1, -1, -1))

    def to_bytes(self) -> bytes:
        bits = self.bits + [0] * (-len(self.bits) % 8)
        return bytes(int("".join(map(str, bits[i : i + 8])), 2) for i in range(0, len(bits), 8))


def _escape_rbsp(payload: bytes) -> bytes:
    # H.265 emulation prevention: no 00 00 0x (x <= 3) may appear inside a NAL unit.
    out = bytearray()
    zeros = 0
    for byte in payload:
        if zeros >= 2 and byte <= 3:
            out.append(3)
            zeros = 0
        out.append(byte)
        zeros = zeros + 1 if byte == 0 else 0
    return bytes(out)


def hdr10_plus_sei() -> bytes:
    """An Annex B HEVC prefix SEI NAL with a minimal SMPTE ST 2094-40 (HDR10+) payload FFmpeg accepts."""
    bits = _BitWriter()
    bits.put(1, 8)  # application_version
    bits.put(1, 2)  # num_windows
    bits.put(400, 27)  # targeted_system_display_maximum_luminance
    bits.put(0, 1)  # targeted_system_display_actual_peak_luminance_flag
    for _ in range(3):
        bits.put(10_000, 17)  # maxscl
    bits.put(1_000, 17)  # average_maxrgb
    bits.put(1, 4)  # num_distribution_maxrgb_percentiles
    bits.put(50, 7)
    bits.put(5_000, 17)
    bits.put(0, 10)  # fraction_bright_pixels
    bits.put(0, 1)  # mastering_display_actual_peak_luminance_flag
    bits.put(0, 1)  # tone_mapping_flag
    bits.put(0, 1)  # color_saturation_mapping_flag
    payload = b"\xb5\x00\x3c\x00\x01\x04" + bits.to_bytes()
    sei = bytes((4, len(payload))) + payload + b"\x80"
    return b"\x00\x00\x00\x01\x4e\x01" + _escape_rbsp(sei)


def dolby_vision_rpu() -> bytes:
    """An Annex B HEVC NAL of type 62, the unit Dolby Vision uses for its RPU (payload is a placeholder)."""
    return b"\x00\x00\x00\x01\x7c\x01" + _escape_rbsp(b"\x19\x08\x09\x00\x00\x00\x80")


def _with_nal(packet: av.Packet, prefix: bytes = b"", suffix: bytes = b"") -> av.Packet:
    new = av.Packet(prefix + bytes(packet) + suffix)
    new.stream = packet.stream
    new.time_base = packet.time_base
    new.pts, new.dts, new.duration = packet.pts, packet.dts, packet.duration
    new.is_keyframe = packet.is_keyframe
    return new


def make_clip(
    path: str | Path,
    *,
    container: str | None = None,
    video_codec: str | None = "libx264",
    audio_codec: str | None = "aac",
    width: int = 64,
    height: int = 48,
    seconds: float = 1.0,
    fps: float = 10,
    pix_fmt: str | None = None,
    color_transfer: str | None = None,
    color_primaries: str | None = None,
    color_space: str | None = None,
    audio_language: str | Sequence[str] | None = None,
    subtitle_text: bool = False,
    audio_channels: int = 2,
    sample_rate: int = 48_000,
    video_options: dict[str, str] | None = None,
    dynamic_hdr: str | None = None,
    pattern: int | None = None,
    bit_rate: int | None = None,
) -> Path:
    """Encode a short clip to `path`; a sequence of audio languages makes one audio stream per language.

    `container` is an ffmpeg muxer name (default: from the suffix). `dynamic_hdr` ("HDR10+" or "DV") splices an
    HDR10+ SEI or a Dolby Vision RPU NAL into every HEVC packet, since the bundled x265 lacks HDR10+ support.
    `pattern` (a seed) draws moving shapes instead of flat colours: the same seed gives the same pictures.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    muxer = container or MUXERS.get(path.suffix.lower())
    if muxer is None:
        raise ValueError(f"cannot infer the container from {path.name!r}")
    if isinstance(audio_language, str) or audio_language is None:
        languages: list[str | None] = [audio_language]
    else:
        languages = list(audio_language)
    if audio_codec is None:
        languages = []
    if dynamic_hdr not in (None, "HDR10+", "DV"):
        raise ValueError(f"unknown dynamic_hdr {dynamic_hdr!r}")
    prefix = hdr10_plus_sei() if dynamic_hdr == "HDR10+" else b""
    suffix = dolby_vision_rpu() if dynamic_hdr == "DV" else b""
    rate = Fraction(fps).limit_denominator(1001)
    frame_count = max(1, round(seconds * float(rate)))

    with av.open(str(path), "w", format=muxer) as out:
        video = None
        if video_codec is not None:
            options = dict(video_options or {})
            if video_codec == "libx265":
                options.setdefault("x265-params", "log-level=error")
            if video_codec in ("libx264", "libx265"):
                options.setdefault("preset", "ultrafast")
            video = out.add_stream(video_codec, rate=rate, options=options)
            video.width, video.height = width, height
            if bit_rate:
                video.bit_rate = bit_rate
            if pix_fmt:
                video.pix_fmt = pix_fmt
            if color_transfer:
                video.codec_context.color_trc = _color_value(ColorTrc, color_transfer)
            if color_primaries:
                video.codec_context.color_primaries = _color_value(ColorPrimaries, color_primaries)
            if color_space:
                video.codec_context.colorspace = _color_value(None, color_space)
        audio_streams = []
        for language in languages:
            audio = out.add_stream(audio_codec, rate=sample_rate)
            audio.layout = "mono" if audio_channels == 1 else "stereo" if audio_channels == 2 else "5.1"
            if language:
                audio.metadata["language"] = language
            audio_streams.append(audio)
        subtitle = _add_subtitle_stream(out, muxer) if subtitle_text else None

        if video is not None:
            scene = Pattern.from_seed(pattern) if pattern is not None else None
            for index in range(frame_count):
                if scene is not None:
                    frame = scene.frame(index / float(rate), width, height, video.pix_fmt)
                else:
                    frame = av.VideoFrame(width, height, video.pix_fmt)
                    _fill_video_frame(frame, index)
                frame.pts = index
                frame.time_base = 1 / rate
                out.mux([_with_nal(p, prefix, suffix) if dynamic_hdr else p for p in video.encode(frame)])
            out.mux([_with_nal(p, prefix, suffix) if dynamic_hdr else p for p in video.encode()])
        for audio in audio_streams:
            total = round(seconds * sample_rate)
            chunk = audio.codec_context.frame_size or 1024
            fmt = audio.format.name
            for start in range(0, total, chunk):
                frame = av.AudioFrame(format=fmt, layout=audio.layout.name, samples=min(chunk, total - start))
                for plane in frame.planes:
                    plane.update(bytes(plane.buffer_size))
                frame.sample_rate = sample_rate
                frame.pts = start
                frame.time_base = Fraction(1, sample_rate)
                out.mux(audio.encode(frame))
            out.mux(audio.encode())
        if subtitle is not None:
            out.mux(_subtitle_packets(subtitle, TEXT_SUBTITLE_CODECS[muxer]))
    return path


def make_film(
    path: str | Path,
    *,
    seconds: float,
    width: int = 1920,
    height: int = 1080,
    fps: int = 24,
    keyframe_seconds: int = 4,
    loop_seconds: int = 8,
    pattern: int = 7,
    bit_rate: int | None = None,
) -> Path:
    """A film-like clip, cheap at any length: a keyframe every `keyframe_seconds` (films have one every 2-10 s),
    stereo AAC, and the packets interleaved in time as real muxers write them (make_clip writes all pictures first,
    so a reader seeking into it still reads the sound from the start).

    Only `loop_seconds` of pictures are encoded; their packets are repeated, each copy opening on a keyframe, so
    two minutes of 1080p cost what eight seconds do.
    """
    path = Path(path)
    if loop_seconds % keyframe_seconds:
        raise ValueError("the loop must hold whole keyframe intervals")
    with tempfile.TemporaryDirectory(prefix="revenge-film-") as scratch:
        loop = make_clip(
            Path(scratch) / "loop.mp4",
            audio_codec=None,
            width=width,
            height=height,
            seconds=loop_seconds,
            fps=fps,
            pattern=pattern,
            bit_rate=bit_rate,
            video_options={"g": str(fps * keyframe_seconds), "keyint_min": str(fps * keyframe_seconds)},
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        with av.open(str(loop)) as src, av.open(str(path), "w", format=MUXERS[path.suffix.lower()]) as out:
            source = src.streams.video[0]
            video = out.add_stream_from_template(source)
            audio = out.add_stream("aac", rate=48_000, layout="stereo")
            out.start_encoding()
            shots = [p for p in src.demux(source) if p.size and p.pts is not None]
            step = round(loop_seconds / source.time_base)  # one loop in the source's time base
            timed: list[tuple[float, int, av.Packet]] = []
            for copy in range(math.ceil(seconds / loop_seconds)):
                for shot in shots:
                    if (shot.pts + copy * step) * source.time_base >= seconds:
                        continue
                    again = _with_nal(shot)
                    again.pts, again.dts = shot.pts + copy * step, shot.dts + copy * step
                    again.stream = video
                    timed.append((float(again.dts * source.time_base), 0, again))
            timed += [(float(p.dts * p.time_base), 1, p) for p in _silence(audio, seconds)]
            for _, _, packet in sorted(timed, key=lambda entry: entry[:2]):
                out.mux(packet)
    return path


def _silence(stream: av.AudioStream, seconds: float) -> list[av.Packet]:
    packets, total, chunk = [], round(seconds * 48_000), stream.codec_context.frame_size or 1024
    for start in range(0, total, chunk):
        frame = av.AudioFrame(format=stream.format.name, layout="stereo", samples=min(chunk, total - start))
        for plane in frame.planes:
            plane.update(bytes(plane.buffer_size))
        frame.sample_rate, frame.pts, frame.time_base = 48_000, start, Fraction(1, 48_000)
        packets += stream.encode(frame)
    return packets + stream.encode()


def reencode(
    source: str | Path,
    target: str | Path,
    *,
    width: int,
    height: int,
    video_codec: str = "libx264",
    bit_rate: int | None = None,
) -> Path:
    """Decode the video of `source` and encode it again, scaled, into `target` (container from its suffix)."""
    target = Path(target)
    with av.open(str(source)) as src, av.open(str(target), "w", format=MUXERS[target.suffix.lower()]) as out:
        original = src.streams.video[0]
        rate = original.average_rate or Fraction(25)
        options = {"preset": "ultrafast"} if video_codec in ("libx264", "libx265") else {}
        video = out.add_stream(video_codec, rate=rate, options=options)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        if bit_rate:
            video.bit_rate = bit_rate
        for index, frame in enumerate(src.decode(original)):
            scaled = frame.reformat(width=width, height=height, format="yuv420p", interpolation="BICUBIC")
            scaled.pts, scaled.time_base = index, 1 / rate
            out.mux(video.encode(scaled))
        out.mux(video.encode())
    return target


def hevc_codec() -> str:
    """The HEVC encoder to use, falling back to libx264 (also 10-bit capable) without libx265."""
    return "libx265" if _HAS_X265 else "libx264"


# name -> (file name, make_clip kwargs); a representative spread of codecs and containers.
SAMPLES: dict[str, tuple[str, dict]] = {
    "h264_mp4": ("h264.mp4", {}),
    "h264_mkv": ("h264.mkv", {"audio_language": "eng"}),
    "hevc_mkv": ("hevc.mkv", {"video_codec": hevc_codec()}),
    "mpeg4_avi": ("mpeg4.avi", {"video_codec": "mpeg4", "audio_codec": "mp2"}),
    "vp9_webm": ("vp9.webm", {"video_codec": "libvpx-vp9", "audio_codec": "libopus"}),
    "mpeg2_ts": ("mpeg2.ts", {"video_codec": "mpeg2video", "audio_codec": "mp2"}),
    "hdr10_mkv": (
        "hdr10.mkv",
        {
            "video_codec": hevc_codec(),
            "pix_fmt": "yuv420p10le",
            "color_transfer": "smpte2084",
            "color_primaries": "bt2020",
            "color_space": "bt2020nc",
            "audio_codec": None,
        },
    ),
    "multi_audio_mkv": ("multi.mkv", {"audio_language": ("eng", "ger"), "subtitle_text": True}),
}


def make_sample(name: str, folder: str | Path) -> Path:
    """Build the named entry of SAMPLES inside `folder`."""
    filename, kwargs = SAMPLES[name]
    return make_clip(Path(folder) / filename, **kwargs)


def _corpus_names(count: int, kind: str) -> list[str]:
    if kind == "movies":
        return [f"Title {i:04d} ({1950 + i % 70})/Title {i:04d} ({1950 + i % 70}).mkv" for i in range(1, count + 1)]
    if kind == "shows":
        names = []
        for i in range(count):
            show, rest = divmod(i, 30)
            season, episode = divmod(rest, 10)
            names.append(
                f"Show {show + 1:02d}/Season {season + 1:02d}/"
                f"Show {show + 1:02d} - S{season + 1:02d}E{episode + 1:02d}.mkv"
            )
        return names
    raise ValueError(f"unknown corpus kind {kind!r}")


def make_corpus(folder: str | Path, count: int, *, kind: str = "movies", seed: int = 0) -> list[Path]:
    """Write `count` probe-able .mkv files under realistic movie or show names; sizes and bytes differ per file.

    A few clips are encoded once and copied; each copy gets random trailing bytes, which the Matroska demuxer skips.
    """
    folder = Path(folder)
    rng = random.Random(seed)  # noqa: S311 -- reproducible filler bytes, not secrets
    with tempfile.TemporaryDirectory(prefix="revenge-corpus-") as scratch:
        bases = [
            make_clip(Path(scratch) / "a.mkv", audio_language="eng"),
            make_clip(Path(scratch) / "b.mkv", video_codec=hevc_codec(), width=96, height=64),
            make_clip(Path(scratch) / "c.mkv", audio_language=("eng", "ger"), subtitle_text=True, seconds=2.0),
            make_clip(Path(scratch) / "d.mkv", video_codec="mpeg4", audio_codec="mp2", fps=25),
        ]
        paths = []
        for i, name in enumerate(_corpus_names(count, kind)):
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(bases[i % len(bases)], target)
            with target.open("ab") as fh:
                fh.write(rng.randbytes(rng.randint(1, 4096)))
            paths.append(target)
    return paths
