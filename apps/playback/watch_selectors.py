"""Reads of watching: history, continue watching and next up, each limited to what the viewer may see."""

from __future__ import annotations

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery

from apps.accounts.models import User
from apps.accounts.selectors import users_visible_to
from apps.core import caching
from apps.media.models import Episode
from apps.media.selectors import catalogue_scopes, episodes_visible_to, movies_visible_to, shows_visible_to
from apps.playback.models import PlaybackSession, WatchState
from apps.playback.selectors import sessions_visible_to

# A resume position shorter than this is an accidental start, not something to continue.
RESUME_MIN_SECONDS = 30
RESUME_MIN_FRACTION = 0.02
NEXT_UP_SHOWS = 100


def plays_still_visible(*, user: User, plays: QuerySet[PlaybackSession]) -> QuerySet[PlaybackSession]:
    """The plays of items `user` may see today (grants and limits as they are now, not as they were).

    A play of an item that is gone keeps only its title, which nothing can be checked against: it stays.
    """
    movies, episodes = movies_visible_to(user=user).values("pk"), episodes_visible_to(user=user).values("pk")
    return plays.filter(Q(movie__in=movies) | Q(episode__in=episodes) | Q(movie__isnull=True, episode__isnull=True))


def history_visible_to(*, user: User) -> QuerySet[PlaybackSession]:
    """Plays, live and stopped, of the users the viewer may see (members: their own), newest first."""
    plays = plays_still_visible(user=user, plays=sessions_visible_to(user=user))
    return plays.select_related("movie", "episode__show", "episode__season").order_by("-started_at")


def watch_states_visible_to(*, user: User) -> QuerySet[WatchState]:
    """Progress rows of the users the viewer may see (members: their own)."""
    if not user or not user.is_authenticated:
        return WatchState.objects.none()
    states = WatchState.objects.select_related("user", "movie", "episode__show", "episode__season")
    if user.has_perm("playback.view_watchstate"):
        return states.filter(user__in=users_visible_to(user=user))
    return states.filter(user=user)


def watch_states_in_progress(*, user: User) -> QuerySet[WatchState]:
    """The user's started, unfinished movies and episodes that they may still see, last played first."""
    if not user or not user.is_authenticated:
        return WatchState.objects.none()
    return (
        WatchState.objects.filter(user=user, watched=False, position__gte=RESUME_MIN_SECONDS)
        .filter(Q(duration__isnull=True) | Q(position__gte=F("duration") * RESUME_MIN_FRACTION))
        # EXISTS per state, not IN: PostgreSQL hashed every visible movie (100,000 rows) for a user's 30 states.
        .filter(
            Exists(movies_visible_to(user=user).filter(pk=OuterRef("movie_id")))
            | Exists(episodes_visible_to(user=user).filter(pk=OuterRef("episode_id")))
        )
        .select_related("movie", "episode__show", "episode__season")
        .order_by(F("last_played_at").desc(nulls_last=True), "-pk")
    )


def watching_scopes(*, user: User) -> list[str]:
    """The cache scopes of a user's watching rows: their progress, and everything that decides what they see."""
    return [*catalogue_scopes(user=user), caching.watching(user.pk)]


def _episode_states(user: User) -> QuerySet[WatchState]:
    return WatchState.objects.filter(user=user, episode__isnull=False).exclude(episode__season__season_number=0)


def episodes_next_up(*, user: User, limit: int = NEXT_UP_SHOWS) -> list[Episode]:
    """Per show with a watched episode: the first unwatched one after the last watched, newest show activity first.

    Specials (season 0) are neither counted nor offered. Each episode carries `resume_position` and
    `resume_duration` from the user's progress. Two queries, whatever the number of shows.
    """
    if not user or not user.is_authenticated:
        return []
    active = (
        _episode_states(user)
        .filter(episode__show__in=shows_visible_to(user=user))
        .values("episode__show")
        .annotate(activity=Max("last_played_at"), watched=Count("pk", filter=Q(watched=True)))
    )
    shows = list(
        active.filter(watched__gt=0)
        .order_by(F("activity").desc(nulls_last=True), "-episode__show")
        .values_list("episode__show", flat=True)[:limit]
    )
    if not shows:
        return []
    mine = WatchState.objects.filter(user=user, episode=OuterRef("pk"))
    episodes = (
        episodes_visible_to(user=user)
        .filter(show__in=shows)
        .exclude(season__season_number=0)
        .annotate(
            is_watched=Exists(mine.filter(watched=True)),
            resume_position=Subquery(mine.values("position")[:1]),
            resume_duration=Subquery(mine.values("duration")[:1]),
        )
        .order_by("show", "season__season_number", "episode_number", "air_date", "pk")
    )
    by_show: dict[int, list[Episode]] = {}
    for episode in episodes:
        by_show.setdefault(episode.show_id, []).append(episode)
    found = []
    for show in shows:
        candidate = _after_last_watched(by_show.get(show, []))
        if candidate is not None:
            found.append(candidate)
    return found


def _after_last_watched(episodes: list[Episode]) -> Episode | None:
    """The first unwatched episode after the last watched one, in the show's order; None when all after are."""
    last = max((i for i, episode in enumerate(episodes) if episode.is_watched), default=None)
    if last is None:
        return None
    return next((episode for episode in episodes[last + 1 :] if not episode.is_watched), None)
