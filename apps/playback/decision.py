"""The playback decision: direct play, remux into HLS, or transcode — and why, stream by stream."""

from __future__ import annotations

from dataclasses import dataclass, field

from apps.media.models import MediaFile, MediaStream

# Transcode profiles, best first: (name, height, video bits per second).
PROFILES = (("1080p", 1080, 5_000_000), ("720p", 720, 2_800_000), ("480p", 480, 1_400_000))
AUDIO_BITRATE = 192_000

# Containers as probed (ffmpeg names) -> the names clients use.
CONTAINER_NAMES = {
    "matroska,webm": "mkv",
    "matroska": "mkv",
    "mov,mp4,m4a,3gp,3g2,mj2": "mp4",
    "avi": "avi",
    "mpegts": "ts",
    "webm": "webm",
}

# What well-known clients play without help.
DEVICE_PROFILES: dict[str, dict] = {
    "browser": {
        "containers": ["mp4", "webm"],
        "video_codecs": ["h264", "vp9", "av1"],
        "audio_codecs": ["aac", "mp3", "opus", "flac"],
        "hdr": False,
        "max_audio_channels": 2,
    },
    "apple": {
        "containers": ["mp4", "mov"],
        "video_codecs": ["h264", "hevc"],
        "audio_codecs": ["aac", "ac3", "eac3", "alac", "mp3"],
        "hdr": True,
    },
    "android": {
        "containers": ["mp4", "mkv", "webm"],
        "video_codecs": ["h264", "hevc", "vp9", "av1"],
        "audio_codecs": ["aac", "mp3", "opus", "ac3", "eac3", "flac", "vorbis"],
        "hdr": True,
    },
    "kodi": {
        "containers": ["mkv", "mp4", "avi", "ts", "webm", "mov"],
        "video_codecs": ["h264", "hevc", "mpeg4", "mpeg2video", "vc1", "vp9", "av1"],
        "audio_codecs": ["aac", "ac3", "eac3", "dts", "truehd", "flac", "mp3", "opus", "vorbis", "mp2", "pcm_s16le"],
        "hdr": True,
    },
}


@dataclass
class Capabilities:
    """What the client can play, from a device profile and/or query parameters."""

    containers: list[str] = field(default_factory=lambda: list(DEVICE_PROFILES["browser"]["containers"]))
    video_codecs: list[str] = field(default_factory=lambda: list(DEVICE_PROFILES["browser"]["video_codecs"]))
    audio_codecs: list[str] = field(default_factory=lambda: list(DEVICE_PROFILES["browser"]["audio_codecs"]))
    max_height: int | None = None
    max_bitrate: int | None = None
    max_audio_channels: int | None = None
    hdr: bool = False


@dataclass
class Decision:
    method: str  # "direct", "remux" or "transcode"
    profile: str  # "original" or one of PROFILES
    container: str  # what is sent: the file's own container, or "hls"
    video: dict
    audio: dict
    reasons: list[str]


def _limit(*values: int | None) -> int | None:
    present = [v for v in values if v]
    return min(present) if present else None


def decide(
    *,
    media_file: MediaFile,
    client: Capabilities,
    role_max_height: int = 0,
    role_max_bitrate: int = 0,
    audio_index: int | None = None,
    profile: str | None = None,
    burn_subtitles: bool = False,
) -> Decision:
    """Direct play when the client plays the file as it is within every limit; remux when only the
    container is wrong (audio may still be converted); otherwise transcode to the best profile that
    fits, never above the source's height; HDR becomes SDR for clients that cannot show it.
    """
    streams = list(media_file.streams.all())
    video = next((s for s in streams if s.type == MediaStream.Type.VIDEO), None)
    audios = [s for s in streams if s.type == MediaStream.Type.AUDIO]
    audio = (
        next((s for s in audios if s.index == audio_index), None)
        or next((s for s in audios if s.default), None)
        or next(iter(audios), None)
    )
    max_height = _limit(client.max_height, role_max_height)
    max_bitrate = _limit(client.max_bitrate, role_max_bitrate * 1000 if role_max_bitrate else None)
    reasons: list[str] = []
    chosen = next((p for p in PROFILES if p[0] == profile), None)
    if chosen is not None:
        # A profile the client picked is one more limit: it never raises the others, and never upscales.
        max_height, max_bitrate = _limit(max_height, chosen[1]), _limit(max_bitrate, chosen[2] + AUDIO_BITRATE)
        reasons.append(f"the client asked for {chosen[0]}")
    container = CONTAINER_NAMES.get(media_file.container, media_file.container.split(",")[0] or "unknown")

    video_ok = True
    if video is not None:
        if video.codec not in client.video_codecs:
            video_ok = False
            reasons.append(f"video codec {video.codec} is not one the client plays ({', '.join(client.video_codecs)})")
        if max_height and (video.height or 0) > max_height:
            video_ok = False
            reasons.append(f"video height {video.height} is above the limit of {max_height}")
        if video.hdr and video.hdr != MediaStream.Hdr.SDR and not client.hdr:
            video_ok = False
            reasons.append(f"{video.hdr} video on a client that cannot show HDR: tone mapping to SDR")
        if burn_subtitles:
            video_ok = False
            reasons.append("subtitles are burned into the picture")
    if max_bitrate and (media_file.bitrate or 0) > max_bitrate:
        video_ok = False
        reasons.append(f"bitrate {media_file.bitrate} b/s is above the limit of {max_bitrate} b/s")

    audio_ok = True
    if audio is not None:
        if audio.codec not in client.audio_codecs:
            audio_ok = False
            reasons.append(f"audio codec {audio.codec} is not one the client plays: AAC instead")
        if client.max_audio_channels and (audio.channels or 0) > client.max_audio_channels:
            audio_ok = False
            reasons.append(f"{audio.channels} audio channels: downmixed to {client.max_audio_channels}")
    audio_plan = {"action": "copy" if audio_ok else "transcode", "codec": audio.codec if audio else None}
    if not audio_ok:
        audio_plan.update(codec="aac", channels=min(audio.channels or 2, client.max_audio_channels or 2))
        audio_plan["bitrate"] = AUDIO_BITRATE

    if video_ok and audio_ok and container in client.containers:
        reasons.append("the client plays the file as it is")
        return Decision(
            "direct", "original", container, {"action": "copy", "codec": video and video.codec}, audio_plan, reasons
        )
    if video_ok:
        reasons.append(f"container {container} is not one the client plays: streams copied into HLS")
        return Decision(
            "remux", "original", "hls", {"action": "copy", "codec": video and video.codec}, audio_plan, reasons
        )
    source_height = (video.height if video else 0) or PROFILES[0][1]
    name, height, bitrate = _profile_for(source_height, max_height, max_bitrate)
    target_height = min(height, source_height)  # never upscale
    if max_bitrate:
        bitrate = max(200_000, min(bitrate, max_bitrate - AUDIO_BITRATE))
    plan = {"action": "transcode", "codec": "h264", "height": target_height, "bitrate": bitrate}
    if video is not None and video.hdr and video.hdr != MediaStream.Hdr.SDR and not client.hdr:
        plan["tone_map"] = True
        plan["transfer"] = "hlg" if video.hdr == MediaStream.Hdr.HLG else "pq"  # DV and HDR10+ are PQ
    reasons.append(f"transcoding to {name} (H.264, {bitrate // 1000} kb/s, {target_height} lines)")
    return Decision("transcode", name, "hls", plan, audio_plan, reasons)


def _profile_for(source_height: int, max_height: int | None, max_bitrate: int | None) -> tuple[str, int, int]:
    """The best profile within the limits and not far above the source (the smallest one at worst)."""
    for name, height, bitrate in PROFILES:
        fits = (not max_height or height <= max_height) and (not max_bitrate or bitrate + AUDIO_BITRATE <= max_bitrate)
        if fits and height <= max(source_height, PROFILES[-1][1]):
            return name, height, bitrate
    return PROFILES[-1]
