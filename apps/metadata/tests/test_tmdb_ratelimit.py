"""One rate to TMDb for every thread and process: in Redis when there is Redis, else in the process."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from apps.metadata.tmdb import ratelimit
from apps.metadata.tmdb.client import tmdb_get

ROOT = Path(__file__).resolve().parents[3]
RATE = 10


def assert_never_faster(times: list[float], *, rate: float) -> None:
    """In every stretch of time, at most one second's burst plus `rate` per second (one call of slack for clocks)."""
    times = sorted(times)
    for i, start in enumerate(times):
        for j in range(i, len(times)):
            assert j - i + 1 <= rate + rate * (times[j] - start) + 1, f"{j - i + 1} calls in {times[j] - start:.2f} s"


def hammer(count: int, per_thread: int) -> None:
    def run(n: int) -> None:
        for k in range(per_thread):
            tmdb_get("/configuration", params={"thread": n, "k": k}, cache_seconds=0)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


@pytest.mark.parametrize("shared", ["redis", "process"])
def test_threads_together_keep_to_the_rate(tmdb, settings, shared):
    if shared == "process":
        settings.REDIS_URL = ""
    settings.TMDB_RATE_LIMIT = RATE
    ratelimit.reset()
    started = time.monotonic()
    hammer(2, 15)
    assert len(tmdb.call_times) == 30
    assert time.monotonic() - started >= (30 - RATE) / RATE * 0.9  # the burst, then 10 a second
    assert_never_faster(tmdb.call_times, rate=RATE)


def test_two_processes_share_the_redis_bucket(settings):
    if not settings.REDIS_URL:
        pytest.skip("processes share the bucket through Redis; without it each keeps its own")
    settings.TMDB_RATE_LIMIT = RATE
    ratelimit.reset()
    script = (
        "import django, sys, time; django.setup()\n"
        "from apps.metadata.tmdb import ratelimit\n"
        "print('ready', flush=True); sys.stdin.readline()\n"
        "for _ in range(15):\n"
        "    ratelimit.acquire(); print(time.time(), flush=True)\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "revenge.settings", "REVENGE_TMDB_RATE_LIMIT": str(RATE)}
    other = subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert other.stdout.readline().strip() == "ready"
        other.stdin.write("go\n")
        other.stdin.flush()
        mine = []
        for _ in range(15):
            ratelimit.acquire()
            mine.append(time.time())
        theirs = [float(line) for line in other.stdout.read().split()]
    finally:
        other.kill()
        other.wait(10)
    assert len(theirs) == 15
    assert_never_faster(mine + theirs, rate=RATE)
    assert max(mine + theirs) - min(mine + theirs) >= (30 - RATE) / RATE * 0.9


def test_a_429_holds_every_caller(settings):
    settings.TMDB_RATE_LIMIT = 100
    ratelimit.reset()
    ratelimit.hold(0.5)
    ratelimit.hold(0.5)  # two workers told at once: still half a second, not one
    started = time.monotonic()
    ratelimit.acquire()
    assert 0.4 <= time.monotonic() - started < 0.8
