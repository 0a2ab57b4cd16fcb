"""revenge_scan_files_per_second and revenge_scans from the scan rows, including rows no real scan would leave."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from apps.core.testing.scrape import scrape, value
from apps.libraries import services as libraries
from apps.libraries.models import LibraryScan


def _library(tmp_path, name: str):
    (tmp_path / name).mkdir()
    return libraries.library_create(name=name, kind="movies", paths=[str(tmp_path / name)])


def test_running_scans_add_their_files_per_second(client, db, tmp_path):
    now = timezone.now()
    LibraryScan.objects.create(
        library=_library(tmp_path, "a"),
        status="running",
        kind="full",
        seen=99_000,
        indexed=1_000,
        started_at=now - timedelta(seconds=10_000),
    )
    # A clock that jumped: a start in the future counts as one second, never a negative or infinite rate.
    LibraryScan.objects.create(
        library=_library(tmp_path, "b"), status="running", kind="watch", seen=5, started_at=now + timedelta(days=1)
    )
    # Running but never started (a crash between the two writes): counted as running, adds no rate.
    LibraryScan.objects.create(library=_library(tmp_path, "c"), status="running", kind="incremental", seen=7)
    LibraryScan.objects.create(library=_library(tmp_path, "d"), status="pending", seen=10**6)
    LibraryScan.objects.create(library=_library(tmp_path, "e"), status="done", seen=10**6, started_at=now)
    found = scrape(client)

    # 100,000 files over 10,000 s (and the moments this test took), plus 5 files over 1 s.
    assert 9 + 5 < value(found, "revenge_scan_files_per_second") <= 10 + 5
    assert value(found, "revenge_scans", status="running", kind="full") == 1
    assert value(found, "revenge_scans", status="running", kind="watch") == 1
    assert value(found, "revenge_scans", status="running", kind="incremental") == 1
    assert value(found, "revenge_scans", status="pending", kind="incremental") == 1


def test_without_running_scans_the_rate_is_zero(client, db):
    found = scrape(client)
    assert ("revenge_scan_files_per_second", frozenset()) in found
    assert value(found, "revenge_scan_files_per_second") == 0
