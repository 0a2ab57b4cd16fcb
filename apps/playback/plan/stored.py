"""Reading the plan a session stored, for the worker and the master playlist.

A session started before plans held the audio track, burn-in and ladder (an upgrade mid-film) is completed
here, once, as it was sent then: the file's first audio stream, its one decided variant, and the sound
encoded when the picture was or a downmix was asked for.
"""

from __future__ import annotations

from apps.media.models import MediaStream


def plan_of(session) -> dict:
    """The session's plan: method, profile, video, audio, audio_stream, burn, downmix, ladder, reasons."""
    plan = session.decision
    return plan if "ladder" in plan else _completed(session, plan)


def _completed(session, plan: dict) -> dict:
    video, audio = plan.get("video", {}), dict(plan.get("audio", {}))
    if audio.get("codec") and (video.get("action") == "transcode" or session.downmix):
        channels = 2 if session.downmix else min(int(audio.get("channels") or 2), 6)
        audio.update(action="transcode", codec="aac", channels=channels)
    rung = {"name": plan.get("profile", session.profile), "width": session.width, "height": session.height}
    rung.update(video_bitrate=video.get("bitrate"), bandwidth=session.bitrate)
    extra = {"audio_stream": None, "burn": session.burn_subtitles, "downmix": session.downmix, "ladder": [rung]}
    return {**plan, "audio": audio, **extra}


def plan_rung(session, name: str) -> dict | None:
    return next((rung for rung in plan_of(session)["ladder"] if rung["name"] == name), None)


def plan_audio_track(session) -> MediaStream | None:
    """The audio stream the plan sends (for its name and language in the master playlist)."""
    if session.media_file_id is None:
        return None
    audios = MediaStream.objects.filter(file_id=session.media_file_id, type=MediaStream.Type.AUDIO).order_by("index")
    index = plan_of(session)["audio_stream"]
    return audios.first() if index is None else audios.filter(index=index).first()
