"""What clients play (device profiles, capabilities) and what we can send them (transcode profiles)."""

from __future__ import annotations

from dataclasses import dataclass, field

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
