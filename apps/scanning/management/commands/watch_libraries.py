"""manage.py watch_libraries: the watcher process (Procfile `watcher`)."""

import signal

from django.core.management.base import BaseCommand

from apps.scanning.watcher.watch import LibraryWatcher


class Command(BaseCommand):
    help = "Watch every enabled library with realtime monitoring on, and index changes as they happen."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--stable-seconds",
            type=float,
            default=None,
            help="How long a file must stay unchanged before it is indexed (default REVENGE_WATCH_STABLE_SECONDS).",
        )
        parser.add_argument(
            "--no-initial-scan", action="store_true", help="Do not scan the libraries when the watcher starts."
        )

    def handle(self, *args, stable_seconds: float | None, no_initial_scan: bool, **options) -> None:
        watcher = LibraryWatcher(stable_seconds=stable_seconds, scan_at_start=not no_initial_scan)
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: watcher.stop())
        self.stdout.write("Watching libraries (Ctrl-C stops).")
        watcher.run()
        self.stdout.write("Watcher stopped.")
