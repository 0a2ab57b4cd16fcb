"""Reading the plan a session stored: its ladder and its audio track, for the worker and the master playlist.

Sessions started before the plan held these (an upgrade mid-film) get their one decided variant and the
file's first audio stream, as they were sent then.
"""

from __future__ import annotations

from apps.media.models import MediaStream


def plan_ladder(session) -> list[dict]:
    """The session's variants, the decided one first."""
    stored = session.decision.get("ladder")
    if stored:
        return stored
    video = session.decision.get("video", {})
    name = session.decision.get("profile", session.profile)
    only = {"name": name, "width": session.width, "height": session.height, "bandwidth": session.bitrate}
    return [{**only, "video_bitrate": video.get("bitrate")}]


def plan_rung(session, name: str) -> dict | None:
    return next((rung for rung in plan_ladder(session) if rung["name"] == name), None)


def plan_audio_stream(session) -> int | None:
    """The sound's stream index in the file; None for a file without sound (and for sessions from before plans)."""
    return session.decision.get("audio_stream")


def plan_audio_track(session) -> MediaStream | None:
    """The audio stream the plan sends (for its name and language in the master playlist)."""
    if session.media_file_id is None:
        return None
    audios = MediaStream.objects.filter(file_id=session.media_file_id, type=MediaStream.Type.AUDIO).order_by("index")
    index = plan_audio_stream(session)
    return audios.first() if index is None else audios.filter(index=index).first()
