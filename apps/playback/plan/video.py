"""The video verdict: whether the picture can be sent as it is, and if not, what it is transcoded to."""

from __future__ import annotations

from apps.media.models import MediaFile, MediaStream
from apps.playback.plan.limits import Limits
from apps.playback.plan.profiles import AUDIO_BITRATE, PROFILES, Capabilities

MIN_VIDEO_BITRATE = 200_000


def _is_hdr(video: MediaStream | None) -> bool:
    return bool(video is not None and video.hdr and video.hdr != MediaStream.Hdr.SDR)


def video_playable(
    *, video: MediaStream | None, media_file: MediaFile, client: Capabilities, limits: Limits, burn: bool, reasons: list
) -> bool:
    """True when the picture may be copied: a codec the client plays, within every limit, nothing drawn on it."""
    problems = []
    if video is not None:
        if video.codec not in client.video_codecs:
            problems.append(f"video codec {video.codec} is not one the client plays ({', '.join(client.video_codecs)})")
        if limits.max_height and (video.height or 0) > limits.max_height:
            problems.append(f"video height {video.height} is above the limit of {limits.max_height}")
        if _is_hdr(video) and not client.hdr:
            problems.append(f"{video.hdr} video on a client that cannot show HDR: tone mapping to SDR")
        if burn:
            problems.append("subtitles are burned into the picture")
    if limits.max_bitrate and (media_file.bitrate or 0) > limits.max_bitrate:
        problems.append(f"bitrate {media_file.bitrate} b/s is above the limit of {limits.max_bitrate} b/s")
    reasons.extend(problems)
    return not problems


def video_copied(video: MediaStream | None) -> dict:
    return {"action": "copy", "codec": video and video.codec}


def video_transcoded(
    *, video: MediaStream | None, client: Capabilities, limits: Limits, reasons: list
) -> tuple[str, dict]:
    """The best profile that fits, never above the source's height; HDR becomes SDR for clients without it."""
    source_height = (video.height if video else 0) or PROFILES[0][1]
    name, height, bitrate = profile_for(source_height, limits)
    target_height = min(height, source_height)  # never upscale
    if limits.max_bitrate:
        bitrate = max(MIN_VIDEO_BITRATE, min(bitrate, limits.max_bitrate - AUDIO_BITRATE))
    plan = {"action": "transcode", "codec": "h264", "height": target_height, "bitrate": bitrate}
    if _is_hdr(video) and not client.hdr:
        plan["tone_map"] = True
        plan["transfer"] = "hlg" if video.hdr == MediaStream.Hdr.HLG else "pq"  # DV and HDR10+ are PQ
    reasons.append(f"transcoding to {name} (H.264, {bitrate // 1000} kb/s, {target_height} lines)")
    return name, plan


def profile_for(source_height: int, limits: Limits) -> tuple[str, int, int]:
    """The best profile within the limits and not far above the source (the smallest one at worst)."""
    for name, height, bitrate in PROFILES:
        fits = (not limits.max_height or height <= limits.max_height) and (
            not limits.max_bitrate or bitrate + AUDIO_BITRATE <= limits.max_bitrate
        )
        if fits and height <= max(source_height, PROFILES[-1][1]):
            return name, height, bitrate
    return PROFILES[-1]
