"""Reading a scan's files ahead in worker processes writes exactly what reading them in-process does."""

from __future__ import annotations

import os
import shutil

import pytest

from apps.libraries import services
from apps.libraries.models import ScanError
from apps.media.models import MediaFile
from apps.scanning import probing
from apps.scanning import services as scanning

pytestmark = pytest.mark.django_db(transaction=True)


def _tree(root, place, outside) -> None:
    place(root, "Inception (2010)/Inception (2010).mkv")
    place(root, "Inception (2010)/Inception (2010).en.srt", content=b"1\n00:00:00,000 --> 00:00:01,000\nHi\n")
    place(root, "Inception (2010)/poster.jpg", content=b"\xff\xd8\xff\xe0")
    place(root, "Inception (2010)/movie.nfo", content=b"<movie><title>Inception</title><year>2010</year></movie>")
    place(root, "Heat (1995)/Heat (1995) - 1080p.mkv")
    place(root, "Heat (1995)/Heat (1995) - 720p.mp4")
    place(root, "Heat (1995)/movie.nfo", content=b"<movie><title>Heat")  # broken: reported
    place(root, "Broken (2001)/Broken (2001).mkv", content=b"not a video at all" * 50)
    place(root, "The.Matrix.1999.1080p.BluRay.x264-GRP.mp4")
    place(root, "Leaky (2003)/Leaky (2003).mkv")
    os.symlink(outside / "fanart.jpg", root / "Leaky (2003)" / "fanart.jpg")  # a sidecar leaving: refused
    os.symlink(outside / "Out (2004).mkv", root / "Out (2004).mkv")  # a video leaving: refused


def _catalogue(library, root) -> tuple:
    files = sorted(
        (
            os.path.relpath(f.path, root),
            f.size,
            f.probe_status,
            f.probe_error,
            f.container,
            f.movie.title if f.movie else None,
            f.streams.count(),
            f.subtitles.count(),
        )
        for f in MediaFile.objects.filter(library=library).select_related("movie")
    )
    errors = sorted((os.path.relpath(e.path, root), e.reason) for e in ScanError.objects.filter(scan__library=library))
    return files, errors


def test_a_scan_read_ahead_in_worker_processes_writes_what_an_in_process_scan_writes(tmp_path, place, monkeypatch):
    outside = tmp_path / "outside"
    place(outside, "fanart.jpg", content=b"\xff\xd8\xff\xe0")
    place(outside, "Out (2004).mkv")
    here, ahead = tmp_path / "here", tmp_path / "ahead"
    _tree(here, place, outside)
    shutil.copytree(here, ahead, symlinks=True)
    monkeypatch.setattr(scanning, "CHUNK_SIZE", 3)  # several chunks, read several ahead

    monkeypatch.setattr(probing, "POOL_MIN_FILES", 10**9)
    in_process = services.library_create(name="Here", kind="movies", paths=[str(here)])
    first = scanning.scan_run(scan=scanning.scan_begin(library=in_process))

    monkeypatch.setattr(probing, "POOL_MIN_FILES", 1)
    monkeypatch.setattr(probing, "pool_size", lambda: 2)
    pooled = services.library_create(name="Ahead", kind="movies", paths=[str(ahead)])
    second = scanning.scan_run(scan=scanning.scan_begin(library=pooled))

    counters = ("seen", "added", "updated", "unchanged", "errors", "indexed", "status")
    assert [getattr(second, name) for name in counters] == [getattr(first, name) for name in counters]
    assert first.added == 6 and first.errors >= 3
    assert _catalogue(pooled, ahead) == _catalogue(in_process, here)
