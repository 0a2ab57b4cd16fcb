"""Now playing: one card per live session the operator may see, and the totals (streams, transcodes, bandwidth)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, Sum

from apps.console.panels.posters import posters_of
from apps.media.models import MediaStream
from apps.playback.models import PlaybackSession
from apps.playback.selectors import may_terminate_any, sessions_live, sessions_visible_to

CARDS = 50  # more live streams than this is a cinema, not a home server: the totals still count them all


@dataclass
class Card:
    session: PlaybackSession
    poster: str
    percent: int
    source: str  # resolution of the file, e.g. "3840x2160"
    source_bitrate: int | None
    output: str
    reason: str


def _size(width, height) -> str:
    return f"{width}x{height}" if width and height else "—"


def _card(session: PlaybackSession, posters: dict) -> Card:
    file = session.media_file
    video = next(iter(file.video_streams), None) if file is not None else None
    owner = ("movie", session.movie_id) if session.movie_id else ("show", getattr(session.episode, "show_id", None))
    reasons = session.decision.get("reasons") if isinstance(session.decision, dict) else None
    duration = session.duration or 0
    return Card(
        session=session,
        poster=posters.get(owner, ""),
        percent=max(0, min(100, round(100 * session.position / duration))) if duration > 0 else 0,
        source=_size(video.width, video.height) if video else "—",
        source_bitrate=file.bitrate if file is not None else None,
        output=_size(session.width, session.height),
        reason="; ".join(str(r) for r in reasons) if isinstance(reasons, list) else "",
    )


def build(*, user) -> dict:
    live = sessions_live(sessions=sessions_visible_to(user=user))
    videos = MediaStream.objects.filter(type=MediaStream.Type.VIDEO).order_by("index")
    sessions = list(
        live.select_related("media_file", "episode")
        .prefetch_related(Prefetch("media_file__streams", queryset=videos, to_attr="video_streams"))
        .order_by("-started_at")[:CARDS]
    )
    posters = posters_of(
        movie_ids={s.movie_id for s in sessions if s.movie_id},
        show_ids={s.episode.show_id for s in sessions if s.episode_id and s.episode},
    )
    totals = sessions_live_totals(live)
    return {
        "cards": [_card(session, posters) for session in sessions],
        "totals": totals,
        "may_end": may_terminate_any(user=user),
    }


def sessions_live_totals(live) -> dict:
    """Streams, transcodes and bits per second sent, over every live session (not only the cards shown)."""
    return live.aggregate(
        streams=Count("pk"),
        transcodes=Count("pk", filter=Q(method=PlaybackSession.Method.TRANSCODE)),
        bandwidth=Sum("bitrate"),
    )
