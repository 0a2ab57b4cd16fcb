"""Read what a scan needs to know about one video file: its name, probe, NFO, subtitles and artwork.

Only disk reads happen here; `apps.media.services.files_index` writes the results in batches.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from apps.libraries.containment import LEAVES, allowed_folders, resolves_inside
from apps.scanning import nfo as nfo_reader
from apps.scanning import sidecars
from apps.scanning.fingerprint import file_fingerprint
from apps.scanning.naming import ParsedName, parse_path
from apps.scanning.walker import FileStat, Skipped, printable, stat_file

if TYPE_CHECKING:
    from apps.media.probe import ProbeResult


@dataclass(frozen=True, slots=True)
class ArtworkRef:
    """An image found beside the media; `level` says whose it is: item, show, season or episode."""

    level: str
    kind: str
    path: str
    season: int | None = None


@dataclass(slots=True)
class IndexedFile:
    stat: FileStat
    relative_path: str
    fingerprint: str
    parsed: ParsedName
    probe: ProbeResult | None = None
    probe_error: str = ""
    nfo: nfo_reader.NfoData | None = None
    show_nfo: nfo_reader.NfoData | None = None
    subtitles: list[tuple[str, sidecars.SubtitleSidecar]] = field(default_factory=list)
    artwork: list[ArtworkRef] = field(default_factory=list)

    @property
    def path(self) -> str:
        return self.stat.path


class FolderCache:
    """Directory listings and parsed NFO files, read once per batch, of a library with these root folders."""

    def __init__(self, *, roots: list[str]) -> None:
        self.allowed = allowed_folders(roots)
        self.listings: dict[str, list[str]] = {}
        self.nfos: dict[str, nfo_reader.NfoData | str | None] = {}
        self.contained: dict[str, bool] = {}
        self.refused: list[str] = []

    def inside(self, path: str) -> bool:
        """Whether a sidecar may be read: its links stay inside the library (the walker checks videos)."""
        if path not in self.contained:
            self.contained[path] = resolves_inside(path, self.allowed)
            if not self.contained[path]:
                self.refused.append(path)
        return self.contained[path]

    def refusals(self) -> list[Skipped]:
        """The sidecars refused since the last call, each reported once per batch."""
        found, self.refused = self.refused, []
        return [Skipped(printable(path), LEAVES) for path in found]

    def listing(self, folder: str) -> list[str]:
        if folder not in self.listings:
            try:
                names = os.listdir(folder)
            except OSError:
                names = []
            self.listings[folder] = sorted(n for n in names if not sidecars.is_ignored(n))
        return self.listings[folder]

    def nfo(self, path: str) -> nfo_reader.NfoData | str | None:
        """The parsed NFO, the reason it is broken (str), or None when there is no such file."""
        if path not in self.nfos:
            folder, name = os.path.split(path)
            if name not in self.listing(folder):
                self.nfos[path] = None
            elif not self.inside(path):
                self.nfos[path] = None  # reported by refusals()
            else:
                try:
                    self.nfos[path] = nfo_reader.parse_nfo(path)
                except nfo_reader.NfoError as exc:
                    self.nfos[path] = str(exc)
        return self.nfos[path]


def library_root(path: str, roots: list[str]) -> str | None:
    """The library folder that holds `path` (the longest matching one)."""
    best = None
    for root in roots:
        prefix = root.rstrip(os.sep) + os.sep
        if path.startswith(prefix) and (best is None or len(root) > len(best)):
            best = root
    return best


def read_file(
    *, path: str, library_kind: str, roots: list[str], cache: FolderCache, probe: bool = True
) -> tuple[IndexedFile | None, list[Skipped]]:
    """Everything known about one file, and the problems met on the way (never raises on bad input)."""
    problems: list[Skipped] = []
    found = stat_file(path, allowed=cache.allowed)
    if isinstance(found, Skipped):
        return None, [found]
    root = library_root(path, roots)
    if root is None:
        return None, [Skipped(path, "file is outside the library folders")]
    relative = os.path.relpath(path, root).replace(os.sep, "/")
    try:
        fingerprint = file_fingerprint(path, found.size)
    except OSError as exc:
        return None, [Skipped(path, f"cannot read file: {exc.strerror or exc}")]
    record = IndexedFile(
        stat=found,
        relative_path=relative,
        fingerprint=fingerprint,
        parsed=parse_path(relative, library_kind=library_kind),
    )
    if probe:
        from apps.media.probe import ProbeError, file_probe  # lazy: PyAV loads in ~60 ms; a rescan probes nothing

        try:
            record.probe = file_probe(path)
        except ProbeError as exc:
            record.probe_error = str(exc) or "unreadable media file"
            problems.append(Skipped(path, record.probe_error))
    _read_nfo(record, root, library_kind, cache, problems)
    _read_subtitles(record, cache)
    _read_artwork(record, root, library_kind, cache)
    return record, problems + cache.refusals()


def _stem(name: str) -> str:
    return os.path.splitext(name)[0]


def _take_nfo(cache: FolderCache, path: str, problems: list[Skipped]) -> nfo_reader.NfoData | None:
    result = cache.nfo(path)
    if isinstance(result, str):
        problems.append(Skipped(printable(path), result))
        return None
    return result


def _read_nfo(record: IndexedFile, root: str, kind: str, cache: FolderCache, problems: list[Skipped]) -> None:
    folder, name = os.path.split(record.path)
    own = os.path.join(folder, _stem(name) + ".nfo")
    record.nfo = _take_nfo(cache, own, problems)
    if kind == "movies":
        if record.nfo is None and folder != root and not record.parsed.extra_type:
            record.nfo = _take_nfo(cache, os.path.join(folder, "movie.nfo"), problems)
        return
    show_folder = _show_folder(record, root)
    if show_folder:
        record.show_nfo = _take_nfo(cache, os.path.join(show_folder, "tvshow.nfo"), problems)


def _show_folder(record: IndexedFile, root: str) -> str | None:
    parts = record.relative_path.split("/")
    return os.path.join(root, parts[0]) if len(parts) > 1 else None


def _read_subtitles(record: IndexedFile, cache: FolderCache) -> None:
    folder, name = os.path.split(record.path)
    for candidate in cache.listing(folder):
        if sidecars.classify(candidate) != "subtitle":
            continue
        found = sidecars.subtitle_for(name, candidate)
        if found is not None and cache.inside(os.path.join(folder, candidate)):
            record.subtitles.append((os.path.join(folder, candidate), found))


def _images(cache: FolderCache, folder: str, stem: str | None) -> list[tuple[str, sidecars.ArtworkSidecar]]:
    found = []
    for candidate in cache.listing(folder):
        if sidecars.classify(candidate) == "image":
            art = sidecars.artwork_for(candidate, video_stem=stem)
            if art is not None and cache.inside(os.path.join(folder, candidate)):
                found.append((os.path.join(folder, candidate), art))
    return found


def _read_artwork(record: IndexedFile, root: str, kind: str, cache: FolderCache) -> None:
    folder, name = os.path.split(record.path)
    stem = _stem(name)
    mine = stem.lower()
    add = record.artwork.append
    if kind == "movies":
        for path, art in _images(cache, folder, stem):
            # Folder-level images belong to the movie only when it has a folder of its own.
            if not art.kind.startswith("season_") and (
                folder != root or os.path.basename(path).lower().startswith(mine)
            ):
                add(ArtworkRef("item", art.kind, path))
        return
    show_folder = _show_folder(record, root)
    for path, art in _images(cache, folder, stem):
        if os.path.basename(path).lower().startswith(mine):
            add(ArtworkRef("episode", "thumb", path))
        elif show_folder and folder != show_folder and not art.kind.startswith("season_"):
            # poster.jpg inside "Season 01/" is that season's poster.
            add(ArtworkRef("season", art.kind, path, record.parsed.season))
    if show_folder:
        for path, art in _images(cache, show_folder, None):
            if art.kind.startswith("season_"):
                add(ArtworkRef("season", art.kind.removeprefix("season_"), path, art.season))
            else:
                add(ArtworkRef("show", art.kind, path))
