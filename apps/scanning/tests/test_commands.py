"""add_library and scan_library as an operator runs them."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.libraries.models import Library, LibraryScan
from apps.media.models import Movie

pytestmark = pytest.mark.django_db(transaction=True)


def test_add_then_scan_a_library(tmp_path, place):
    root = tmp_path / "films"
    place(root, "Inception (2010)/Inception (2010).mkv")
    place(root, "Heat (1995)/Heat (1995).mkv")
    out = StringIO()
    call_command("add_library", "Films", str(root), "--kind", "movies", stdout=out)
    assert "Library" in out.getvalue() and str(root) in out.getvalue()
    assert Library.objects.get(name="Films").kind == "movies"

    out, err = StringIO(), StringIO()
    call_command("scan_library", "Films", stdout=out, stderr=err)
    assert "completed" in out.getvalue()
    assert "seen 2, added 2" in out.getvalue()
    assert "files/s" in err.getvalue() and "2/2" in err.getvalue()
    assert Movie.objects.count() == 2


def test_add_library_refuses_bad_folders(tmp_path):
    with pytest.raises(CommandError, match="is not an existing folder"):
        call_command("add_library", "X", str(tmp_path / "nope"), "--kind", "movies")
    with pytest.raises(CommandError, match="not an absolute path"):
        call_command("add_library", "X", "relative", "--kind", "movies")


def test_scan_library_reports_errors_and_unknown_names(tmp_path, place):
    root = tmp_path / "films"
    place(root, "Broken (2000).mkv", content=b"\x00" * 64)
    call_command("add_library", "Films", str(root), "--kind", "movies")
    out = StringIO()
    call_command("scan_library", stdout=out, stderr=StringIO())
    assert "errors 1" in out.getvalue()
    assert "error: " in out.getvalue() and "Broken (2000).mkv" in out.getvalue()
    with pytest.raises(CommandError, match="no library named 'Nope'"):
        call_command("scan_library", "Nope")


def test_scan_library_queue_mode_and_running_scan(tmp_path, place):
    root = tmp_path / "films"
    place(root, "Heat (1995)/Heat (1995).mkv")
    call_command("add_library", "Films", str(root), "--kind", "movies")
    library = Library.objects.get()
    out = StringIO()
    call_command("scan_library", str(library.pk), "--queue", stdout=out)
    assert "queued" in out.getvalue()
    assert LibraryScan.objects.get().status == LibraryScan.Status.PENDING
    err = StringIO()
    with pytest.raises(CommandError, match="did not complete"):
        call_command("scan_library", "Films", stderr=err)
    assert "already pending" in err.getvalue()
