"""The audio verdict: the sound copied as it is, or encoded to AAC (another codec, fewer channels, or with the
picture of a transcode, which is cut on our own grid so its sound must be encoded with it)."""

from __future__ import annotations

from apps.media.models import MediaStream
from apps.playback.plan.profiles import AUDIO_BITRATE, Capabilities


def audio_channels_max(client: Capabilities, *, downmix: bool) -> int | None:
    return 2 if downmix else client.max_audio_channels


def audio_verdict(*, audio: MediaStream | None, client: Capabilities, downmix: bool, reasons: list) -> dict:
    """Copy when the client plays the codec within its channel limit (stereo when a downmix is asked for)."""
    if audio is None:
        return {"action": "copy", "codec": None}
    problems = []
    if audio.codec not in client.audio_codecs:
        problems.append(f"audio codec {audio.codec} is not one the client plays: AAC instead")
    most = audio_channels_max(client, downmix=downmix)
    if most and (audio.channels or 0) > most:
        problems.append(f"{audio.channels} audio channels: downmixed to {most}")
    reasons.extend(problems)
    return audio_encoded(audio, most) if problems else {"action": "copy", "codec": audio.codec}


def audio_encoded(audio: MediaStream, most: int | None) -> dict:
    return {
        "action": "transcode",
        "codec": "aac",
        "channels": min(audio.channels or 2, most or 2),
        "bitrate": AUDIO_BITRATE,
    }


def audio_with_transcoded_video(
    *, audio: MediaStream | None, verdict: dict, client: Capabilities, downmix: bool, reasons: list
) -> dict:
    """A transcoded picture takes its sound with it: AAC, even when the source's sound could have been copied."""
    if audio is None or verdict["action"] == "transcode":
        return verdict
    reasons.append("the sound is encoded with the transcoded picture: AAC")
    return audio_encoded(audio, audio_channels_max(client, downmix=downmix))
