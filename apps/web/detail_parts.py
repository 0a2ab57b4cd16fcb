"""What a detail page shows of files, tracks, people and times, in words a viewer reads."""

from __future__ import annotations

from apps.media.api.catalogue_filters import RESOLUTIONS
from apps.media.api.people_serializers import cast_and_crew
from apps.media.images import images_payload
from apps.media.languages import language_name
from apps.media.models import MediaFile, MediaStream
from apps.web.cards import PROFILE, card, title_url

CHANNELS = {1: "Mono", 2: "Stereo", 6: "5.1", 8: "7.1"}
CAST_SHOWN = 20


def runtime_text(minutes: int | None) -> str:
    """Minutes as hours and minutes, 112 → "1:52"."""
    if not minutes:
        return ""
    return f"{minutes // 60}:{minutes % 60:02d}"


def clock(seconds: float | None) -> str:
    """A position as the player shows it: "41:10", or "1:02:03" past an hour."""
    total = int(seconds or 0)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def resolution_of(stream: MediaStream) -> str:
    for name in RESOLUTIONS:  # largest first, as the filter's buckets are
        if _in_bucket(name, stream.width or 0, stream.height or 0):
            return name
    return ""


def _in_bucket(name: str, width: int, height: int) -> bool:
    # The same bounds as the API's resolution filter, on one stream's numbers.
    bounds = {
        "2160p": height >= 1600 or width >= 3200,
        "1440p": 1200 <= height < 1600 and width < 3200,
        "1080p": (height >= 900 or width >= 1800) and height < 1200 and width < 2400,
        "720p": (height >= 600 or width >= 1200) and height < 900 and width < 1800,
        "576p": 500 <= height < 600 and width < 1200,
        "480p": height < 500 and width < 1200,
    }
    return bounds[name]


def _language(code: str) -> str:
    return language_name(code) or code or "Unknown language"


def audio_text(stream: MediaStream) -> str:
    channels = CHANNELS.get(stream.channels or 0, f"{stream.channels} channels" if stream.channels else "")
    parts = [_language(stream.language), (stream.codec or "").upper(), channels, stream.title]
    return " · ".join(p for p in parts if p) + (" (default)" if stream.default else "")


def subtitle_text(*, language: str, codec: str, forced: bool, sdh: bool, external: bool) -> str:
    notes = [n for n, on in (("forced", forced), ("SDH", sdh), ("external file", external)) if on]
    parts = [_language(language), codec.upper()]
    return " · ".join(p for p in parts if p) + (f" ({', '.join(notes)})" if notes else "")


def file_version(file: MediaFile, number: int) -> dict:
    """A file of a title as a version: its name, video line, audio and subtitle tracks."""
    streams = list(file.streams.all())
    video = next((s for s in streams if s.type == MediaStream.Type.VIDEO), None)
    video_line = ""
    if video is not None:
        parts = [resolution_of(video), (video.codec or "").upper(), video.hdr if video.hdr not in ("", "SDR") else ""]
        video_line = " · ".join(p for p in parts if p)
    subtitles = [
        subtitle_text(language=s.language, codec=s.codec, forced=s.forced, sdh=False, external=False)
        for s in streams
        if s.type == MediaStream.Type.SUBTITLE
    ]
    subtitles += [
        subtitle_text(language=s.language, codec=s.format, forced=s.forced, sdh=s.sdh, external=True)
        for s in file.subtitles.all()
    ]
    label = file.version or (f"Part {file.part}" if file.part else "") or video_line or f"Version {number}"
    return {
        "id": file.pk,
        "label": label,
        "video": video_line,
        "duration": clock(file.duration) if file.duration else "",
        "audio": [audio_text(s) for s in streams if s.type == MediaStream.Type.AUDIO],
        "subtitles": subtitles,
    }


def cast_cards(credits) -> tuple[list[dict], list[dict]]:
    """The title's cast as person cards (photo, character) and its makers (director, writers) as name lines."""
    cast, crew = cast_and_crew(credits)
    cards = [
        card(
            title=c.person.name,
            href=title_url("person", c.person_id),
            image=images_payload(c.person.artwork.all()).get("profile"),
            sub=c.character,
            size=PROFILE,
        )
        for c in cast[:CAST_SHOWN]
    ]
    makers = [
        {"name": c.person.name, "job": c.job, "href": title_url("person", c.person_id)}
        for c in crew
        if c.job == "Director" or c.department == "Writing"
    ][:6]
    return cards, makers
