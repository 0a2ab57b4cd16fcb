"""manage.py worker_memory: a real worker on the real Redis answers with its memory, and tracemalloc's top when on."""

from __future__ import annotations

import io
import json
import tracemalloc

import pytest
from django.core.management import CommandError, call_command

from apps.core import worker_memory
from apps.core.testing.workers import running_worker

QUEUE = "obs-memory"


def _hoard() -> list[bytearray]:
    return [bytearray(4096) for _ in range(8000)]  # about 31 MiB, allocated on this line


def _ask(*args: str) -> str:
    out = io.StringIO()
    call_command("worker_memory", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def traced(settings, transactional_db):
    """Workers started inside trace allocations; tracing stops afterwards so other tests run at full speed."""
    was_tracing = tracemalloc.is_tracing()
    settings.TRACEMALLOC_FRAMES = 1
    yield
    if not was_tracing:
        tracemalloc.stop()


def test_a_traced_worker_names_the_line_that_holds_the_memory(traced):
    with running_worker(QUEUE) as worker:
        assert tracemalloc.is_tracing()
        hoard = _hoard()
        # A snapshot of a traced heap (this whole test process) takes a while under coverage.
        (report,) = json.loads(_ask("--top", "3", "--json", "--worker", worker.hostname, "--timeout", "120")).values()
        text = _ask("--top", "1", "--worker", worker.hostname, "--timeout", "120")
    assert len(hoard) == 8000
    allocations = report["allocations"]
    assert allocations["tracing"] is True and allocations["traced_bytes"] >= 8000 * 4096
    biggest = allocations["top"][0]
    assert biggest["where"][0].endswith(f"test_worker_memory.py:{_hoard.__code__.co_firstlineno + 1}")
    assert biggest["size_bytes"] >= 8000 * 4096 and biggest["count"] >= 8000
    assert len(allocations["top"]) == 3 and len(report["object_types"]) == 3
    line = f"test_worker_memory.py:{_hoard.__code__.co_firstlineno + 1}"
    assert "allocations: " in text and " traced, peak " in text and line in text.split("allocations: ", 1)[1]
    assert report["rss_bytes"] >= allocations["traced_bytes"] and report["max_rss_bytes"] >= report["rss_bytes"]


def test_an_untraced_worker_still_tells_its_rss_and_objects(settings, transactional_db):
    settings.TRACEMALLOC_FRAMES = 0
    with running_worker(QUEUE) as worker:
        text = _ask("--top", "2", "--worker", worker.hostname, "--timeout", "120")
    assert f"{worker.hostname} (pid " in text and "RSS" in text and " MiB" in text
    assert "objects by type:" in text
    assert "allocations: not traced (start the worker with REVENGE_TRACEMALLOC=1)" in text
    assert not tracemalloc.is_tracing()


def test_without_a_worker_the_command_says_so(transactional_db):
    with pytest.raises(CommandError, match="no worker answered"):
        _ask("--timeout", "0.3")
    with running_worker(QUEUE), pytest.raises(CommandError, match="no worker answered"):
        _ask("--timeout", "0.5", "--worker", "celery@nowhere")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--top", "0"), "--top is between 1 and 200"),
        (("--top", "-5"), "--top is between 1 and 200"),
        (("--top", "100000"), "--top is between 1 and 200"),
        (("--timeout", "0"), "--timeout is between"),
        (("--timeout", "1e9"), "--timeout is between"),
        (("--timeout", "nan"), "--timeout is between"),
    ],
)
def test_bad_arguments_are_refused_before_asking(args, message):
    with pytest.raises(CommandError, match=message):
        _ask(*args)


def test_the_report_parts_bear_hostile_figures():
    assert worker_memory.tracemalloc_start(0) is False and not tracemalloc.is_tracing()
    assert worker_memory.rss_bytes(2**31) is None and worker_memory.rss_bytes("../../etc/passwd") is None
    assert worker_memory.rss_bytes() > 0
    report = worker_memory.memory_report(top=-3)
    assert len(report["object_types"]) == 1 and report["allocations"] == {"tracing": False}
    assert len(worker_memory.memory_report(top=10**9)["object_types"]) <= worker_memory.TOP_MOST
