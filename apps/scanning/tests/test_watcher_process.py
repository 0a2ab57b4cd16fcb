"""The watcher as operators run it: `manage.py watch_libraries`, handing batches to a real Celery worker."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from apps.libraries import services
from apps.libraries.models import LibraryScan, WatcherStatus
from apps.media.models import MediaFile

ROOT = Path(__file__).resolve().parents[3]


def wait_for(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("not reached in time")


def test_the_watch_libraries_command_feeds_the_workers(tmp_path, clips, redis_worker, settings):
    root = tmp_path / "movies"
    root.mkdir()
    library = services.library_create(name="Movies", kind="movies", paths=[str(root)])
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REVENGE_WATCH_STABLE_SECONDS": "0.5",
    }
    log = tmp_path / "watcher.log"
    watcher = subprocess.Popen(
        [sys.executable, "manage.py", "watch_libraries"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        # At start the watcher scans the library, through the workers.
        wait_for(lambda: LibraryScan.objects.filter(library=library, kind="incremental", status="completed").exists())
        wait_for(lambda: WatcherStatus.objects.exists())
        target = root / "Arrival (2016)" / "Arrival (2016).mkv"
        target.parent.mkdir()
        shutil.copyfile(clips["mkv"], target)
        wait_for(lambda: MediaFile.objects.filter(path=str(target), probe_status="ok").exists())
        assert LibraryScan.objects.filter(library=library, kind="watch", status="completed").exists()
    finally:
        watcher.send_signal(signal.SIGTERM)
        code = watcher.wait(20)
    output = log.read_text()
    assert code == 0, output
    assert "Watching libraries" in output and "Watcher stopped." in output
    assert not WatcherStatus.objects.exists(), "a stopped watcher removes its status"


@pytest.mark.django_db
def test_a_bad_configuration_stops_the_watcher_with_one_line(tmp_path):
    env = {**os.environ, "REVENGE_WATCH_STABLE_SECONDS": "soon"}
    result = subprocess.run(
        [sys.executable, "manage.py", "watch_libraries"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert "(revenge.E011) REVENGE_WATCH_STABLE_SECONDS='soon' is not a number." in result.stderr
    assert "Traceback" not in result.stderr
