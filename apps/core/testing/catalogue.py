"""One catalogue builder for tests: libraries of real clips (scanned), rows made directly, grants, sessions.

`scanned` fills a library from a map of paths (a clip, or an NFO's text) and scans it; `ClipLibrary` writes
clips with drawn content for the duplicate tests; `movie_make` and friends make rows without files.
"""

from __future__ import annotations

import os
from pathlib import Path

from apps.core.testing.media import make_clip, reencode
from apps.core.testing.people import user_make
from apps.libraries import services as library_services
from apps.libraries.models import Library
from apps.media.duplicates import detection
from apps.media.models import DuplicateGroup, Episode, MediaFile, Movie
from apps.playback.models import PlaybackSession
from apps.scanning import services as scanning

MOVIE_NFO = "<movie><title>{title}</title><year>{year}</year><mpaa>{mpaa}</mpaa></movie>"
SHOW_NFO = "<tvshow><title>{title}</title><mpaa>{mpaa}</mpaa></tvshow>"

# Big enough for a perceptual hash to mean something, small enough to encode in a blink.
CLIP = {"width": 320, "height": 240, "seconds": 4.0, "fps": 10}


class ClipLibrary:
    """A library over `root` whose files are clips with drawn content (a seed each)."""

    def __init__(self, root: Path, *, name: str = "Movies", kind: str = "movies") -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.library = library_services.library_create(name=name, kind=kind, paths=[str(root)])

    def clip(self, relative: str, seed: int, **options) -> Path:
        return make_clip(self.root / relative, pattern=seed, **{**CLIP, **options})

    def reencode(self, source: str, relative: str, **options) -> Path:
        """The video of `source` encoded again: by default a quarter of the pixels at a third of the bitrate."""
        options = {"width": 160, "height": 120, "bit_rate": 60_000, **options}
        target = self.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        return reencode(self.root / source, target, **options)

    def write(self, relative: str, content: bytes) -> Path:
        target = self.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        return target

    def touch(self, relative: str, mtime_ns: int) -> None:
        """A modification time of our choosing: file systems may keep coarse timestamps."""
        os.utime(self.root / relative, ns=(mtime_ns, mtime_ns))

    def scan(self) -> None:
        scanning.scan_run(scan=scanning.scan_begin(library=self.library))

    def refresh(self, **options) -> detection.RefreshResult:
        """Scan, then hash and group as the worker would, without a time budget."""
        self.scan()
        return detection.duplicates_refresh(library=self.library, budget_seconds=None, **options)

    def file(self, relative: str) -> MediaFile:
        return MediaFile.objects.get(library=self.library, path=str(self.root / relative))

    def groups(self, kind: str | None = None) -> list[set[str]]:
        """Each group of the library as the set of its members' paths relative to the root."""
        groups = DuplicateGroup.objects.filter(library=self.library).prefetch_related("members__file")
        if kind:
            groups = groups.filter(kind=kind)
        return [{os.path.relpath(m.file.path, self.root) for m in g.members.all()} for g in groups]

    def group(self, kind: str) -> DuplicateGroup:
        return DuplicateGroup.objects.get(library=self.library, kind=kind)


def scanned(place, root: Path, *, name: str, kind: str, files: dict[str, str | None]) -> Library:
    """A library of real clips (a path → None) and NFO files (a path → its text), scanned."""
    for relative, text in files.items():
        place(root, relative, content=text.encode() if text is not None else None)
    library = library_services.library_create(name=name, kind=kind, paths=[str(root)])
    scanning.scan_run(scan=scanning.scan_begin(library=library))
    return library


def library_of(root: Path, *, name: str = "Movies") -> list[MediaFile]:
    """A movie library over the files already in `root`, scanned: its files by path."""
    library = library_services.library_create(name=name, kind="movies", paths=[str(root)])
    scanning.scan_run(scan=scanning.scan_begin(library=library))
    return list(MediaFile.objects.filter(library=library).order_by("path"))


def hide(library: Library) -> None:
    """Grant the library to nobody (admins see it anyway)."""
    boss = user_make(f"granter-{library.pk}", role="admin", password="x" * 12)
    library_services.library_grants_set(library=library, roles={}, users={}, by=boss)


def movie_make(*, library: Library, title: str, age_rating: int | None = None, year: int = 2001, **fields) -> Movie:
    """A movie row without a file on disk (it says it has one), matched by its lower-cased title."""
    fields.setdefault("has_main_file", True)
    return Movie.objects.create(
        library=library, match_key=title.lower(), title=title, year=year, age_rating=age_rating, **fields
    )


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
