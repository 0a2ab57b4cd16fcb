"""The profile ladder: the variants a master playlist lists, the decided one first, then each smaller profile."""

from __future__ import annotations

from apps.media.models import MediaFile, MediaStream
from apps.playback.plan.profiles import AUDIO_BITRATE, PROFILES

DIRECT, REMUX, TRANSCODE = "direct", "remux", "transcode"


def _size(video: MediaStream | None, height: int | None) -> tuple[int | None, int | None]:
    if not (video and video.width and video.height and height):
        return None, height
    return round(video.width * height / video.height), height


def ladder_build(
    *, method: str, profile: str, video_plan: dict, video: MediaStream | None, media_file: MediaFile
) -> list[dict]:
    """Rungs of name, size, video rate and bandwidth; only a transcode with a known size gets smaller ones,
    each no larger and no faster than the decided one, so players that adapt can only step down."""
    width, height = _size(video, video_plan.get("height") or (video.height if video else None))
    rate = video_plan.get("bitrate")
    first = {
        "name": profile,
        "width": width,
        "height": height,
        "video_bitrate": rate,
        "bandwidth": rate + AUDIO_BITRATE if method == TRANSCODE else media_file.bitrate,
    }
    if method != TRANSCODE or width is None or height is None:
        return [first]
    names = [name for name, _, _ in PROFILES]
    rungs = [first]
    for name, rung_height, rung_rate in PROFILES[names.index(profile) + 1 :] if profile in names else ():
        if rung_height < height:
            rung_rate = min(rung_rate, rate)
            rung = {"name": name, "width": max(2, round(width * rung_height / height / 2) * 2), "height": rung_height}
            rungs.append({**rung, "video_bitrate": rung_rate, "bandwidth": rung_rate + AUDIO_BITRATE})
    return rungs
