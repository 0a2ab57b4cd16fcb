"""Transcodes behind HLS sessions: (re)started on the `transcode` queue, heartbeat, stop, and the segment grid.

Every (re)start raises the session's `transcode_generation`; a running transcode that sees another
generation (a seek restarted it elsewhere), a stopped session, or a lost row stops itself. The web
process restarts a transcode whose heartbeat went silent (its worker died) on the next segment request.
"""

from __future__ import annotations

import logging
import os
import re
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.core import dispatch
from apps.libraries.containment import path_contained
from apps.media.models import MediaFile
from apps.playback.hls import encoders
from apps.playback.hls.writer import PLAYLIST, HlsPlan, TranscodeStopped, hls_write
from apps.playback.metrics import transcode_media_seconds, transcode_wall_seconds
from apps.playback.models import PlaybackSession
from apps.playback.plan.stored import plan_of, plan_rung
from apps.playback.subtitles.text import burnable_tracks

logger = logging.getLogger(__name__)

SEGMENT_SECONDS = 6
# Short first segments: a player shows the first picture after 2 s of video are encoded, not 6.
LEAD_SEGMENTS, LEAD_SECONDS = 3, 2
GRID = HlsPlan(segment_seconds=SEGMENT_SECONDS, lead_segments=LEAD_SEGMENTS, lead_seconds=LEAD_SECONDS)
# A transcode (re)started past the lead writes its first segment also as 1 s parts, from the part holding the
# moment asked for, so a player whose playlist names the parts (one asked from that moment on) shows a picture once
# that second is encoded, not the whole 6 s segment from its start.
PART_SECONDS = 1
PARTS = SEGMENT_SECONDS // PART_SECONDS
assert PARTS * PART_SECONDS == SEGMENT_SECONDS, "the parts of a segment must fill it exactly"
TAIL_SECONDS = 0.5
MAX_GRID_SECONDS = 7 * 24 * 3600  # a probed duration beyond a week is a broken file's, not a film's
HEARTBEAT_SECONDS = 1.0
# Between heartbeats, a cheap read: a transcode a seek replaced stops at once rather than in up to a second, taking
# the cores from the new one while it writes the part the player waits for.
STOP_CHECK_SECONDS = 0.2
# No heartbeat for this long: the worker is gone (killed, crashed, lost its task); the next request restarts it.
STALE_SECONDS = 20
# A segment this far past what the transcode has written is a seek: restart there rather than wait.
RESTART_AHEAD_SEGMENTS = 3
SEGMENT_NAME = re.compile(r"segment_(\d{5})\.ts$")
ACTIVE = (PlaybackSession.TranscodeState.QUEUED, PlaybackSession.TranscodeState.RUNNING)
LIVE = (PlaybackSession.State.PLAYING, PlaybackSession.State.PAUSED)


def session_dir(session: PlaybackSession) -> Path:
    """Where the session's HLS playlists and segments are written."""
    return Path(settings.TRANSCODE_DIR) / str(session.pk)


def segment_durations(duration: float) -> list[float]:
    """The transcode grid (GRID): three 2 s segments, then 6 s ones, the last one shorter; at least one.

    A tail under half a second is usually audio running past the last picture: the muxer cuts only at a
    keyframe, so no segment would ever start there. It is counted into the segment before.
    """
    duration = min(max(duration, 0.0), MAX_GRID_SECONDS)
    starts = [0.0]
    while GRID.segment_start(len(starts)) < duration - TAIL_SECONDS:
        starts.append(GRID.segment_start(len(starts)))
    ends = [*starts[1:], max(duration, starts[-1])]
    return [max(0.001, end - start) for start, end in zip(starts, ends, strict=True)]


def segment_at(seconds: float) -> int:
    """The segment of the transcode grid that holds this moment."""
    lead_end = GRID.segment_start(LEAD_SEGMENTS)
    if seconds < lead_end:
        return max(0, int(seconds // LEAD_SECONDS))
    return LEAD_SEGMENTS + int((seconds - lead_end) // SEGMENT_SECONDS)


def split_segment(start_segment: int, duration: float) -> int | None:
    """The segment a (re)start at `start_segment` also writes as parts: past the lead (already short), never the
    last one (its length is whatever is left)."""
    return start_segment if LEAD_SEGMENTS <= start_segment < len(segment_durations(duration)) - 1 else None


def grid_position(seconds: float, duration: float) -> tuple[int, int]:
    """Where a transcode (re)starts to show this moment first: its segment, and the part holding it when that
    segment is written as parts (else 0)."""
    segment = segment_at(seconds)
    if split_segment(segment, duration) is None:
        return segment, 0
    return segment, min(PARTS - 1, max(0, int((seconds - GRID.segment_start(segment)) // PART_SECONDS)))


def variant_dir(session: PlaybackSession, variant: str) -> Path:
    return session_dir(session) / variant


def segment_path(session: PlaybackSession, variant: str, number: int) -> Path:
    return variant_dir(session, variant) / f"segment_{number:05d}.ts"


def part_path(session: PlaybackSession, variant: str, number: int, part: int) -> Path:
    return variant_dir(session, variant) / f"segment_{number:05d}_{part}.ts"


def part_written(session: PlaybackSession, number: int, part: int) -> bool:
    """Whether the running transcode writes this part: it began at that segment, at or before that part."""
    return number == session.transcode_start_segment and session.transcode_start_part <= part


def transcode_plan(session: PlaybackSession) -> HlsPlan:
    """What the worker produces for this session: its stored plan, at the size and rate of its current variant."""
    plan = plan_of(session)
    video, audio = plan["video"], plan["audio"]
    transcode_video = video.get("action") == "transcode"
    rung = plan_rung(session, session.profile) or plan["ladder"][0]
    split = split_segment(session.transcode_start_segment, session.duration or 0) if transcode_video else None
    return HlsPlan(
        transcode_video=transcode_video,
        height=rung.get("height") if transcode_video else None,
        video_bitrate=int(rung.get("video_bitrate") or 2_800_000),
        transcode_audio=audio.get("action") == "transcode",
        audio_channels=min(int(audio.get("channels") or 2), 6),
        audio_stream=plan["audio_stream"],
        segment_seconds=SEGMENT_SECONDS,
        lead_segments=LEAD_SEGMENTS,
        lead_seconds=LEAD_SECONDS,
        encoder=session.encoder or "libx264",
        tone_map=(video.get("transfer") or "pq") if transcode_video and video.get("tone_map") else "",
        burn=_burn(session) if transcode_video and plan["burn"] else None,
        split_segment=split,
        split_part=session.transcode_start_part if split is not None else 0,
        parts=PARTS,
        part_seconds=PART_SECONDS,
    )


def _burn(session: PlaybackSession):
    """The subtitle track the plan burns into the picture, while the file still has it."""
    if not (session.subtitle and session.media_file_id):
        return None
    media_file = MediaFile.objects.filter(pk=session.media_file_id).prefetch_related("streams", "subtitles").first()
    return burnable_tracks(media_file).get(session.subtitle) if media_file else None


def segments_written(folder: Path) -> list[int]:
    """Numbers of the segments on disk (the muxer writes each under a temporary name, then renames it)."""
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return []
    return sorted(int(m.group(1)) for m in map(SEGMENT_NAME.match, names) if m)


@transaction.atomic
def transcode_restart(
    *, session: PlaybackSession, start_segment: int = 0, start_part: int = 0, variant: str | None = None
) -> int | None:
    """Start (or start again) the session's transcode at `start_segment` (from its part `start_part` when that
    segment is written as parts); returns the new generation."""
    row = PlaybackSession.objects.select_for_update().get(pk=session.pk)
    if row.state not in LIVE or row.method == PlaybackSession.Method.DIRECT:
        return None
    row.transcode_generation += 1
    row.transcode_start_segment = start_segment
    row.transcode_start_part = start_part if split_segment(start_segment, row.duration or 0) is not None else 0
    row.transcode_segments = 0
    row.transcode_state = PlaybackSession.TranscodeState.QUEUED
    row.transcode_heartbeat_at = timezone.now()
    row.transcode_error = ""
    if variant:
        row.profile = variant
    row.save(
        update_fields=[
            "transcode_generation",
            "transcode_start_segment",
            "transcode_start_part",
            "transcode_segments",
            "transcode_state",
            "transcode_heartbeat_at",
            "transcode_error",
            "profile",
        ]
    )
    generation = row.transcode_generation
    dispatch.task_enqueue("playback.transcode", args=(str(row.pk), generation))
    return generation


def transcode_alive(session: PlaybackSession, *, now=None) -> bool:
    now = now or timezone.now()
    beat = session.transcode_heartbeat_at
    return session.transcode_state in ACTIVE and beat is not None and now - beat < timedelta(seconds=STALE_SECONDS)


def transcode_run(*, session_id: str, generation: int) -> str:
    """The worker's side: write the session's segments until done, stopped or superseded."""
    now = timezone.now()
    # Queued, or running with a silent heartbeat (its worker died and the broker gave the task out again);
    # a task delivered twice while the first copy still runs finds the heartbeat fresh and leaves.
    waiting = Q(transcode_state=PlaybackSession.TranscodeState.QUEUED) | Q(
        transcode_state=PlaybackSession.TranscodeState.RUNNING,
        transcode_heartbeat_at__lt=now - timedelta(seconds=STALE_SECONDS),
    )
    claimed = (
        PlaybackSession.objects.filter(pk=session_id, transcode_generation=generation, state__in=LIVE)
        .filter(waiting)
        .update(transcode_state=PlaybackSession.TranscodeState.RUNNING, transcode_heartbeat_at=now)
    )
    if not claimed:
        return "superseded"  # a newer start, a stopped session, or a repeat of a task that already ran
    session = PlaybackSession.objects.select_related("media_file").get(pk=session_id)
    if session.media_file is None:
        _finish(session_id, generation, PlaybackSession.TranscodeState.FAILED, "the file left the library")
        return "failed"
    plan = transcode_plan(session)
    plan, encoder_note = encoders.usable_plan(plan, hwaccel=settings.HWACCEL)
    if encoder_note:
        PlaybackSession.objects.filter(pk=session_id).update(encoder=plan.encoder)
    folder = variant_dir(session, session.profile)
    start = session.transcode_start_segment if plan.transcode_video else 0
    beat = _Heartbeat(session_id, generation, folder, start, method=session.method)
    if not path_contained(path=session.media_file.path, library=session.media_file.library):
        # Checked again right before reading: the file may have been swapped for a link since the scan.
        _finish(session_id, generation, PlaybackSession.TranscodeState.FAILED, "the source file cannot be read")
        return "failed"
    try:
        hls_write(
            source=session.media_file.path,
            out_dir=folder,
            plan=plan,
            start_segment=start,
            should_stop=beat.should_stop,
        )
    except TranscodeStopped:
        return "stopped"
    except Exception as exc:  # a broken or vanished source: the session shows why, the worker goes on
        logger.warning("transcode of %s failed: %s", session.media_file.path, exc)
        _finish(session_id, generation, PlaybackSession.TranscodeState.FAILED, f"{type(exc).__name__}: {exc}")
        return "failed"
    beat.record()
    _finish(session_id, generation, PlaybackSession.TranscodeState.DONE, "")
    return "done"


def _finish(session_id: str, generation: int, state: str, error: str) -> None:
    PlaybackSession.objects.filter(pk=session_id, transcode_generation=generation, transcode_state__in=ACTIVE).update(
        transcode_state=state, transcode_error=error[:2000], transcode_heartbeat_at=timezone.now()
    )


class _Heartbeat:
    """Asked before every packet; once a second it records progress and learns whether to stop, and in between
    looks whether it should (a read by primary key)."""

    def __init__(self, session_id: str, generation: int, folder: Path, start: int, *, method: str = "") -> None:
        self.session_id, self.generation, self.folder, self.start = session_id, generation, folder, start
        self.next_at = self.check_at = 0.0
        self.stop = False
        # What the speed counters were told so far: segments written, and when.
        self.method, self.counted, self.counted_at = method or "transcode", 0, time.monotonic()

    def should_stop(self) -> bool:
        now = time.monotonic()
        if now >= self.next_at:
            self.next_at = now + HEARTBEAT_SECONDS
            self.stop = not self.record()
        elif now >= self.check_at:
            self.stop = not self._current().exists()
        else:
            return self.stop
        self.check_at = now + STOP_CHECK_SECONDS
        return self.stop

    def _current(self):
        return PlaybackSession.objects.filter(
            pk=self.session_id, transcode_generation=self.generation, state__in=LIVE, transcode_state__in=ACTIVE
        )

    def record(self) -> bool:
        done = [n for n in segments_written(self.folder) if n >= self.start]
        produced = (done[-1] + 1 - self.start) if done else 0
        self._count(produced)
        return bool(self._current().update(transcode_heartbeat_at=timezone.now(), transcode_segments=produced))

    def _count(self, produced: int) -> None:
        now = time.monotonic()
        if produced > self.counted:
            media = GRID.segment_start(self.start + produced) - GRID.segment_start(self.start + self.counted)
            transcode_media_seconds.labels(method=self.method).inc(media)
            self.counted = produced
        transcode_wall_seconds.labels(method=self.method).inc(now - self.counted_at)
        self.counted_at = now


def playlist_remux(session: PlaybackSession, variant: str) -> str | None:
    """The muxer's own playlist of a remux (its cuts follow the source's keyframes), or None before it exists."""
    try:
        return (variant_dir(session, variant) / PLAYLIST).read_text()
    except FileNotFoundError:
        return None
