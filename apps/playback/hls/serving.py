"""The web side of HLS: which session a URL's token opens, and waiting for (or restarting toward) a segment."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from apps.media.selectors import files_streamable_to
from apps.playback.hls.transcoding import (
    ACTIVE,
    PARTS,
    RESTART_AHEAD_SEGMENTS,
    grid_position,
    part_path,
    part_written,
    playlist_remux,
    segment_durations,
    segment_path,
    split_segment,
    transcode_alive,
    transcode_restart,
)
from apps.playback.models import PlaybackSession
from apps.playback.plan.stored import plan_of

SEGMENT_WAIT_SECONDS = 30
REMUX_PLAYLIST_WAIT_SECONDS = 15
POLL_SECONDS = 0.1


class SessionGone(Exception):
    """The session was stopped (by its user, idle, or a manager): the player is told why."""

    def __init__(self, session: PlaybackSession) -> None:
        reason = session.message or {"idle": "The stream was idle and was stopped."}.get(session.stop_reason, "")
        super().__init__(reason or "This playback session has ended; start a new one.")


class SegmentUnavailable(Exception):
    """The segment does not exist in this session, or the transcode failed before writing it."""


def session_for_token(token: str) -> PlaybackSession | None:
    """The session this HLS URL belongs to, while its user may still see the file; else None (a 404)."""
    session = PlaybackSession.objects.select_related("user", "media_file").filter(token=token).first()
    if session is None or session.media_file is None:
        return None
    # A grant revoked or a limit lowered mid-film ends access on the next request, by the same selector as any list.
    if not files_streamable_to(user=session.user).filter(pk=session.media_file_id).exists():
        return None
    if session.state == PlaybackSession.State.STOPPED:
        raise SessionGone(session)
    return session


@dataclass(frozen=True)
class Variant:
    """One rendition of the picture in the master playlist: its profile name, bit rate and size."""

    name: str
    bandwidth: int
    resolution: tuple[int, int] | None


def variants(session: PlaybackSession) -> list[Variant]:
    """The plan's ladder: the session's own variant first, then (for a transcode) each smaller profile."""
    found = []
    for rung in plan_of(session)["ladder"]:
        size = (rung["width"], rung["height"]) if rung.get("width") and rung.get("height") else None
        found.append(Variant(rung["name"], rung.get("bandwidth") or 1_000_000, size))
    return found


def variants_of(session: PlaybackSession) -> list[str]:
    """The names a segment or media playlist URL may use for this session."""
    return [variant.name for variant in variants(session)]


def segment_wait(*, session: PlaybackSession, variant: str, number: int, part: int | None = None) -> Path:
    """The segment's file (or a part of it) once written; a seek far ahead, a variant change or a dead worker
    restarts the transcode."""
    transcoded = session.method == PlaybackSession.Method.TRANSCODE
    if transcoded and not 0 <= number < len(segment_durations(session.duration or 0)):
        raise SegmentUnavailable(f"segment {number} is past the end of this stream")
    if part is not None and not (transcoded and 0 <= part < PARTS and split_segment(number, session.duration or 0)):
        raise SegmentUnavailable(f"segment {number} has no part {part}")
    if variant not in variants_of(session):
        raise SegmentUnavailable(f"this stream has no {variant} variant")
    path = segment_path(session, variant, number) if part is None else part_path(session, variant, number, part)
    deadline = time.monotonic() + SEGMENT_WAIT_SECONDS
    restarted, found = False, session.transcode_generation
    while True:
        if path.exists():
            return path
        session.refresh_from_db()
        if session.state == PlaybackSession.State.STOPPED:
            raise SessionGone(session)
        done = session.transcode_state == PlaybackSession.TranscodeState.DONE
        if done and (restarted or not transcoded) and not path.exists():
            raise SegmentUnavailable(f"segment {number} is not part of this stream")
        if session.transcode_state == PlaybackSession.TranscodeState.FAILED:
            raise SegmentUnavailable(f"the transcode failed: {session.transcode_error}")
        if not restarted and _needs_restart(session, variant, number, part):
            if session.transcode_generation != found and transcode_alive(session):
                # Started again elsewhere while this waited: the player seeked and dropped this request, but the
                # server does not see that. Pulling the transcode back here would undo the seek (and cost it a
                # restart); a player that still wants this segment asks again.
                raise SegmentUnavailable(f"segment {number}: the stream started again elsewhere; ask again")
            first = number if transcoded else 0
            transcode_restart(session=session, start_segment=first, start_part=part or 0, variant=variant)
            restarted = True
        if time.monotonic() > deadline:
            raise SegmentUnavailable(f"segment {number} is not ready yet; ask again")
        time.sleep(POLL_SECONDS)


def transcode_toward(*, session: PlaybackSession, variant: str, seconds: float) -> None:
    """A media playlist asked from a moment (the player's far seek): restart the transcode there now, a round trip
    before the player asks for the part holding it, unless the running transcode reaches it soon anyway."""
    if session.method != PlaybackSession.Method.TRANSCODE or variant not in variants_of(session):
        return
    number, part = grid_position(seconds, session.duration or 0)
    split = split_segment(number, session.duration or 0) is not None
    if _needs_restart(session, variant, number, part if split else None):
        transcode_restart(session=session, start_segment=number, start_part=part, variant=variant)


def _needs_restart(session: PlaybackSession, variant: str, number: int, part: int | None = None) -> bool:
    if session.transcode_state not in ACTIVE:
        return True  # nothing is writing it: the transcode ended after this segment's start (a seek back)
    if not transcode_alive(session, now=timezone.now()):
        return True  # the worker died: its heartbeat went silent
    if session.method != PlaybackSession.Method.TRANSCODE:
        return False  # a remux runs from the start at many times real time: wait for it
    if variant != session.profile:
        return True
    if part is not None:
        return not part_written(session, number, part)  # only a run started at the segment writes its parts
    if number == session.transcode_start_segment and session.transcode_start_part:
        return True  # begun at a later part of it: the whole segment is never written
    written_up_to = session.transcode_start_segment + session.transcode_segments
    return number < session.transcode_start_segment or number > written_up_to + RESTART_AHEAD_SEGMENTS


def playlist_remux_wait(*, session: PlaybackSession) -> str:
    """The remux's playlist: complete when it finishes soon (most do), else what is written so far."""
    deadline = time.monotonic() + REMUX_PLAYLIST_WAIT_SECONDS
    restarted = False
    while True:
        text = playlist_remux(session, session.profile)
        if text is not None and "#EXT-X-ENDLIST" in text:
            return text
        session.refresh_from_db()
        if session.state == PlaybackSession.State.STOPPED:
            raise SessionGone(session)
        if session.transcode_state == PlaybackSession.TranscodeState.FAILED:
            raise SegmentUnavailable(f"the remux failed: {session.transcode_error}")
        if not restarted and not transcode_alive(session) and session.transcode_state != "done":
            transcode_restart(session=session, start_segment=0)
            restarted = True
        if time.monotonic() > deadline and text is not None and "#EXTINF" in text:
            return text
        if time.monotonic() > deadline + SEGMENT_WAIT_SECONDS:
            raise SegmentUnavailable("the remux has not written anything yet; ask again")
        time.sleep(POLL_SECONDS)
