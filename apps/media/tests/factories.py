"""A real library of real clips for duplicate tests: write clips, scan, refresh, look at the groups."""

from __future__ import annotations

import os
from pathlib import Path

from apps.libraries import services as library_services
from apps.media.duplicates import detection
from apps.media.models import DuplicateGroup, MediaFile
from apps.media.tests.media_factory import make_clip, reencode
from apps.scanning import services as scanning

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
