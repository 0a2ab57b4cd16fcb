"""manage.py worker_memory: the memory of each running Celery worker, asked over Celery's remote control."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.core.worker_memory import COMMAND, TOP_MOST
from revenge.celery import app


def _mib(value: int | None) -> str:
    return "?" if value is None else f"{value / 1048576:.1f} MiB"


class Command(BaseCommand):
    help = (
        "Ask each running worker for its memory: RSS of it and its pool processes, gc figures, the commonest "
        "object types and, when the worker runs with REVENGE_TRACEMALLOC=N, tracemalloc's top allocations."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--top", type=int, default=20, help=f"How many entries of each list (1..{TOP_MOST}).")
        parser.add_argument("--worker", action="append", default=[], help="Only this worker (celery@host); repeat.")
        parser.add_argument(
            "--timeout", type=float, default=5.0, help="Seconds to wait (0.1..120); a traced big heap takes a while."
        )
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print the answers as JSON.")

    def handle(self, *args, top: int, worker: list[str], timeout: float, as_json: bool, **options) -> None:
        if not 1 <= top <= TOP_MOST:
            raise CommandError(f"--top is between 1 and {TOP_MOST}")
        if not 0.1 <= timeout <= 120:
            raise CommandError("--timeout is between 0.1 and 120 seconds")
        # Named workers: done when each answered. Otherwise nobody knows how many will: wait the whole timeout.
        answers = app.control.broadcast(
            COMMAND,
            arguments={"top": top},
            destination=worker or None,
            limit=len(worker) or None,
            reply=True,
            timeout=timeout,
        )
        reports = {name: report for answer in answers or [] for name, report in answer.items()}
        if not reports:
            raise CommandError("no worker answered (is one running, on this broker, started after this release?)")
        if as_json:
            self.stdout.write(json.dumps(reports, indent=2, sort_keys=True))
            return
        for name, report in sorted(reports.items()):
            self._write_report(name, report)

    def _write_report(self, name: str, report: dict) -> None:
        if not isinstance(report, dict) or "rss_bytes" not in report:
            self.stdout.write(f"{name}: cannot answer ({report!r}); is it an older release?")
            return
        self.stdout.write(
            f"{name} (pid {report['pid']}): RSS {_mib(report['rss_bytes'])}, peak {_mib(report['max_rss_bytes'])}, "
            f"{report['gc_objects']} objects tracked by gc, gc counts {report['gc_counts']}, "
            f"{report['gc_garbage']} uncollectable"
        )
        for process in report.get("pool_processes", []):
            self.stdout.write(f"  pool process {process['pid']}: RSS {_mib(process['rss_bytes'])}")
        self.stdout.write("  objects by type:")
        for kind, count in report["object_types"]:
            self.stdout.write(f"    {count:>9}  {kind}")
        allocations = report["allocations"]
        if not allocations.get("tracing"):
            self.stdout.write("  allocations: not traced (start the worker with REVENGE_TRACEMALLOC=1)")
            return
        self.stdout.write(
            f"  allocations: {_mib(allocations['traced_bytes'])} traced, peak {_mib(allocations['traced_peak_bytes'])}"
        )
        for entry in allocations["top"]:
            where = "\n               ".join(entry["where"])
            self.stdout.write(f"    {_mib(entry['size_bytes']):>11} in {entry['count']:>7} blocks  {where}")
