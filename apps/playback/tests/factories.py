"""Scanned libraries of real clips and playback sessions over them, for the watching tests."""

from __future__ import annotations

from pathlib import Path

from apps.accounts.models import Role
from apps.accounts.services import users
from apps.libraries import services as libraries
from apps.libraries.models import Library
from apps.media.models import Episode, MediaFile, Movie
from apps.playback.models import PlaybackSession
from apps.scanning import services as scanning

MOVIE_NFO = "<movie><title>{title}</title><year>{year}</year><mpaa>{mpaa}</mpaa></movie>"
SHOW_NFO = "<tvshow><title>{title}</title><mpaa>{mpaa}</mpaa></tvshow>"


def scanned(place, root: Path, *, name: str, kind: str, files: dict[str, str | None]) -> Library:
    """A library of real clips (a path → None) and NFO files (a path → its text), scanned."""
    for relative, text in files.items():
        place(root, relative, content=text.encode() if text is not None else None)
    library = libraries.library_create(name=name, kind=kind, paths=[str(root)])
    scanning.scan_run(scan=scanning.scan_begin(library=library))
    return library


def hide(library: Library) -> None:
    """Grant the library to nobody (admins see it anyway)."""
    boss = users.user_create(
        username=f"granter-{library.pk}", password="x" * 12, by=None, role=Role.objects.get(group__name="admin")
    )
    libraries.library_grants_set(library=library, roles={}, users={}, by=boss)


def episode(show: str, season: int, number: int) -> Episode:
    return Episode.objects.get(show__title=show, season__season_number=season, episode_number=number)


def session_for(
    user, *, movie: Movie | None = None, episode: Episode | None = None, duration: float | None = 3600, **fields
) -> PlaybackSession:
    """A live direct-play session of the item's file, as the lead's session start would leave it."""
    media_file = MediaFile.objects.filter(movie=movie, episode=episode).first()
    title = movie.title if movie else str(episode)
    return PlaybackSession.objects.create(
        user=user,
        media_file=media_file,
        movie=movie,
        episode=episode,
        title=title,
        method=fields.pop("method", "direct"),
        duration=duration,
        **fields,
    )
