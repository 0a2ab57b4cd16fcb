"""Now playing: one card per live session the operator may see, and the totals (streams, transcodes, bandwidth)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, Sum
from django.urls import reverse

from apps.console import humanize
from apps.console.panels.posters import posters_of
from apps.media.models import MediaStream
from apps.playback.models import PlaybackSession
from apps.playback.selectors import may_terminate_any, sessions_live, sessions_visible_to

ANY_SESSION = uuid.UUID(int=0)
CARDS = 50  # more live streams than this is a cinema, not a home server: the totals still count them all


@dataclass
class Card:
    """A live session as its card shows it, its text made here: a refresh every 2 s renders twenty of these, and
    template lookups and {% url %} per card cost more than building the strings once."""

    id: str
    title: str
    who: str  # user · device · state
    poster: str
    percent: int
    position: str
    duration: str
    method: str
    method_label: str
    reason: str
    quality: str  # in 3840x2160 · 8.1 Mb/s → out 1920x1080 · 4.0 Mb/s
    end_url: str


def _size(width, height) -> str:
    return f"{width}x{height}" if width and height else "—"


def _card(session: PlaybackSession, posters: dict, end_url: str) -> Card:
    file = session.media_file
    video = next(iter(file.video_streams), None) if file is not None else None
    owner = ("movie", session.movie_id) if session.movie_id else ("show", getattr(session.episode, "show_id", None))
    reasons = session.decision.get("reasons") if isinstance(session.decision, dict) else None
    source = _size(video.width, video.height) if video else "—"
    source_bitrate = humanize.bitrate(file.bitrate if file is not None else None)
    device = session.device or session.client or "unknown device"
    if session.method == PlaybackSession.Method.DIRECT:
        out = "direct"  # the file as it is: no output size or rate of our own to show
    elif not (session.width or session.bitrate):
        out = "out pending"  # the transcoder has not said what it makes yet
    else:
        out = f"out {_size(session.width, session.height)} · {humanize.bitrate(session.bitrate)}"
    return Card(
        id=str(session.pk),
        # A movie's card names it with its year, whoever started the session and however it titled it.
        title=str(session.movie) if session.movie_id and session.movie else session.title,
        who=f"{session.user.get_username()} · {device} · {session.get_state_display()}",
        poster=posters.get(owner, ""),
        percent=humanize.percent(session.position, session.duration),
        position=humanize.duration(session.position),
        duration=humanize.duration(session.duration),
        method=session.method,
        method_label=session.get_method_display(),
        reason="; ".join(str(r) for r in reasons) if isinstance(reasons, list) else "",
        quality=f"in {source} · {source_bitrate} → {out}",
        end_url=end_url.replace(str(ANY_SESSION), str(session.pk)),
    )


def build(*, user) -> dict:
    live = sessions_live(sessions=sessions_visible_to(user=user))
    videos = MediaStream.objects.filter(type=MediaStream.Type.VIDEO).order_by("index")
    sessions = list(
        live.select_related("media_file", "episode", "movie")
        .prefetch_related(Prefetch("media_file__streams", queryset=videos, to_attr="video_streams"))
        .order_by("-started_at")[:CARDS]
    )
    posters = posters_of(
        movie_ids={s.movie_id for s in sessions if s.movie_id},
        show_ids={s.episode.show_id for s in sessions if s.episode_id and s.episode},
    )
    end_url = reverse("admin:console_session_end", args=[ANY_SESSION])  # once, not once a card
    totals = sessions_live_totals(live) if len(sessions) == CARDS else _totals_of(sessions)
    return {
        "cards": [_card(session, posters, end_url) for session in sessions],
        "totals": totals,
        "may_end": may_terminate_any(user=user),
    }


def _totals_of(sessions: list[PlaybackSession]) -> dict:
    """The totals of a list that holds every live session (fewer than CARDS): no second query needed."""
    return {
        "streams": len(sessions),
        "transcodes": sum(s.method == PlaybackSession.Method.TRANSCODE for s in sessions),
        "bandwidth": sum(s.bitrate or 0 for s in sessions),
    }


def sessions_live_totals(live) -> dict:
    """Streams, transcodes and bits per second sent, over every live session (not only the cards shown)."""
    return live.aggregate(
        streams=Count("pk"),
        transcodes=Count("pk", filter=Q(method=PlaybackSession.Method.TRANSCODE)),
        bandwidth=Sum("bitrate"),
    )
