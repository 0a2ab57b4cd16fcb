"""Bitmap subtitles read ourselves: Blu-ray PGS and DVD VobSub packets to positioned RGBA pictures.

PyAV decodes their pixels but not their palettes, so both formats are parsed here from the packets PyAV
demuxes (Matroska tracks, .sup files, .idx/.sub pairs). Like any file they are hostile: a segment that
does not parse ends that picture, never the transcode.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

import av

BITMAP_CODECS = {"hdmv_pgs_subtitle", "dvd_subtitle"}
MAX_PICTURES = 20_000
MAX_PIXELS = 4096 * 2304
DVD_TICK = 1024 / 90_000  # seconds per unit of a VobSub control sequence's delay


@dataclass
class Picture:
    """One subtitle picture: where it goes on the source frame, its RGBA bytes, and when it shows."""

    start: float
    end: float
    x: int
    y: int
    width: int
    height: int
    rgba: bytes


def pictures_read(path: str, stream_index: int) -> list[Picture]:
    """Every picture of a bitmap subtitle track, in order, each ending when the next begins at the latest."""
    pictures: list[Picture] = []
    with av.open(path) as container:
        stream = next((s for s in container.streams if s.index == stream_index), None)
        codec = stream.codec_context.codec.canonical_name if stream is not None and stream.codec_context else ""
        if codec not in BITMAP_CODECS:
            raise ValueError(f"stream {stream_index} is not a PGS or VobSub subtitle track")
        reader = _PgsReader() if codec == "hdmv_pgs_subtitle" else _VobSubReader(stream)
        for packet in container.demux(stream):
            if packet.pts is None or not packet.size:
                continue
            start = float(packet.pts * packet.time_base)
            duration = float((packet.duration or 0) * packet.time_base)
            for event in reader.feed(bytes(packet), start, duration):
                if pictures and pictures[-1].end > event.start:
                    pictures[-1].end = event.start  # a new picture (or a clear) ends the one before
                if event.rgba:
                    pictures.append(event)
            if len(pictures) >= MAX_PICTURES:
                break
    return [p for p in pictures if p.end > p.start]


def _interleave(indexes: bytes, palette: list[tuple[int, int, int, int]]) -> bytes:
    """Palette indexes to RGBA, channel by channel at C speed (bytes.translate)."""
    table = palette + [(0, 0, 0, 0)] * (256 - len(palette))
    out = bytearray(len(indexes) * 4)
    for channel in range(4):
        out[channel::4] = indexes.translate(bytes(entry[channel] for entry in table))
    return bytes(out)


# --- Blu-ray PGS --------------------------------------------------------------------------------------


class _PgsReader:
    """Display sets: PCS (where objects go), PDS (palette), ODS (RLE bitmaps), END (show or clear)."""

    def __init__(self) -> None:
        self.palette: list[tuple[int, int, int, int]] = []
        self.objects: dict[int, tuple[int, int, bytearray]] = {}
        self.placements: list[tuple[int, int, int]] = []

    def feed(self, data: bytes, start: float, duration: float) -> list[Picture]:
        shown = []
        for kind, body in _pgs_segments(data):
            try:
                if kind == 0x16:
                    self._composition(body)
                elif kind == 0x14:
                    self._palette(body)
                elif kind == 0x15:
                    self._object(body)
                elif kind == 0x80:
                    shown.append(self._show(start, duration))
            except (struct.error, IndexError, ValueError):
                continue  # one broken segment: that picture is not shown
        return [p for p in shown if p is not None]

    def _composition(self, body: bytes) -> None:
        count = body[10]
        self.placements = []
        offset = 11
        for _ in range(count):
            object_id, _window, cropped, x, y = struct.unpack_from(">HBBHH", body, offset)
            self.placements.append((object_id, x, y))
            offset += 8 + (8 if cropped & 0x80 else 0)

    def _palette(self, body: bytes) -> None:
        palette = [(0, 0, 0, 0)] * 256
        for offset in range(2, len(body) - 4, 5):
            index, luma, cr, cb, alpha = body[offset : offset + 5]
            palette[index] = (*_ycbcr_to_rgb(luma, cb, cr), alpha)
        self.palette = palette

    def _object(self, body: bytes) -> None:
        object_id, _version, sequence = struct.unpack_from(">HBB", body, 0)
        if sequence & 0x80:  # the first part carries the size
            width, height = struct.unpack_from(">HH", body, 7)
            self.objects[object_id] = (width, height, bytearray(body[11:]))
        elif object_id in self.objects:
            self.objects[object_id][2].extend(body[4:])

    def _show(self, start: float, duration: float) -> Picture | None:
        end = start + (duration or 3600)
        if not self.placements:
            return Picture(start, start, 0, 0, 0, 0, b"")  # an empty composition clears the screen
        parts = []
        for object_id, x, y in self.placements:
            if object_id in self.objects:
                width, height, rle = self.objects[object_id]
                if 0 < width * height <= MAX_PIXELS:
                    parts.append((x, y, width, height, _interleave(_pgs_rle(bytes(rle), width, height), self.palette)))
        return _composite(parts, start, end)


def _pgs_segments(data: bytes):
    offset = 0
    while offset + 3 <= len(data):
        if data[offset : offset + 2] == b"PG":  # .sup files put a 10-byte header before each segment
            offset += 10
            continue
        kind, size = data[offset], int.from_bytes(data[offset + 1 : offset + 3], "big")
        yield kind, data[offset + 3 : offset + 3 + size]
        offset += 3 + size


def _pgs_rle(data: bytes, width: int, height: int) -> bytes:
    out = bytearray()
    i, size = 0, len(data)
    while i < size and len(out) < width * height:
        byte = data[i]
        i += 1
        if byte:
            out.append(byte)
            continue
        flags = data[i] if i < size else 0
        i += 1
        if flags == 0:  # end of line: pad it to the width
            out.extend(b"\0" * ((-len(out)) % width if width else 0))
            continue
        length = flags & 0x3F
        if flags & 0x40:
            length = (length << 8) | (data[i] if i < size else 0)
            i += 1
        color = 0
        if flags & 0x80:
            color = data[i] if i < size else 0
            i += 1
        out.extend(bytes([color]) * length)
    return bytes(out[: width * height].ljust(width * height, b"\0"))


def _ycbcr_to_rgb(luma: int, cb: int, cr: int) -> tuple[int, int, int]:
    y = (luma - 16) * 1.164
    red = y + 1.793 * (cr - 128)
    green = y - 0.213 * (cb - 128) - 0.533 * (cr - 128)
    blue = y + 2.112 * (cb - 128)
    return tuple(max(0, min(255, round(v))) for v in (red, green, blue))


# --- DVD VobSub ---------------------------------------------------------------------------------------

PALETTE_LINE = re.compile(rb"palette:\s*([0-9a-fA-F, ]+)")


class _VobSubReader:
    """SPU packets: RLE of 2-bit pixels in two fields, control sequences for colours, area and timing."""

    def __init__(self, stream) -> None:
        found = PALETTE_LINE.search(stream.codec_context.extradata or b"")
        colors = [c.strip() for c in found.group(1).decode().split(",")] if found else []
        self.palette = [tuple(bytes.fromhex(c.rjust(6, "0"))[:3]) for c in colors if len(c) <= 6] or [
            (0, 0, 0),
            (255, 255, 255),
            (0, 0, 0),
            (128, 128, 128),
        ] * 4

    def feed(self, data: bytes, start: float, duration: float) -> list[Picture]:
        try:
            return [p for p in [self._picture(data, start, duration)] if p is not None]
        except (struct.error, IndexError, ValueError):
            return []

    def _picture(self, data: bytes, start: float, duration: float) -> Picture | None:
        size, control = struct.unpack_from(">HH", data, 0)
        data = data[:size]
        colors, alphas, area, fields = [0, 1, 2, 3], [0, 15, 15, 15], None, None
        shown, hidden = None, None
        offset, seen = control, set()
        while offset not in seen and offset + 4 <= len(data):
            seen.add(offset)
            delay, following = struct.unpack_from(">HH", data, offset)
            i = offset + 4
            while i < len(data) and data[i] != 0xFF:
                command = data[i]
                if command == 0x01:
                    shown = delay * DVD_TICK
                elif command == 0x02:
                    hidden = delay * DVD_TICK
                elif command == 0x03:
                    colors = [data[i + 2] & 0xF, data[i + 2] >> 4, data[i + 1] & 0xF, data[i + 1] >> 4]
                    i += 2
                elif command == 0x04:
                    alphas = [data[i + 2] & 0xF, data[i + 2] >> 4, data[i + 1] & 0xF, data[i + 1] >> 4]
                    i += 2
                elif command == 0x05:
                    a = data[i + 1 : i + 7]
                    x1, x2 = (a[0] << 4) | (a[1] >> 4), ((a[1] & 0xF) << 8) | a[2]
                    y1, y2 = (a[3] << 4) | (a[4] >> 4), ((a[4] & 0xF) << 8) | a[5]
                    area = (x1, y1, x2 - x1 + 1, y2 - y1 + 1)
                    i += 6
                elif command == 0x06:
                    fields = struct.unpack_from(">HH", data, i + 1)
                    i += 4
                elif command != 0x00:
                    break  # unknown command: the rest of this sequence cannot be read
                i += 1
            offset = following
        if area is None or fields is None or not (0 < area[2] * area[3] <= MAX_PIXELS):
            return None
        x, y, width, height = area
        indexes = _dvd_rle(data, fields, width, height)
        palette = [(*self.palette[colors[c] % len(self.palette)], alphas[c] * 17) for c in range(4)]
        begin = start + (shown or 0)
        end = start + hidden if hidden else begin + (duration or 5)
        return Picture(begin, end, x, y, width, height, _interleave(indexes, palette))


def _dvd_rle(data: bytes, fields: tuple[int, int], width: int, height: int) -> bytes:
    rows: list[bytes] = [b""] * height
    for field, offset in enumerate(fields):
        nibble = offset * 2
        for row in range(field, height, 2):
            line, nibble = _dvd_line(data, nibble, width)
            rows[row] = line
    return b"".join(rows)


def _dvd_line(data: bytes, nibble: int, width: int) -> tuple[bytes, int]:
    def take() -> int:
        nonlocal nibble
        byte = data[nibble // 2] if nibble // 2 < len(data) else 0
        value = byte >> 4 if nibble % 2 == 0 else byte & 0xF
        nibble += 1
        return value

    line = bytearray()
    while len(line) < width:
        value = take()  # 4, 8, 12 or 16 bits: each leading zero nibble says one more follows
        if value < 0x4:
            value = (value << 4) | take()
            if value < 0x10:
                value = (value << 4) | take()
                if value < 0x40:
                    value = (value << 4) | take()
        run, color = value >> 2, value & 3
        line.extend(bytes([color]) * (run or (width - len(line))))
        if run == 0:
            break
    nibble += nibble % 2  # each line starts on a byte
    return bytes(line[:width].ljust(width, b"\0")), nibble


def _composite(parts: list, start: float, end: float) -> Picture | None:
    """Several objects of one display set become one picture covering them all."""
    if not parts:
        return None
    if len(parts) == 1:
        x, y, width, height, rgba = parts[0]
        return Picture(start, end, x, y, width, height, rgba)
    from PIL import Image  # lazy: only a picture made of several parts needs Pillow; start-up stays light

    left, top = min(p[0] for p in parts), min(p[1] for p in parts)
    right, bottom = max(p[0] + p[2] for p in parts), max(p[1] + p[3] for p in parts)
    canvas = Image.new("RGBA", (right - left, bottom - top), (0, 0, 0, 0))
    for x, y, width, height, rgba in parts:
        canvas.alpha_composite(Image.frombytes("RGBA", (width, height), rgba), (x - left, y - top))
    return Picture(start, end, left, top, canvas.width, canvas.height, canvas.tobytes())
