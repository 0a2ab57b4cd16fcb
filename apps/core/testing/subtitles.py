"""Bitmap subtitle tracks for tests, written packet by packet: Blu-ray PGS and DVD VobSub boxes.

Neither format has an encoder in PyAV's ffmpeg, so the packets are built here as the formats specify:
a solid box of one colour shown for a while, then cleared.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av


def _u16(value: int) -> bytes:
    return value.to_bytes(2, "big")


def pgs_display_set(*, x: int, y: int, width: int, height: int, frame: tuple[int, int], luma: int = 235) -> bytes:
    """PCS, WDS, PDS, ODS and END segments that show a `width` x `height` box of one colour at (x, y)."""
    line = b"\x00" + bytes([0x80 | width]) if width < 64 else b"\x00" + bytes([0xC0 | width >> 8, width & 0xFF])
    rle = (line + b"\x01" + b"\x00\x00") * height
    pcs = _u16(frame[0]) + _u16(frame[1]) + b"\x10" + _u16(1) + b"\x80\x00\x00\x01" + _u16(0) + b"\x00\x00"
    pcs += _u16(x) + _u16(y)
    wds = b"\x01\x00" + _u16(x) + _u16(y) + _u16(width) + _u16(height)
    pds = b"\x00\x00" + bytes([0, 16, 128, 128, 0]) + bytes([1, luma, 128, 128, 255])
    ods = _u16(0) + b"\x00\xc0" + (len(rle) + 4).to_bytes(3, "big") + _u16(width) + _u16(height) + rle
    segments = [(0x16, pcs), (0x17, wds), (0x14, pds), (0x15, ods), (0x80, b"")]
    return b"".join(bytes([kind]) + _u16(len(body)) + body for kind, body in segments)


def pgs_clear(frame: tuple[int, int]) -> bytes:
    pcs = _u16(frame[0]) + _u16(frame[1]) + b"\x10" + _u16(2) + b"\x00\x00\x00\x00"
    return b"\x16" + _u16(len(pcs)) + pcs + b"\x80\x00\x00"


def vobsub_packet(*, x: int, y: int, width: int, height: int, seconds: float) -> bytes:
    """An SPU: a box of colour 1 (opaque) in two interlaced fields, shown at once, hidden after `seconds`."""
    code = (width << 2) | 1  # a run of `width` pixels of colour 1, as 16 bits (width 64..255)
    assert 64 <= width <= 255 and height % 2 == 0
    field = code.to_bytes(2, "big") * (height // 2)
    pixels = field + field
    control = 4 + len(pixels)
    x2, y2 = x + width - 1, y + height - 1
    area = bytes([x >> 4, (x & 0xF) << 4 | x2 >> 8, x2 & 0xFF, y >> 4, (y & 0xF) << 4 | y2 >> 8, y2 & 0xFF])
    commands = b"\x03\x00\xf0\x04\x00\xf0\x05" + area + b"\x06" + _u16(4) + _u16(4 + len(field)) + b"\x01\xff"
    second = control + 4 + len(commands)
    body = (
        pixels + _u16(0) + _u16(second) + commands + _u16(round(seconds * 90_000 / 1024)) + _u16(second) + b"\x02\xff"
    )
    return _u16(4 + len(body)) + _u16(control) + body


def dark_clip(path: Path, *, width: int = 320, height: int = 240, seconds: float = 4.0, fps: int = 24) -> Path:
    """A clip whose every pixel is black (luma 16), with silent stereo AAC: burned-in subtitles stand out."""
    with av.open(str(path), "w") as out:
        video = out.add_stream("libx264", rate=fps, options={"preset": "ultrafast"})
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        audio = out.add_stream("aac", rate=48_000, layout="stereo")
        for index in range(round(seconds * fps)):
            frame = av.VideoFrame(width, height, "yuv420p")
            for plane, value in zip(frame.planes, (16, 128, 128), strict=True):
                plane.update(bytes([value]) * plane.buffer_size)
            frame.pts = index
            out.mux(video.encode(frame))
        out.mux(video.encode())
        for start in range(0, round(seconds * 48_000), 1024):
            sound = av.AudioFrame(format="fltp", layout="stereo", samples=1024)
            for plane in sound.planes:
                plane.update(bytes(plane.buffer_size))
            sound.sample_rate, sound.pts, sound.time_base = 48_000, start, Fraction(1, 48_000)
            out.mux(audio.encode(sound))
        out.mux(audio.encode())
    return path


def clip_with_bitmap_subtitles(
    path: Path, *, kind: str, width: int = 320, height: int = 240, seconds: float = 4.0, box=(100, 180, 64, 16)
) -> Path:
    """A dark clip with a bitmap subtitle track (kind "pgs" or "vobsub") showing `box` from 1 s to 2 s."""
    video = dark_clip(path.with_suffix(".video.mkv"), width=width, height=height, seconds=seconds)
    x, y, w, h = box
    with av.open(str(video)) as source, av.open(str(path), "w", format="matroska") as out:
        streams = {s.index: out.add_stream_from_template(s) for s in (*source.streams.video, *source.streams.audio)}
        codec = "hdmv_pgs_subtitle" if kind == "pgs" else "dvd_subtitle"
        subtitle = out.add_mux_stream(codec)
        subtitle.time_base = Fraction(1, 1000)
        for packet in source.demux():
            if packet.dts is None:
                continue
            packet.stream = streams[packet.stream_index]
            out.mux(packet)
        if kind == "pgs":
            payloads = [
                (1000, 0, pgs_display_set(x=x, y=y, width=w, height=h, frame=(width, height))),
                (2000, 0, pgs_clear((width, height))),
            ]
        else:
            payloads = [(1000, 1000, vobsub_packet(x=x, y=y, width=w, height=h, seconds=1.0))]
        for pts, duration, payload in payloads:
            packet = av.Packet(payload)
            packet.stream, packet.time_base = subtitle, Fraction(1, 1000)
            packet.pts = packet.dts = pts
            packet.duration = duration
            out.mux(packet)
    video.unlink()
    return path


def brightness(playlist: Path, *, at: float, box: tuple[int, int, int, int], peak: bool = False) -> float:
    """Mean (or highest) luma inside `box` (x, y, width, height) of the output frame nearest `at` seconds."""
    with av.open(str(playlist)) as container:
        frame = min(container.decode(video=0), key=lambda f: abs((f.time or 0) - at - 0.05))
        plane = frame.planes[0]
        data = bytes(plane)
    x, y, width, height = box
    rows = [data[(y + r) * plane.line_size + x : (y + r) * plane.line_size + x + width] for r in range(height)]
    return max(map(max, rows)) if peak else sum(map(sum, rows)) / (width * height)
