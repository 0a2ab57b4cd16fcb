"""Subtitles burned into the picture: text cues drawn with Pillow, bitmap pictures as they are, laid over
each frame with ffmpeg's overlay filter while the cue shows.

Used when a player cannot show the track itself: bitmap subtitles (PGS, VobSub) always, text ones on request.
"""

from __future__ import annotations

import bisect
from fractions import Fraction

import av
from av.video.frame import VideoFrame

from apps.playback.subtitles.bitmap import Picture, pictures_read
from apps.playback.subtitles.text import BurnIn, TextTrack, cues_of, plain_text

OVERLAY_FORMATS = {"yuv420p": "yuv420", "yuv420p10le": "yuv420p10"}


def text_pictures(cues: list[tuple[float, float, str]], *, width: int, height: int) -> list[Picture]:
    """Each cue drawn white with a black outline, centred near the bottom of a `width` x `height` frame."""
    from PIL import Image, ImageDraw, ImageFont  # lazy: only burnt-in text subtitles need Pillow

    size = max(12, height // 16)
    font = ImageFont.load_default(size=size)
    stroke = max(1, size // 12)
    pictures = []
    for start, end, text in cues:
        lines = plain_text(text).splitlines()[:4]
        if not lines:
            continue
        boxes = [font.getbbox(line, stroke_width=stroke) for line in lines]
        line_height = max(b[3] - b[1] for b in boxes) + size // 4
        box_width = min(width, max(b[2] - b[0] for b in boxes) + 2 * stroke + 4)
        box_height = line_height * len(lines) + 2 * stroke
        canvas = Image.new("RGBA", (box_width, box_height), (0, 0, 0, 0))
        draw = ImageDraw.Draw(canvas)
        for row, (line, box) in enumerate(zip(lines, boxes, strict=True)):
            left = (box_width - (box[2] - box[0])) // 2 - box[0]
            draw.text(
                (left, row * line_height - box[1] + stroke),
                line,
                font=font,
                fill=(255, 255, 255, 255),
                stroke_width=stroke,
                stroke_fill=(0, 0, 0, 255),
            )
        x, y = (width - box_width) // 2, max(0, height - box_height - height // 14)
        pictures.append(Picture(start, end, x, y, box_width, box_height, canvas.tobytes()))
    return pictures


class Burner:
    """Frames in, frames with the showing subtitle laid over them out (unchanged while none shows)."""

    def __init__(self, pictures: list[Picture]) -> None:
        self.pictures = sorted(pictures, key=lambda p: p.start)
        self.starts = [p.start for p in self.pictures]
        self.current: Picture | None = None
        self.graph = self.main = self.overlay = self.sink = None
        self.overlay_frame: VideoFrame | None = None

    @classmethod
    def for_track(cls, burn: BurnIn, *, width: int, height: int) -> Burner:
        if burn.bitmap:
            return cls(pictures_read(burn.path, burn.stream_index))
        track = TextTrack(
            key="",
            name="",
            language="",
            forced=False,
            default=False,
            path=burn.path,
            stream_index=burn.stream_index,
            format=burn.format,
        )
        return cls(text_pictures(cues_of(track), width=width, height=height))

    def showing(self, seconds: float) -> Picture | None:
        index = bisect.bisect_right(self.starts, seconds) - 1
        if index < 0:
            return None
        picture = self.pictures[index]
        return picture if seconds < picture.end else None

    def __call__(self, frame: VideoFrame) -> VideoFrame:
        picture = self.showing(frame.time or 0)
        if picture is None:
            return frame
        if frame.format.name not in OVERLAY_FORMATS:
            frame = _same_time(frame.reformat(format="yuv420p"), frame)
        if picture is not self.current or self._stale(frame):
            self._build(frame, picture)
        self.overlay_frame.pts, self.overlay_frame.time_base = frame.pts, frame.time_base
        self.main.push(frame)
        self.overlay.push(self.overlay_frame)
        return self.sink.pull()

    def _stale(self, frame: VideoFrame) -> bool:
        return (frame.width, frame.height, frame.format.name) != self.shape

    def _build(self, frame: VideoFrame, picture: Picture) -> None:
        graph = av.filter.Graph()
        base = frame.time_base or Fraction(1, 90_000)
        self.main = graph.add_buffer(width=frame.width, height=frame.height, format=frame.format, time_base=base)
        self.overlay = graph.add_buffer(width=picture.width, height=picture.height, format="rgba", time_base=base)
        placed = graph.add("overlay", f"x={picture.x}:y={picture.y}:format={OVERLAY_FORMATS[frame.format.name]}")
        self.sink = graph.add("buffersink")
        self.main.link_to(placed, 0, 0)
        self.overlay.link_to(placed, 0, 1)
        placed.link_to(self.sink)
        graph.configure()
        self.graph, self.current = graph, picture
        self.shape = (frame.width, frame.height, frame.format.name)
        self.overlay_frame = _rgba_frame(picture)


def _same_time(converted: VideoFrame, original: VideoFrame) -> VideoFrame:
    converted.pts, converted.time_base = original.pts, original.time_base
    return converted


def _rgba_frame(picture: Picture) -> VideoFrame:
    frame = VideoFrame(picture.width, picture.height, "rgba")
    plane, row = frame.planes[0], picture.width * 4
    if plane.line_size == row:
        plane.update(picture.rgba)
    else:  # rows padded for alignment
        padding = b"\0" * (plane.line_size - row)
        plane.update(b"".join(picture.rgba[i : i + row] + padding for i in range(0, len(picture.rgba), row)))
    return frame
