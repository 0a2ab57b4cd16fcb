"""Text subtitles as WebVTT for HLS: SRT, ASS/SSA and VTT sidecars, and text tracks inside the file.

Subtitle files are hostile input like any other: an unreadable cue is dropped, not the track; a file too
large to be subtitles is refused.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import av

from apps.libraries.containment import library_guard
from apps.media.languages import language_name, language_tag
from apps.media.models import MediaFile, MediaStream
from apps.playback.subtitles.bitmap import BITMAP_CODECS

SIDECAR_FORMATS = {"srt", "ass", "ssa", "vtt"}
EMBEDDED_TEXT_CODECS = {"subrip", "srt", "ass", "ssa", "webvtt", "mov_text", "text"}
MAX_BYTES = 20 * 1024 * 1024
MAX_CUES = 50_000
# Players line WebVTT cues up with the MPEG-TS clock; our segments keep the source's time from 0.
HEADER = "WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000\n"
_TIME = r"(\d{1,2}):(\d{2}):(\d{2})[,.](\d{1,3})"
SRT_TIMING = re.compile(rf"{_TIME}\s*-->\s*{_TIME}")
ASS_TIME = re.compile(r"(\d+):(\d{2}):(\d{2})[.,](\d{1,3})")
ASS_OVERRIDE = re.compile(r"\{[^}]*\}")
TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class BurnIn:
    """Which track to burn into the picture: a text track (file and format) or a bitmap stream of a file."""

    path: str
    stream_index: int | None = None
    format: str = ""
    bitmap: bool = False


class SubtitleUnavailable(Exception):
    """The track cannot be turned into WebVTT (gone, too large, not text)."""


@dataclass(frozen=True)
class TextTrack:
    key: str  # "s<id>" for a sidecar, "e<stream index>" for a track inside the file
    name: str
    language: str
    forced: bool
    default: bool
    path: str
    stream_index: int | None = None
    format: str = ""


def text_tracks(media_file: MediaFile) -> list[TextTrack]:
    """The file's text subtitles that HLS players can show as WebVTT renditions (only files inside the library)."""
    contained = library_guard(library=media_file.library)
    tracks = [
        TextTrack(
            key=f"s{sub.pk}",
            name=sub.title or _label(sub.language, sub.forced, sub.sdh),
            language=language_tag(sub.language),
            forced=sub.forced,
            default=sub.default,
            path=sub.path,
            format=sub.format.lower(),
        )
        for sub in media_file.subtitles.all()
        if sub.format.lower() in SIDECAR_FORMATS and contained(sub.path)
    ]
    if not contained(media_file.path):
        return tracks
    for stream in media_file.streams.all():
        if stream.type == MediaStream.Type.SUBTITLE and stream.codec in EMBEDDED_TEXT_CODECS:
            tracks.append(
                TextTrack(
                    key=f"e{stream.index}",
                    name=stream.title or _label(stream.language, stream.forced, False),
                    language=language_tag(stream.language),
                    forced=stream.forced,
                    default=stream.default,
                    path=media_file.path,
                    stream_index=stream.index,
                    format=stream.codec,
                )
            )
    return tracks


def burnable_tracks(media_file: MediaFile) -> dict[str, BurnIn]:
    """Every subtitle that can be burned into the picture, by key: the text tracks and the bitmap ones."""
    found = {t.key: BurnIn(path=t.path, stream_index=t.stream_index, format=t.format) for t in text_tracks(media_file)}
    contained = library_guard(library=media_file.library)
    for sub in media_file.subtitles.all():
        # PGS files and VobSub pairs, read through their demuxers.
        if sub.format.lower() in ("sup", "idx") and contained(sub.path):
            found[f"s{sub.pk}"] = BurnIn(path=sub.path, stream_index=0, format=sub.format.lower(), bitmap=True)
    for stream in media_file.streams.all():
        if stream.type == MediaStream.Type.SUBTITLE and stream.codec in BITMAP_CODECS:
            found[f"e{stream.index}"] = BurnIn(
                path=media_file.path, stream_index=stream.index, format=stream.codec, bitmap=True
            )
    return found


def _label(language: str, forced: bool, sdh: bool) -> str:
    name = language_name(language) or language or "Unknown"
    return name + (" (forced)" if forced else "") + (" (SDH)" if sdh else "")


def cues_of(track: TextTrack) -> list[tuple[float, float, str]]:
    """(start, end, text) of every readable cue, in order; the text keeps its tags and line breaks."""
    if track.stream_index is not None:
        return _embedded_cues(track)[:MAX_CUES]
    text = _read(Path(track.path))
    return (_ass_cues(text) if track.format in ("ass", "ssa") else _srt_cues(text))[:MAX_CUES]


def plain_text(text: str) -> str:
    """A cue's words without markup, for drawing."""
    return "\n".join(line.strip() for line in html.unescape(TAG.sub("", text)).splitlines() if line.strip())


def webvtt(track: TextTrack) -> str:
    """The whole track as a WebVTT document."""
    body = [f"{_stamp(start)} --> {_stamp(end)}\n{_cue_text(text)}" for start, end, text in cues_of(track)]
    return HEADER + "\n" + "\n\n".join(body) + ("\n" if body else "")


def _read(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise SubtitleUnavailable(f"{path.name} is too large to be a subtitle file")
        raw = path.read_bytes()
    except OSError as exc:
        raise SubtitleUnavailable(f"{path.name} cannot be read ({exc.strerror or exc})") from exc
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _seconds(hours: str, minutes: str, seconds: str, fraction: str) -> float:
    return int(hours) * 3600 + int(minutes) * 60 + int(seconds) + int(fraction.ljust(3, "0")[:3]) / 1000


def _srt_cues(text: str) -> list[tuple[float, float, str]]:
    """SRT and VTT: a timing line, then text up to a blank line; anything else is skipped."""
    cues = []
    for block in re.split(r"\r?\n\s*\r?\n", text.replace("\r\n", "\n")):
        lines = block.strip("\n").split("\n")
        for i, line in enumerate(lines):
            timing = SRT_TIMING.search(line)
            if timing:
                start, end = _seconds(*timing.groups()[:4]), _seconds(*timing.groups()[4:])
                words = "\n".join(lines[i + 1 :]).strip()
                if words and end > start:
                    cues.append((start, end, words))
                break
    return sorted(cues)


def _ass_cues(text: str) -> list[tuple[float, float, str]]:
    """ASS/SSA: Dialogue lines of [Events] by their Format line; styling overrides are dropped."""
    fields = ["layer", "start", "end", "style", "name", "marginl", "marginr", "marginv", "effect", "text"]
    cues = []
    for line in text.splitlines():
        if line.lower().startswith("format:") and "text" in line.lower():
            fields = [f.strip().lower() for f in line.split(":", 1)[1].split(",")]
        if not line.startswith("Dialogue:"):
            continue
        values = line.split(":", 1)[1].split(",", len(fields) - 1)
        if len(values) != len(fields) or "start" not in fields:
            continue
        row = dict(zip(fields, values, strict=True))
        start, end = ASS_TIME.search(row.get("start", "")), ASS_TIME.search(row.get("end", ""))
        if not (start and end):
            continue
        words = _ass_text(row.get("text", ""))
        if words and _seconds(*end.groups()) > _seconds(*start.groups()):
            cues.append((_seconds(*start.groups()), _seconds(*end.groups()), words))
    return sorted(cues)


def _ass_text(raw: str) -> str:
    return ASS_OVERRIDE.sub("", raw).replace("\\N", "\n").replace("\\n", "\n").replace("\\h", " ").strip()


def _embedded_cues(track: TextTrack) -> list[tuple[float, float, str]]:
    cues = []
    try:
        with av.open(track.path) as container:
            stream = next((s for s in container.streams if s.index == track.stream_index), None)
            if stream is None:
                raise SubtitleUnavailable(f"the file has no stream {track.stream_index} any more")
            for packet in container.demux(stream):
                if packet.pts is None or not packet.size:
                    continue
                start = float(packet.pts * packet.time_base)
                end = start + float((packet.duration or 0) * packet.time_base or 2)
                words = _packet_text(bytes(packet), track.format)
                if words:
                    cues.append((start, end, words))
                if len(cues) >= MAX_CUES:
                    break
    except av.FFmpegError as exc:
        raise SubtitleUnavailable(f"the subtitle track cannot be read ({exc})") from exc
    return sorted(cues)


def _packet_text(data: bytes, codec: str) -> str:
    if codec == "mov_text":
        length = int.from_bytes(data[:2], "big")
        data = data[2 : 2 + length]
    text = data.decode("utf-8", errors="replace")
    if codec in ("ass", "ssa"):
        # Matroska keeps "ReadOrder,Layer,Style,Name,MarginL,MarginR,MarginV,Effect,Text" in each packet.
        text = _ass_text(text.split(",", 8)[-1])
    return text.strip()


def _stamp(seconds: float) -> str:
    millis = max(0, round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def _cue_text(text: str) -> str:
    # Tags come from the file: keep none (they could be anything), and nothing that ends a cue early.
    return html.escape(plain_text(text).replace("-->", "→"), quote=False) or " "
