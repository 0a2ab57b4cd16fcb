"""The playback plan: direct play, remux into HLS, or transcode, and why; resolved once from small verdicts.

Everything that sends the file (the session, the transcode worker, the master playlist) reads this plan:
which audio track, whether the subtitle is burned in, how the sound is converted, and the variant ladder.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from apps.media.models import MediaFile
from apps.playback.plan import audio as audio_verdicts
from apps.playback.plan import video as video_verdicts
from apps.playback.plan.ladder import DIRECT, REMUX, TRANSCODE, ladder_build
from apps.playback.plan.limits import limits_for
from apps.playback.plan.profiles import CONTAINER_NAMES, Capabilities
from apps.playback.plan.subtitles import subtitle_burned
from apps.playback.plan.tracks import track_audio, track_video


@dataclass
class Plan:
    method: str  # "direct", "remux" or "transcode"
    profile: str  # "original" or one of PROFILES
    container: str  # what is sent: the file's own container, or "hls"
    video: dict
    audio: dict
    reasons: list[str]
    audio_stream: int | None = None  # the sound's stream index in the file; None: the file has none
    burn: bool = False
    downmix: bool = False
    ladder: list[dict] = dataclasses.field(default_factory=list)

    def stored(self, *, file_id: int) -> dict:
        """The plan as a session keeps it (JSON)."""
        return {**dataclasses.asdict(self), "file": file_id}


def container_name(media_file: MediaFile) -> str:
    return CONTAINER_NAMES.get(media_file.container, media_file.container.split(",")[0] or "unknown")


def plan_decide(
    *,
    media_file: MediaFile,
    client: Capabilities,
    role_max_height: int = 0,
    role_max_bitrate: int = 0,
    audio_index: int | None = None,
    profile: str | None = None,
    subtitle: str = "",
    burn_subtitles: bool = False,
    downmix: bool = False,
) -> Plan:
    """Direct play when the client plays the file as it is within every limit; remux when only the
    container is wrong (audio may still be converted); otherwise transcode to the best profile that fits."""
    streams = list(media_file.streams.all())
    video, audio = track_video(streams), track_audio(streams, index=audio_index)
    burn = subtitle_burned(media_file, subtitle=subtitle, burn=burn_subtitles)
    reasons: list[str] = []
    limits = limits_for(
        client=client,
        role_max_height=role_max_height,
        role_max_bitrate=role_max_bitrate,
        profile=profile,
        reasons=reasons,
    )
    video_ok = video_verdicts.video_playable(
        video=video, media_file=media_file, client=client, limits=limits, burn=burn, reasons=reasons
    )
    sound = audio_verdicts.audio_verdict(audio=audio, client=client, downmix=downmix, reasons=reasons)
    method, name, container = _method(video_ok, sound, container_name(media_file), client, reasons)
    picture = video_verdicts.video_copied(video)
    if method == TRANSCODE:
        name, picture = video_verdicts.video_transcoded(video=video, client=client, limits=limits, reasons=reasons)
        sound = audio_verdicts.audio_with_transcoded_video(
            audio=audio, verdict=sound, client=client, downmix=downmix, reasons=reasons
        )
    return Plan(
        method=method,
        profile=name,
        container=container,
        video=picture,
        audio=sound,
        reasons=reasons,
        audio_stream=None if audio is None else audio.index,
        burn=burn,
        downmix=downmix,
        ladder=ladder_build(method=method, profile=name, video_plan=picture, video=video, media_file=media_file),
    )


def _method(video_ok: bool, sound: dict, container: str, client: Capabilities, reasons: list) -> tuple[str, str, str]:
    if video_ok and sound["action"] == "copy" and container in client.containers:
        reasons.append("the client plays the file as it is")
        return DIRECT, "original", container
    if video_ok:
        reasons.append(f"container {container} is not one the client plays: streams copied into HLS")
        return REMUX, "original", "hls"
    return TRANSCODE, "", "hls"
